package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidKey: a collection, id or index name is empty, too long, or
// contains a NUL byte, or an index value contains a NUL byte. NUL separates
// the parts of a key, so allowing it would let two different records share
// one key.
var ErrInvalidKey = errors.New("store: invalid key")

// maxKeyLen keeps every key far below Badger's 65000-byte limit, so a long
// id fails in its own closure instead of failing a whole commit group.
const maxKeyLen = 4096

// Key prefixes. One byte of kind plus a slash keeps `badger.bak` readable
// with generic tools and leaves room for more kinds.
const (
	prefixData  = "d/" // d/<coll>\x00<id> → record data
	prefixMeta  = "m/" // m/<coll>\x00<id> → the record's index entries
	prefixIndex = "i/" // i/<coll>\x00<name>\x00<value>\x00<id> → empty
	prefixFeed  = "c/" // c/<8-byte big-endian version> → JSON Change
)

var (
	keySchema    = []byte("s/schema")    // applied migration version
	keyVersion   = []byte("s/version")   // last change-feed version
	keyMigration = []byte("s/migration") // progress of a stepped migration
)

func checkPart(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty %s", ErrInvalidKey, what)
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("%w: %s %q contains a NUL byte", ErrInvalidKey, what, s)
	case len(s) > maxKeyLen:
		return fmt.Errorf("%w: %s is %d bytes long", ErrInvalidKey, what, len(s))
	}
	return nil
}

func checkRecord(coll, id string) error {
	if err := checkPart("collection", coll); err != nil {
		return err
	}
	return checkPart("id", id)
}

// checkIndex validates one entry; an empty value is allowed ("no due
// date" is a value worth finding).
func checkIndex(ix Index) error {
	if err := checkPart("index name", ix.Name); err != nil {
		return err
	}
	if strings.IndexByte(ix.Value, 0) >= 0 {
		return fmt.Errorf("%w: index value %q contains a NUL byte", ErrInvalidKey, ix.Value)
	}
	if len(ix.Value) > maxKeyLen {
		return fmt.Errorf("%w: index value is %d bytes long", ErrInvalidKey, len(ix.Value))
	}
	return nil
}

func join(prefix string, parts ...string) []byte {
	n := len(prefix)
	for _, p := range parts {
		n += len(p) + 1
	}
	k := make([]byte, 0, n)
	k = append(k, prefix...)
	for i, p := range parts {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, p...)
	}
	return k
}

func dataKey(coll, id string) []byte { return join(prefixData, coll, id) }

// dataPrefix is the prefix of all records of coll; the trailing NUL keeps
// collection "a" from matching collection "ab".
func dataPrefix(coll string) []byte { return join(prefixData, coll, "") }

func metaKey(coll, id string) []byte { return join(prefixMeta, coll, id) }

func indexKey(coll string, ix Index, id string) []byte {
	return join(prefixIndex, coll, ix.Name, ix.Value, id)
}

// indexPrefix is the prefix of all entries of index name of coll.
func indexPrefix(coll, name string) []byte { return join(prefixIndex, coll, name, "") }

func feedKey(v uint64) []byte {
	k := make([]byte, len(prefixFeed)+8)
	copy(k, prefixFeed)
	binary.BigEndian.PutUint64(k[len(prefixFeed):], v)
	return k
}

func parseFeedKey(k []byte) (uint64, bool) {
	if len(k) != len(prefixFeed)+8 || string(k[:len(prefixFeed)]) != prefixFeed {
		return 0, false
	}
	return binary.BigEndian.Uint64(k[len(prefixFeed):]), true
}

func encodeUint(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("store: stored counter has %d bytes, want 8", len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// encodeIndexes stores a record's index entries as name\0value\0 pairs:
// neither part may hold a NUL, so the split is unambiguous.
func encodeIndexes(ixs []Index) []byte {
	n := 0
	for _, ix := range ixs {
		n += len(ix.Name) + len(ix.Value) + 2
	}
	b := make([]byte, 0, n)
	for _, ix := range ixs {
		b = append(b, ix.Name...)
		b = append(b, 0)
		b = append(b, ix.Value...)
		b = append(b, 0)
	}
	return b
}

// sameIndexes tells whether b is encodeIndexes(ixs), without making it.
func sameIndexes(b []byte, ixs []Index) bool {
	for _, ix := range ixs {
		for _, part := range [2]string{ix.Name, ix.Value} {
			if len(b) <= len(part) || string(b[:len(part)]) != part || b[len(part)] != 0 {
				return false
			}
			b = b[len(part)+1:]
		}
	}
	return len(b) == 0
}

func decodeIndexes(b []byte) ([]Index, error) {
	var ixs []Index
	parts := strings.Split(string(b), "\x00")
	// A well-formed value ends with NUL, so the split leaves one empty tail.
	if len(parts)%2 != 1 || parts[len(parts)-1] != "" {
		return nil, fmt.Errorf("store: corrupt index list of %d bytes", len(b))
	}
	for i := 0; i+1 < len(parts); i += 2 {
		ixs = append(ixs, Index{Name: parts[i], Value: parts[i+1]})
	}
	return ixs, nil
}
