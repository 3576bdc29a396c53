package xlsx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// MaxBytes is the largest workbook accepted.
const MaxBytes = 20 << 20

// MaxRows is the most data rows one import reads. One import is one
// transaction, which holds about 6 MiB of writes: a record of the
// archive costs about 2.2 KB with its indexes, change-feed entry and audit
// entry, so about 2,800 rows fit (measured: docs/import.md); past the
// transaction's capacity the answer is ErrTooBig. A workbook over MaxRows
// cannot fit and is refused before it is checked.
const MaxRows = 5000

// ErrTooBig: the workbook does not fit in one transaction; split it.
var ErrTooBig = domain.E(domain.KindTooLarge, "import.too_big")

// Options of an import.
type Options struct {
	// DryRun checks the workbook and runs the whole import, then drops
	// it: what the import would answer, with nothing written.
	DryRun bool
	// IdempotencyKey makes a retry of the same file with the same key
	// return the first answer and import nothing more; the same key with
	// another file is refused.
	IdempotencyKey string
}

// Result is the answer of an import.
type Result struct {
	// Imported counts the records created (for a dry run: that would be).
	Imported Counts `json:"imported"`
	DryRun   bool   `json:"dryRun,omitempty"`
}

// Import checks every row of the workbook data and, when there is no
// problem, creates its customers, sites, contacts, contracts and equipment
// through the write path in ONE transaction (Engine.ApplyAll): all of them
// or, on any failure or a crash, none. Problems come back as an
// *InvalidError listing every one; a workbook too big for one transaction
// is ErrTooBig. eng must have archive.import registered (Register).
func Import(ctx context.Context, eng *sync.Engine, a sync.Actor, data []byte, o Options) (Result, error) {
	if len(data) > MaxBytes {
		return Result{}, domain.ErrTooLarge
	}
	sum := sha256.Sum256(data)
	bodyHash := hex.EncodeToString(sum[:])
	logID, keyed := sync.NewID(), o.IdempotencyKey != "" && !o.DryRun
	if keyed {
		logID = keyedID(a.UserID, o.IdempotencyKey)
		rec, found, err := findImport(ctx, eng.Store(), logID)
		switch {
		case err != nil:
			return Result{}, err
		case found && rec.BodyHash == bodyHash:
			return rec.Result, nil
		case found:
			return Result{}, sync.ErrIdempotencyReuse
		}
	}

	wb, err := readWorkbook(data, MaxRows)
	if err != nil {
		return Result{}, err
	}
	if len(wb.problems) > 0 {
		sortProblems(wb.problems)
		return Result{}, &InvalidError{Problems: wb.problems}
	}
	if wb.count == 0 {
		return Result{}, ErrEmpty
	}
	ex, err := loadExisting(ctx, eng.Store())
	if err != nil {
		return Result{}, err
	}
	pl := buildPlan(wb, ex, newVocab(), eng.Now())
	if len(pl.problems) > 0 {
		return Result{}, &InvalidError{Problems: pl.problems}
	}

	ms := make([]sync.Mutation, 0, len(pl.pending)+1)
	for _, pd := range pl.pending {
		ms = append(ms, pd.m)
	}
	last, err := json.Marshal(ImportArgs{ID: logID, Keyed: keyed, BodyHash: bodyHash, Counts: pl.counts, DryRun: o.DryRun,
		CustomerNames: pl.customerNames})
	if err != nil {
		return Result{}, err
	}
	ms = append(ms, sync.Mutation{Name: MutationImport, Args: last})

	_, err = eng.ApplyAll(ctx, a, ms)
	var replay *replayError
	var be *sync.BatchError
	switch {
	case err == nil:
		return Result{Imported: pl.counts}, nil
	case errors.Is(err, errDryRun):
		return Result{Imported: pl.counts, DryRun: true}, nil
	case errors.As(err, &replay):
		return replay.result, nil
	case errors.Is(err, store.ErrTooBig):
		// Not wrapped: the server would answer the store's generic error.
		return Result{}, ErrTooBig.With("rows", strconv.Itoa(pl.counts.Rows()))
	case errors.As(err, &be) && be.Index < len(pl.pending):
		if ps, ok := problemsAt(pl.pending[be.Index].o, be.Err); ok {
			return Result{}, &InvalidError{Problems: ps}
		}
	}
	return Result{}, err
}

// loadExisting reads the customer names and contract numbers already in
// the archive.
func loadExisting(ctx context.Context, st store.Store) (existing, error) {
	ex := existing{customerNames: map[string]bool{}, contractNumbers: map[string]bool{}}
	err := st.View(ctx, func(tx store.ReadTx) error {
		if err := tx.Scan(sync.CollCustomers, "", 0, func(_ string, data []byte) error {
			var c struct {
				Name string `json:"name"`
			}
			if err := json.Unmarshal(data, &c); err != nil {
				return err
			}
			ex.customerNames[c.Name] = true
			return nil
		}); err != nil {
			return err
		}
		return tx.Scan(sync.CollContracts, "", 0, func(_ string, data []byte) error {
			var c struct {
				Number string `json:"number"`
			}
			if err := json.Unmarshal(data, &c); err != nil {
				return err
			}
			ex.contractNumbers[normCode(c.Number)] = true
			return nil
		})
	})
	return ex, err
}
