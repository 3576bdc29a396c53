package sync

import (
	"context"
	"encoding/json"

	"elvcare/domain"
	"elvcare/sync/store"
)

// BulkLoadTickets stores tickets as they are, with their indexes and
// summaries, in batches — bypassing the write path (no change feed, no
// audit, no scopes). It is for benchmarks and one-off migrations of history,
// never for live work.
func (e *Engine) BulkLoadTickets(ctx context.Context, tickets []domain.Ticket) error {
	table, err := e.ScoreTable(ctx)
	if err != nil {
		return err
	}
	const per = 2000
	for start := 0; start < len(tickets); start += per {
		batch := tickets[start:min(start+per, len(tickets))]
		err := e.st.Update(ctx, func(tx store.Tx) error {
			for _, t := range batch {
				data, err := json.Marshal(t)
				if err != nil {
					return err
				}
				if err := tx.Put(CollTickets, t.ID, data, ticketIndex(t, e.zone)...); err != nil {
					return err
				}
				sum, _ := json.Marshal(summaryOf(t, table))
				if err := writeProjections(tx, t, sum, e.zone); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
