// Package store is ELVcare's persistence: transactions over named
// collections with secondary indexes, a gap-free change feed and a blob store
// for files. The interface is what the rest of the program sees; Badger is the
// one backend today, and every backend must pass the suite in storetest.
package store

import (
	"context"
	"errors"
	"io"
	"time"
)

// Errors every backend returns; callers test them with errors.Is.
var (
	// ErrNotFound: no record with that id, or no blob with that hash.
	ErrNotFound = errors.New("store: not found")
	// ErrDiskFull: free disk is below the configured floor; nothing was written.
	ErrDiskFull = errors.New("store: free disk below the floor")
	// ErrClosed: the store is closed or closing.
	ErrClosed = errors.New("store: closed")
	// ErrNewerSchema: the data directory was written by a newer version.
	ErrNewerSchema = errors.New("store: data written by a newer version")
	// ErrTooBig: one Update closure wrote more than a transaction can hold.
	ErrTooBig = errors.New("store: transaction too big")
)

// Index is one secondary-index entry of a record: Lookup(coll, Name, Value)
// finds it. A record may carry several entries with the same Name.
type Index struct {
	Name  string
	Value string
}

// Change is one entry of the change feed. Version is assigned by the store
// when the change is emitted, strictly increasing with no gap, and a reader
// never sees version N+1 before version N is visible.
type Change struct {
	Version    uint64    `json:"version"`
	Collection string    `json:"collection"`
	ID         string    `json:"id"`
	Op         string    `json:"op"` // "put" or "delete"
	Data       []byte    `json:"data,omitempty"`
	Scopes     []string  `json:"scopes,omitempty"` // who may pull this change, e.g. "all", "user:ID"
	At         time.Time `json:"at"`
}

// ReadTx reads a consistent snapshot.
type ReadTx interface {
	// Get returns a copy of the record's data, or ErrNotFound.
	Get(coll, id string) ([]byte, error)
	// Scan visits the records of coll in id order, starting after the id
	// `after` ("" for the start), until fn returns ErrStop or an error, or
	// limit records were visited (limit <= 0: no limit).
	Scan(coll, after string, limit int, fn func(id string, data []byte) error) error
	// GetMany visits the records coll/id of ids that exist, in the order
	// of ids, which must be ascending without repeats, with a copy of each
	// one's data, until fn returns ErrStop or an error. It reads them in
	// key order, walking over neighbours instead of looking each one up: a
	// technician's first pull reads thousands of records.
	GetMany(coll string, ids []string, fn func(id string, data []byte) error) error
	// Lookup returns the ids of the records of coll whose index name has
	// exactly value, in id order.
	Lookup(coll, name, value string) ([]string, error)
	// ScanIndex visits the (value, id) pairs of index name of coll whose
	// value starts with prefix, in (value, id) order, until fn returns
	// ErrStop or an error.
	ScanIndex(coll, name, prefix string, fn func(value, id string) error) error
	// Changes visits the change feed from version after+1 on, in order, at
	// most limit entries (limit <= 0: no limit), until fn returns ErrStop.
	Changes(after uint64, limit int, fn func(Change) error) error
}

// Tx is a read-write transaction. Writes are visible to later reads in the
// same Tx and to nobody else until the Update that runs it returns nil.
type Tx interface {
	ReadTx
	// Put creates or replaces a record and replaces all its index entries.
	Put(coll, id string, data []byte, idx ...Index) error
	// Append adds a record that is written once and kept as it is for good
	// (an audit entry), under an id its writer made new (a UUIDv7). It
	// costs one key less than Put: the record's index entries are written
	// but not listed, so a Put or Delete of it later would leave them
	// behind, and it must have neither.
	Append(coll, id string, data []byte, idx ...Index) error
	// PutOwned and AppendOwned are Put and Append of a value the caller
	// hands over: it is kept without a copy, so the caller must never
	// change data afterwards (a buffer it has just encoded).
	PutOwned(coll, id string, data []byte, idx ...Index) error
	AppendOwned(coll, id string, data []byte, idx ...Index) error
	// Delete removes a record and its index entries; a missing record is no error.
	Delete(coll, id string) error
	// Emit appends c to the change feed and returns its version. c.Version
	// is ignored.
	Emit(c Change) (uint64, error)
	// Savepoint runs fn in a nested transaction: when fn returns an error,
	// what fn wrote (records and change-feed entries) is dropped and the
	// transaction goes on as before it; otherwise it is kept. A sync push
	// applies each mutation of a batch in its own savepoint.
	Savepoint(fn func(tx Tx) error) error
}

// ErrStop ends a Scan, ScanIndex or Changes early without an error.
var ErrStop = errors.New("store: stop")

// Store is the persistence of one data directory.
type Store interface {
	// Update runs fn in a read-write transaction and commits it durably
	// (fsynced) before returning nil. If fn returns an error nothing of it is
	// written and Update returns that error. fn may be run more than once
	// (on a commit conflict), so it must have no effect outside tx.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// View runs fn on a consistent snapshot.
	View(ctx context.Context, fn func(tx ReadTx) error) error
	// LastVersion is the newest committed change-feed version (0 when empty).
	LastVersion() uint64
	// Blobs is the file store beside the records.
	Blobs() Blobs
	// Ready tells whether writes are accepted now: nil, ErrDiskFull or ErrClosed.
	Ready() error
	// Backup writes a full, consistent copy of records and blobs to w.
	Backup(ctx context.Context, w io.Writer) error
	// Close flushes and closes; it is safe to call twice.
	Close() error
}

// Blobs stores files addressed by the hex SHA-256 of their content.
type Blobs interface {
	// Put stores the content of r and returns its hex SHA-256 and size. The
	// blob becomes visible only complete (temp file, fsync, rename); storing
	// the same content twice is harmless. maxBytes > 0 caps the size
	// (ErrTooBig beyond it, nothing kept).
	Put(ctx context.Context, r io.Reader, maxBytes int64) (hash string, size int64, err error)
	// Open returns the blob's content, or ErrNotFound. The content read is
	// verified against the hash: a torn or altered file is never served.
	Open(hash string) (io.ReadCloser, int64, error)
	// Has tells whether a complete blob with that hash exists.
	Has(hash string) bool
}
