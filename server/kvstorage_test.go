package server

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"elvcare/sync/store"
)

func TestKVExpiryAndSweep(t *testing.T) {
	st, err := store.Open(store.Options{Dir: t.TempDir(), DiskFloorBytes: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	kv := NewKV(st, "kv", func() time.Time { return now })
	for i, exp := range []time.Duration{time.Minute, time.Hour, 0} {
		if err := kv.Set(string(rune('a'+i)), []byte("v"), exp); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(10 * time.Minute)
	if v, _ := kv.Get("a"); v != nil {
		t.Error("expired key answered")
	}
	if err := kv.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	count := 0
	_ = st.View(context.Background(), func(tx store.ReadTx) error {
		return tx.Scan("kv", "", 0, func(string, []byte) error { count++; return nil })
	})
	if count != 2 {
		t.Errorf("%d keys after the sweep, want 2 (the live and the unexpiring one)", count)
	}
	if err := kv.Reset(); err != nil {
		t.Fatal(err)
	}
	if v, _ := kv.Get("c"); v != nil {
		t.Error("Reset left a key")
	}
}
