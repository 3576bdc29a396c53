package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// Migration changes stored data from the schema before Version to Version.
// Migrations are append-only: once released, a migration is never edited
// or renumbered, only followed by a new one.
//
// Exactly one of Apply and Step is set. Apply runs in one transaction
// together with recording Version, so it must stay small: a transaction
// holds about 6 MiB (beyond that: ErrTooBig). A migration that touches many
// records uses Step instead.
type Migration struct {
	Version int
	Name    string
	// Apply makes the whole change in one transaction.
	Apply func(tx Tx) error
	// Step makes a bounded part of the change (say, 500 records) and
	// returns where to go on, or "" when finished. It is called first with
	// cursor "", then with what the previous call returned, each call in its
	// own transaction that also stores the cursor, so a crash resumes after
	// the last committed step and no step is applied twice.
	Step func(tx Tx, cursor string) (next string, err error)
}

func checkMigrations(ms []Migration) error {
	prev := 0
	for _, m := range ms {
		if m.Version <= prev {
			return fmt.Errorf("store: migration %d (%s) after %d: versions must be positive and increasing", m.Version, m.Name, prev)
		}
		if (m.Apply == nil) == (m.Step == nil) {
			return fmt.Errorf("store: migration %d (%s) must set exactly one of Apply and Step", m.Version, m.Name)
		}
		prev = m.Version
	}
	return nil
}

func highestMigration(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// migrate applies the migrations newer than the stored schema, in order.
func (db *DB) migrate(ctx context.Context) error {
	for _, m := range db.opts.Migrations {
		if m.Version <= db.schema {
			continue
		}
		db.log.Info("store: applying migration", "version", m.Version, "name", m.Name)
		var err error
		if m.Apply != nil {
			err = db.update(ctx, func(w *writeTx) error {
				if err := m.Apply(w); err != nil {
					return err
				}
				return w.set(keySchema, encodeUint(uint64(m.Version)))
			})
		} else {
			err = db.step(ctx, m)
		}
		if err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", m.Version, m.Name, err)
		}
		db.mu.Lock()
		db.schema = m.Version
		db.mu.Unlock()
	}
	return nil
}

func (db *DB) step(ctx context.Context, m Migration) error {
	for {
		var next string
		err := db.update(ctx, func(w *writeTx) error {
			cursor, err := migrationCursor(w, m.Version)
			if err != nil {
				return err
			}
			if next, err = m.Step(w, cursor); err != nil {
				return err
			}
			if next != "" {
				return w.set(keyMigration, append(encodeUint(uint64(m.Version)), next...))
			}
			if err := w.del(keyMigration); err != nil {
				return err
			}
			return w.set(keySchema, encodeUint(uint64(m.Version)))
		})
		if err != nil || next == "" {
			return err
		}
	}
}

// migrationCursor returns where migration version stopped, "" if it has
// not started.
func migrationCursor(w *writeTx, version int) (string, error) {
	b, err := w.get(keyMigration)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if len(b) < 8 || !bytes.Equal(b[:8], encodeUint(uint64(version))) {
		// A cursor of another migration cannot be ours: start afresh.
		return "", nil
	}
	return string(b[8:]), nil
}
