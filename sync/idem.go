package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"elvcare/sync/store"
)

// CollIdem holds idempotency records: outside the change feed, not
// business data, written in the same transaction as the mutation.
const CollIdem = "idem"

type idemRecord struct {
	Name     string          `json:"name"`
	ArgsHash string          `json:"argsHash"`
	Result   json.RawMessage `json:"result"`
	At       time.Time       `json:"at"`
}

func getIdem(tx store.ReadTx, id string) (idemRecord, error) {
	var r idemRecord
	data, err := tx.Get(CollIdem, id)
	if err != nil {
		return r, err
	}
	err = json.Unmarshal(data, &r)
	return r, err
}

func putIdem(tx store.Tx, id string, r idemRecord) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Put(CollIdem, id, data, store.Index{Name: "at", Value: r.At.UTC().Format(time.RFC3339Nano)})
}

func hashArgs(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		buf.Reset()
		buf.Write(raw)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// PruneIdempotency forgets idempotency records older than age, in bounded
// batches; a client retries within minutes, not weeks.
func (e *Engine) PruneIdempotency(ctx context.Context, age time.Duration) error {
	cutoff := e.now().Add(-age).UTC().Format(time.RFC3339Nano)
	return store.DeleteInBatches(ctx, e.st, CollIdem, func(tx store.ReadTx, limit int) ([]string, error) {
		var ids []string
		err := tx.ScanIndex(CollIdem, "at", "", func(v, id string) error {
			if v >= cutoff || len(ids) >= limit {
				return store.ErrStop
			}
			ids = append(ids, id)
			return nil
		})
		return ids, err
	})
}
