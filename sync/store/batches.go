package store

import (
	"context"
	"errors"
)

// deleteBatch bounds each transaction of DeleteInBatches: housekeeping never
// builds a transaction too big to commit, nor holds the writer for long.
const deleteBatch = 500

// DeleteInBatches deletes records of coll in bounded transactions: next
// names up to limit ids to delete from a fresh snapshot (ErrStop from a scan
// inside it is fine), and the loop ends when it names none.
func DeleteInBatches(ctx context.Context, st Store, coll string, next func(tx ReadTx, limit int) ([]string, error)) error {
	for {
		var ids []string
		err := st.View(ctx, func(tx ReadTx) error {
			var err error
			ids, err = next(tx, deleteBatch)
			return err
		})
		if err != nil && !errors.Is(err, ErrStop) {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if err := st.Update(ctx, func(tx Tx) error {
			for _, id := range ids {
				if err := tx.Delete(coll, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
}
