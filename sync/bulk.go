package sync

import (
	"context"
	"errors"

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
	// Transactions of a few hundred tickets; a batch too big for one is
	// halved and tried again.
	per := 500
	for start := 0; start < len(tickets); {
		batch := tickets[start:min(start+per, len(tickets))]
		err := e.st.Update(ctx, func(tx store.Tx) error {
			for _, t := range batch {
				data, _, err := encodeTicket(&t)
				if err != nil {
					return err
				}
				if err := tx.Put(CollTickets, t.ID, data, ticketIndex(t, e.zone)...); err != nil {
					return err
				}
				sum, err := encodeSummary(summaryOf(t, table))
				if err != nil {
					return err
				}
				if err := writeProjections(tx, t, sum, e.zone); err != nil {
					return err
				}
			}
			return nil
		})
		if errors.Is(err, store.ErrTooBig) && len(batch) > 1 {
			per = len(batch) / 2
			continue
		}
		if err != nil {
			return err
		}
		start += len(batch)
	}
	return nil
}
