package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"elvcare/sync/store"
)

// format is the version of the projection's layout and of what it
// indexes. A store holding another format is rebuilt on Start, so change
// it whenever grams, fields or records change meaning.
const format = 1

// The projection lives in its own store collections, outside the change
// feed. Every rebuild writes a new generation beside the old one, which
// keeps answering queries until the new one is complete:
//
//	search.meta    "state" → state (JSON)
//	searchN.docs   %08x document number → doc (see encodeDoc)
//	searchN.ids    kind letter ":" record id → %08x document number
//	searchN.post   %04x block + gram → posting list
//	searchN.own    kind letter %05x chunk → owners of 4096 documents
const (
	collMeta = "search.meta"
	idState  = "state"
)

func collDocs(gen int) string { return "search" + strconv.Itoa(gen) + ".docs" }
func collIDs(gen int) string  { return "search" + strconv.Itoa(gen) + ".ids" }
func collPost(gen int) string { return "search" + strconv.Itoa(gen) + ".post" }
func collOwn(gen int) string  { return "search" + strconv.Itoa(gen) + ".own" }

func genColls(gen int) []string {
	return []string{collDocs(gen), collIDs(gen), collPost(gen), collOwn(gen)}
}

func docKey(n uint32) string { return fmt.Sprintf("%08x", n) }

func parseDocKey(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 16, 32)
	return uint32(v), err
}

func idKey(k kind, id string) string { return kinds[k].letter + ":" + id }

func postKey(block uint32, gram string) string { return fmt.Sprintf("%04x", block) + gram }

// The owner of a document is the sequence number of its customer (0:
// none). A customer owns itself while it is in the archive, so owners
// also tell which customers are live. They are kept in memory for
// SearchCustomers and stored in chunks.
const (
	ownChunkBits = 12
	ownChunk     = 1 << ownChunkBits
)

func ownKey(k kind, chunk uint32) string { return kinds[k].letter + fmt.Sprintf("%05x", chunk) }

func parseOwnKey(s string) (kind, uint32, error) {
	if len(s) < 2 {
		return 0, 0, fmt.Errorf("search: owner chunk key %q", s)
	}
	for k, ki := range kinds {
		if ki.letter == s[:1] {
			c, err := strconv.ParseUint(s[1:], 16, 32)
			return kind(k), uint32(c), err
		}
	}
	return 0, 0, fmt.Errorf("search: owner chunk key %q", s)
}

func encodeOwners(owners []uint32) []byte {
	out := make([]byte, 0, 4*len(owners))
	for _, o := range owners {
		out = binary.LittleEndian.AppendUint32(out, o)
	}
	return out
}

// state is the projection's own record: which generation is current, how
// far in the change feed it is, and what is left to clean up.
type state struct {
	Format int    `json:"format"`
	Gen    int    `json:"gen"`    // current generation; 0: none yet
	Cursor uint64 `json:"cursor"` // every change up to here is applied
	// Pending, when above Cursor, is the end of a step that was being
	// written in several transactions; it is applied again, exactly, before
	// anything else (see step).
	Pending uint64 `json:"pending,omitempty"`
	// Seq is the last sequence number handed out, per kind.
	Seq [numKinds]uint32 `json:"seq"`
	// Building is a generation a rebuild was writing; Stale are old ones.
	// Both are deleted by the next sweep.
	Building int   `json:"building,omitempty"`
	Stale    []int `json:"stale,omitempty"`
}

func loadState(ctx context.Context, st store.Store) (state, error) {
	var s state
	err := st.View(ctx, func(tx store.ReadTx) error {
		b, err := tx.Get(collMeta, idState)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal(b, &s)
	})
	if err != nil {
		return state{}, fmt.Errorf("search: read state: %w", err)
	}
	return s, nil
}

func putState(tx store.Tx, s state) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.Put(collMeta, idState, b)
}

func saveState(ctx context.Context, st store.Store, s state) error {
	if err := st.Update(ctx, func(tx store.Tx) error { return putState(tx, s) }); err != nil {
		return fmt.Errorf("search: save state: %w", err)
	}
	return nil
}

// usable tells whether s describes a complete projection this code reads.
func (s state) usable() bool { return s.Gen > 0 && s.Format == format }
