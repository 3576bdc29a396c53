package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// blobStore keeps each blob in dir/<first two hex digits>/<hash>. Writes go
// to dir/tmp first, so a file under its hash name is always complete; reads
// verify the hash anyway, because disks and people alter files.
type blobStore struct {
	dir   string
	log   *slog.Logger
	ready func() error // refuses writes when closed or the disk is full
}

var _ Blobs = (*blobStore)(nil)

func newBlobStore(dir string, log *slog.Logger, ready func() error) *blobStore {
	return &blobStore{dir: dir, log: log, ready: ready}
}

func (b *blobStore) tmp() string { return filepath.Join(b.dir, "tmp") }

// path returns where blob hash lives, or false for a name that is not a
// hash (which also keeps "../" out of the path).
func (b *blobStore) path(hash string) (string, bool) {
	if !validHash(hash) {
		return "", false
	}
	return filepath.Join(b.dir, hash[:2], hash), true
}

func validHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for _, c := range []byte(h) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// cleanTmp removes what puts interrupted by a crash left behind.
func (b *blobStore) cleanTmp() error {
	entries, err := os.ReadDir(b.tmp())
	if err != nil {
		return fmt.Errorf("store: clean blob temp files: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(b.tmp(), e.Name())); err != nil {
			return fmt.Errorf("store: clean blob temp files: %w", err)
		}
	}
	return nil
}

func (b *blobStore) Put(ctx context.Context, r io.Reader, maxBytes int64) (string, int64, error) {
	if err := b.ready(); err != nil {
		return "", 0, err
	}
	return b.put(ctx, r, maxBytes)
}

func (b *blobStore) put(ctx context.Context, r io.Reader, maxBytes int64) (hash string, size int64, err error) {
	f, err := os.CreateTemp(b.tmp(), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("store: blob temp file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if maxBytes > 0 {
		// One byte more than allowed tells "exactly max" from "too big".
		r = io.LimitReader(r, maxBytes+1)
	}
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), ctxReader{ctx: ctx, r: r})
	if err != nil {
		return "", 0, fmt.Errorf("store: write blob: %w", err)
	}
	if maxBytes > 0 && size > maxBytes {
		return "", 0, fmt.Errorf("%w: blob over %d bytes", ErrTooBig, maxBytes)
	}
	if err = f.Sync(); err != nil {
		return "", 0, fmt.Errorf("store: sync blob: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("store: close blob: %w", err)
	}
	hash = hex.EncodeToString(h.Sum(nil))
	final, _ := b.path(hash)
	shard := filepath.Dir(final)
	if _, statErr := os.Stat(shard); errors.Is(statErr, fs.ErrNotExist) {
		if err = os.Mkdir(shard, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", 0, fmt.Errorf("store: blob directory: %w", err)
		}
		if err = syncDir(b.dir); err != nil {
			return "", 0, err
		}
	}
	// Renaming over an existing copy is harmless (same content) and repairs
	// one that was damaged.
	if err = os.Rename(f.Name(), final); err != nil {
		return "", 0, fmt.Errorf("store: place blob: %w", err)
	}
	if err = syncDir(shard); err != nil {
		return "", 0, err
	}
	return hash, size, nil
}

// syncDir makes a rename or a new entry in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: sync directory %s: %w", dir, err)
	}
	return nil
}

// Open reads the whole blob before answering: verifying while streaming
// would find damage only after part of it had been served.
func (b *blobStore) Open(hash string) (io.ReadCloser, int64, error) {
	p, ok := b.path(hash)
	if !ok {
		return nil, 0, ErrNotFound
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: open blob: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("store: open blob: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, 0, fmt.Errorf("store: read blob: %w", err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hash {
		b.quarantine(hash, p, st)
		return nil, 0, ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(data)), int64(len(data)), nil
}

// quarantine moves a damaged blob aside rather than deleting it (someone
// may want to look at it), so Has says false and the next upload of the
// same content stores a good copy.
func (b *blobStore) quarantine(hash, p string, bad fs.FileInfo) {
	// A good copy may have been put in place since the bad one was read:
	// move only the file that was found bad.
	if now, err := os.Stat(p); err != nil || !os.SameFile(now, bad) {
		b.log.Warn("store: blob content did not match its hash; since replaced", "hash", hash)
		return
	}
	dir := filepath.Join(b.dir, "corrupt")
	dest := filepath.Join(dir, hash+"."+strconv.FormatInt(time.Now().UnixNano(), 10))
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = os.Rename(p, dest)
	}
	b.log.Warn("store: blob content does not match its hash; not served", "hash", hash, "moved_to", dest, "move_err", err)
}

func (b *blobStore) Has(hash string) bool {
	p, ok := b.path(hash)
	if !ok {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
