package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"elvcare/sync/store"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func putBlob(t *testing.T, s store.Store, content string, max int64) (string, error) {
	t.Helper()
	h, size, err := s.Blobs().Put(context.Background(), strings.NewReader(content), max)
	if err == nil && size != int64(len(content)) {
		t.Errorf("Put size = %d, want %d", size, len(content))
	}
	return h, err
}

func testBlobs(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	cases := []struct {
		name    string
		content string
	}{
		{"text", "hello"},
		{"empty", ""},
		{"binary", "\x00\xff\x10"},
		{"large", strings.Repeat("0123456789abcdef", 1<<16)}, // 1 MiB
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // the same content twice is harmless
				h, err := putBlob(t, s, tc.content, 0)
				if err != nil {
					t.Fatalf("Put: %v", err)
				}
				if h != sum(tc.content) {
					t.Errorf("hash = %s, want %s", h, sum(tc.content))
				}
				if !s.Blobs().Has(h) {
					t.Errorf("Has(%s) = false after Put", h)
				}
				if got := readBlob(t, s, h); got != tc.content {
					t.Errorf("content differs: %d bytes, want %d", len(got), len(tc.content))
				}
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		for _, h := range []string{sum("never stored"), "", "../../etc/passwd", strings.Repeat("A", 64), "zz"} {
			if s.Blobs().Has(h) {
				t.Errorf("Has(%q) = true", h)
			}
			if _, _, err := s.Blobs().Open(h); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Open(%q): err = %v, want ErrNotFound", h, err)
			}
		}
	})
}

func testBlobLimits(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	cases := []struct {
		name    string
		content string
		max     int64
		wantErr error
	}{
		{"under", "1234", 5, nil},
		{"exactly", "12345", 5, nil},
		{"over", "123456", 5, store.ErrTooBig},
		{"far over", strings.Repeat("x", 1<<20), 1000, store.ErrTooBig},
		{"no limit", strings.Repeat("y", 1<<20), 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := putBlob(t, s, tc.content, tc.max)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("Put: err = %v, want %v", err, tc.wantErr)
			}
			if has := s.Blobs().Has(sum(tc.content)); has != (tc.wantErr == nil) {
				t.Errorf("Has = %v after Put with err %v", has, err)
			}
			if err == nil && h != sum(tc.content) {
				t.Errorf("hash = %s, want %s", h, sum(tc.content))
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		content := "cancelled upload"
		if _, _, err := s.Blobs().Put(ctx, bytes.NewBufferString(content), 0); !errors.Is(err, context.Canceled) {
			t.Errorf("Put: err = %v, want context.Canceled", err)
		}
		if s.Blobs().Has(sum(content)) {
			t.Errorf("a cancelled upload was kept")
		}
	})
}

func testTornBlob(t *testing.T, open Open, hooks Hooks) {
	if hooks.DamageBlob == nil {
		t.Skip("backend gives no DamageBlob hook")
	}
	dir := t.TempDir()
	s := open(t, dir)
	content := strings.Repeat("signed service form ", 100)
	h, err := putBlob(t, s, content, 0)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	hooks.DamageBlob(t, dir, h)
	for range 2 {
		if rc, _, err := s.Blobs().Open(h); !errors.Is(err, store.ErrNotFound) {
			if rc != nil {
				rc.Close()
			}
			t.Fatalf("Open of a damaged blob: err = %v, want ErrNotFound", err)
		}
	}
	// Uploading the content again repairs it.
	if _, err := putBlob(t, s, content, 0); err != nil {
		t.Fatalf("Put again: %v", err)
	}
	if got := readBlob(t, s, h); got != content {
		t.Errorf("after the second upload the blob reads %q", got)
	}
}
