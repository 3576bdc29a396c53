package sync

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// CollPublished holds frozen monthly statistics, one record per month and
// version: a publication is never overwritten.
const CollPublished = "stats_published"

const scoreTableID = "score_table"

// PublishArgs publish a month.
type PublishArgs struct {
	Month string `json:"month"`
	Note  string `json:"note,omitempty"` // why a republish was needed
}

func scoreTable(r store.ReadTx) (domain.ScoreTable, error) {
	t := domain.DefaultScoreTable()
	err := GetJSON(r, CollSettings, scoreTableID, &t)
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.DefaultScoreTable(), nil
	}
	return t, err
}

func setScoreTable(c *Ctx, raw json.RawMessage) (any, error) {
	var t domain.ScoreTable
	if err := DecodeArgs(raw, &t); err != nil {
		return nil, err
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, c.Put(CollSettings, scoreTableID, t, PutOpts{Scopes: []string{"role:desk", "role:admin", "role:manager"}})
}

// ScoreTable is the scoring table in force.
func (e *Engine) ScoreTable(ctx context.Context) (domain.ScoreTable, error) {
	var t domain.ScoreTable
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		t, err = scoreTable(tx)
		return err
	})
	return t, err
}

// monthlyStats computes a month from the statistics facts of the tickets
// whose callback fell in it.
func (e *Engine) monthlyStats(tx store.ReadTx, m domain.Month) ([]domain.TechMonth, domain.ScoreTable, error) {
	table, err := scoreTable(tx)
	if err != nil {
		return nil, table, err
	}
	prefix := m.String() + "/"
	var facts []domain.StatsFact
	err = tx.Scan(collStatsFacts, prefix, 0, func(key string, data []byte) error {
		if !strings.HasPrefix(key, prefix) {
			return store.ErrStop
		}
		var f domain.StatsFact
		if err := json.Unmarshal(data, &f); err != nil {
			return err
		}
		facts = append(facts, f)
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrStop) {
		return nil, table, err
	}
	names := map[string]string{}
	for _, f := range facts {
		for _, u := range f.Crew {
			if _, ok := names[u]; !ok {
				var usr domain.User
				if GetJSON(tx, CollUsers, u, &usr) == nil {
					names[u] = usr.Name
				}
			}
		}
	}
	rows, err := domain.MonthlyStatsOf(facts, table, names)
	return rows, table, err
}

// MonthlyStats computes a month's statistics now (not frozen).
func (e *Engine) MonthlyStats(ctx context.Context, month string) ([]domain.TechMonth, error) {
	m, err := domain.ParseMonth(month)
	if err != nil {
		return nil, domain.Problems{"month": "invalid_month"}.Err()
	}
	var rows []domain.TechMonth
	err = e.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		rows, _, err = e.monthlyStats(tx, m)
		return err
	})
	return rows, err
}

func publishStats(c *Ctx, raw json.RawMessage) (any, error) {
	var a PublishArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	m, err := domain.ParseMonth(a.Month)
	if err != nil {
		return nil, domain.Problems{"month": "invalid_month"}.Err()
	}
	if !domain.MonthOf(c.Now, c.e.zone).After(m) && domain.MonthOf(c.Now, c.e.zone) != m {
		return nil, domain.Problems{"month": "future_month"}.Err()
	}
	prev, err := c.tx.Lookup(CollPublished, "month", m.String())
	if err != nil {
		return nil, err
	}
	if len(prev) > 0 && strings.TrimSpace(a.Note) == "" {
		return nil, domain.Problems{"note": "republish_needs_note"}.Err()
	}
	rows, table, err := c.e.monthlyStats(c.tx, m)
	if err != nil {
		return nil, err
	}
	p := domain.NewPublication(m, len(prev)+1, a.Note, c.Now, c.Actor.UserID, table, rows)
	if _, err := c.tx.Get(CollPublished, p.ID); err == nil {
		return nil, errors.New("publication exists") // cannot happen: versions only grow
	}
	err = c.Put(CollPublished, p.ID, p, PutOpts{Scopes: []string{"role:desk", "role:manager", "role:admin", "role:finance"},
		Index: []store.Index{{Name: "month", Value: p.Month}}})
	return p, err
}

// Publications lists the frozen versions of a month ("" for all), oldest first.
func (e *Engine) Publications(ctx context.Context, month string) ([]domain.PublishedMonth, error) {
	var out []domain.PublishedMonth
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(CollPublished, "", 0, func(_ string, data []byte) error {
			var p domain.PublishedMonth
			if err := json.Unmarshal(data, &p); err != nil {
				return err
			}
			if month == "" || p.Month == month {
				out = append(out, p)
			}
			return nil
		})
	})
	return out, err
}
