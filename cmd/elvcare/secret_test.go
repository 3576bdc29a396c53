package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSecretKey(t *testing.T) {
	dir := t.TempDir()
	key, err := loadSecretKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 32 || bytes.Equal(key, make([]byte, 32)) {
		t.Fatalf("key %x: want 32 random bytes", key)
	}
	path := filepath.Join(dir, secretKeyFile)
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	again, err := loadSecretKey(dir)
	if err != nil || !bytes.Equal(again, key) {
		t.Errorf("second load: %v, same key %v", err, bytes.Equal(again, key))
	}

	// A key readable by others is tightened, not refused.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSecretKey(dir); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after load, want 0600", st.Mode().Perm())
	}

	// A damaged key is an error, never silently replaced: the stored
	// credentials depend on it.
	for _, bad := range []string{"not hex\n", "abcd\n"} {
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadSecretKey(dir); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}
