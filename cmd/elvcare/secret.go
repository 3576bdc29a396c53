package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"elvcare/sync"
)

// secretKeyFile holds the key that encrypts device credentials, in the data
// directory. It is made on first start and must be kept with the data: a
// backup (elvcare backup) does not contain it, on purpose, so a stolen
// backup does not reveal device passwords; restore it next to the restored
// data, or the stored credentials can no longer be revealed.
const secretKeyFile = "secret.key"

// loadSecretKey reads DATA/secret.key (64 hex digits: 32 bytes), creating
// it with fresh random bytes and mode 0600 when it does not exist.
func loadSecretKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, secretKeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createSecretKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("credential key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != sync.CredentialKeySize {
		return nil, fmt.Errorf("credential key %s: want %d hex digits", path, 2*sync.CredentialKeySize)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("credential key %s is readable by others and cannot be restricted: %w", path, err)
		}
	}
	return key, nil
}

func createSecretKey(path string) ([]byte, error) {
	key := make([]byte, sync.CredentialKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// O_EXCL: two processes starting at once must not each write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadSecretKey(filepath.Dir(path))
	}
	if err != nil {
		return nil, fmt.Errorf("create credential key: %w", err)
	}
	_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("write credential key: %w", err)
	}
	return key, nil
}
