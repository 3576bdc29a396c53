package xlsx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// MutationImport is the last mutation of every import: it writes the
// import log record and holds the import's idempotency. Register adds it
// to an engine.
const MutationImport = "archive.import"

// CollImports is the import log: one record per imported workbook, who and
// when, the file's SHA-256 and the counts. A record made under an
// Idempotency-Key has an id derived from the user and the key, so a retry
// finds it and gets the first answer. The change feed carries it to nobody
// (no scope): it is not archive data a client mirrors.
const CollImports = "archive_imports"

// ImportArgs are the arguments of archive.import, made by Import only.
type ImportArgs struct {
	ID       string `json:"id"`
	Keyed    bool   `json:"keyed,omitempty"` // ID is derived from an Idempotency-Key
	BodyHash string `json:"bodyHash"`
	Counts   Counts `json:"counts"`
	DryRun   bool   `json:"dryRun,omitempty"`
	// CustomerNames are the workbook's customers, checked again here,
	// inside the transaction: two imports of one file at once must not
	// both pass the check made before.
	CustomerNames []string `json:"customerNames"`
}

// ErrConcurrentImport: another import wrote the same customers while this
// one was being checked.
var ErrConcurrentImport = domain.E(domain.KindConflict, "import.concurrent")

// ImportRecord is an entry of the import log.
type ImportRecord struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	BodyHash string    `json:"bodyHash"`
	Result   Result    `json:"result"`
}

// Register adds archive.import to eng; a second call does nothing.
func Register(eng *sync.Engine) {
	if eng.Known(MutationImport) {
		return
	}
	eng.Register(MutationImport, domain.PermArchiveImport, recordImport)
}

// errDryRun ends a dry run after every mutation has been applied: the
// transaction is dropped, nothing is kept.
var errDryRun = errors.New("xlsx: dry run")

// replayError ends an import whose Idempotency-Key was already used with
// the same file: the transaction is dropped, the first answer is given.
type replayError struct{ result Result }

func (e *replayError) Error() string { return "xlsx: import replayed" }

func recordImport(c *sync.Ctx, raw json.RawMessage) (any, error) {
	var a ImportArgs
	if err := sync.DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	// Only the import route makes this mutation; an offline batch may not.
	if c.Actor.Device != "" {
		return nil, domain.ErrForbidden
	}
	if a.ID == "" {
		return nil, domain.Problems{"id": "required"}.Err()
	}
	if a.Keyed {
		var prev ImportRecord
		err := c.Get(CollImports, a.ID, &prev)
		switch {
		case err == nil && prev.BodyHash == a.BodyHash:
			return nil, &replayError{result: prev.Result}
		case err == nil:
			return nil, sync.ErrIdempotencyReuse
		case domain.KindOf(err) != domain.KindNotFound:
			return nil, err
		}
	}
	if err := checkNamesOnce(c, a.CustomerNames); err != nil {
		return nil, err
	}
	if a.DryRun {
		return nil, errDryRun
	}
	res := Result{Imported: a.Counts}
	by := c.Actor.UserID
	if by == "" {
		by = c.Actor.Via
	}
	rec := ImportRecord{ID: a.ID, At: c.Now, By: by, BodyHash: a.BodyHash, Result: res}
	return res, c.Put(CollImports, a.ID, rec, sync.PutOpts{})
}

// checkNamesOnce fails when a customer name of the workbook is now stored
// more than once: the customers it has just created, and another's.
func checkNamesOnce(c *sync.Ctx, names []string) error {
	want := make(map[string]int, len(names))
	for _, n := range names {
		want[n] = 0
	}
	err := c.Tx().Scan(sync.CollCustomers, "", 0, func(_ string, data []byte) error {
		var cu struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(data, &cu); err != nil {
			return err
		}
		if n, ok := want[cu.Name]; ok {
			if n > 0 {
				return ErrConcurrentImport
			}
			want[cu.Name] = n + 1
		}
		return nil
	})
	return err
}

// keyedID is the import log id of an Idempotency-Key: per user, like the
// engine's own idempotency records.
func keyedID(userID, key string) string {
	sum := sha256.Sum256([]byte("import\x00" + userID + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// findImport reads an import log record; found is false when there is none.
func findImport(ctx context.Context, st store.Store, id string) (rec ImportRecord, found bool, err error) {
	err = st.View(ctx, func(tx store.ReadTx) error {
		err := sync.GetJSON(tx, CollImports, id, &rec)
		if domain.KindOf(err) == domain.KindNotFound {
			return nil
		}
		found = err == nil
		return err
	})
	return rec, found, err
}
