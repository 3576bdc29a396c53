package store

import (
	"encoding/binary"
	"errors"
	"time"
)

// Change-feed entries are stored in a small binary form rather than JSON:
// the record data is JSON already, and JSON would base64 it (a third larger
// and slower on the write path). Layout: format byte, version, unix nanos,
// then length-prefixed collection, id, op, scope count and scopes, data.
const changeFormat = 1

var errBadChange = errors.New("store: malformed change entry")

func encodeChange(c Change) []byte {
	n := 1 + 8 + 8 + 4*5 + len(c.Collection) + len(c.ID) + len(c.Op) + len(c.Data)
	for _, s := range c.Scopes {
		n += 4 + len(s)
	}
	b := make([]byte, 0, n)
	b = append(b, changeFormat)
	b = binary.BigEndian.AppendUint64(b, c.Version)
	b = binary.BigEndian.AppendUint64(b, uint64(c.At.UnixNano()))
	b = appendField(b, c.Collection)
	b = appendField(b, c.ID)
	b = appendField(b, c.Op)
	b = binary.AppendUvarint(b, uint64(len(c.Scopes)))
	for _, s := range c.Scopes {
		b = appendField(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Data)))
	return append(b, c.Data...)
}

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func decodeChange(b []byte) (Change, error) {
	var c Change
	if len(b) < 17 || b[0] != changeFormat {
		return c, errBadChange
	}
	c.Version = binary.BigEndian.Uint64(b[1:9])
	c.At = time.Unix(0, int64(binary.BigEndian.Uint64(b[9:17]))).UTC()
	rest := b[17:]
	var ok bool
	next := func() string {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			ok = false
			return ""
		}
		s := string(rest[k : k+int(n)])
		rest = rest[k+int(n):]
		return s
	}
	ok = true
	c.Collection, c.ID, c.Op = next(), next(), next()
	ns, k := binary.Uvarint(rest)
	if !ok || k <= 0 || ns > uint64(len(rest)) {
		return c, errBadChange
	}
	rest = rest[k:]
	if ns > 0 {
		c.Scopes = make([]string, ns)
		for i := range c.Scopes {
			c.Scopes[i] = next()
		}
	}
	nd, k := binary.Uvarint(rest)
	if !ok || k <= 0 || uint64(len(rest)-k) != nd {
		return c, errBadChange
	}
	if nd > 0 {
		c.Data = append([]byte(nil), rest[k:]...)
	}
	return c, nil
}
