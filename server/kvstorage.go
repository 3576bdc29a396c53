package server

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"elvcare/sync/store"
)

// KV implements Fiber's storage interface (Get/Set/Delete/Reset/Close) over
// the store's API, for data that is not business data: sessions and
// throttling counters. It lives in its own collection, outside the change
// feed. Values carry their expiry in front.
type KV struct {
	st   store.Store
	coll string
	now  func() time.Time
}

// NewKV returns a KV over collection coll.
func NewKV(st store.Store, coll string, now func() time.Time) *KV {
	return &KV{st: st, coll: coll, now: now}
}

const kvTimeout = 5 * time.Second

// Get returns the value, or nil (and no error) when missing or expired, as
// Fiber's storage interface expects.
func (k *KV) Get(key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), kvTimeout)
	defer cancel()
	var out []byte
	err := k.st.View(ctx, func(tx store.ReadTx) error {
		v, err := tx.Get(k.coll, key)
		if err != nil {
			return err
		}
		exp := int64(binary.BigEndian.Uint64(v[:8]))
		if exp != 0 && k.now().UnixNano() > exp {
			return store.ErrNotFound
		}
		out = v[8:]
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return out, err
}

// Set stores val for key; exp 0 means no expiry.
func (k *KV) Set(key string, val []byte, exp time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), kvTimeout)
	defer cancel()
	buf := make([]byte, 8+len(val))
	var at int64
	if exp > 0 {
		at = k.now().Add(exp).UnixNano()
	}
	binary.BigEndian.PutUint64(buf, uint64(at))
	copy(buf[8:], val)
	idx := []store.Index{}
	if at != 0 {
		idx = append(idx, store.Index{Name: "exp", Value: expKey(at)})
	}
	return k.st.Update(ctx, func(tx store.Tx) error { return tx.Put(k.coll, key, buf, idx...) })
}

// Delete removes key.
func (k *KV) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), kvTimeout)
	defer cancel()
	return k.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(k.coll, key) })
}

// Reset removes every key.
func (k *KV) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return store.DeleteInBatches(ctx, k.st, k.coll, func(tx store.ReadTx, limit int) ([]string, error) {
		var ids []string
		err := tx.Scan(k.coll, "", limit, func(id string, _ []byte) error {
			ids = append(ids, id)
			return nil
		})
		return ids, err
	})
}

// Close does nothing: the store is closed by its owner.
func (k *KV) Close() error { return nil }

// Sweep deletes expired keys, in bounded batches.
func (k *KV) Sweep(ctx context.Context) error {
	now := expKey(k.now().UnixNano())
	return store.DeleteInBatches(ctx, k.st, k.coll, func(tx store.ReadTx, limit int) ([]string, error) {
		var ids []string
		err := tx.ScanIndex(k.coll, "exp", "", func(v, id string) error {
			if v > now || len(ids) >= limit {
				return store.ErrStop
			}
			ids = append(ids, id)
			return nil
		})
		return ids, err
	})
}

// expKey renders a unix-nano time so string order is time order.
func expKey(ns int64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(ns))
	const hex = "0123456789abcdef"
	out := make([]byte, 16)
	for i, c := range b {
		out[2*i], out[2*i+1] = hex[c>>4], hex[c&15]
	}
	return string(out)
}
