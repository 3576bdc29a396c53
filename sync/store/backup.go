package store

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// A backup is a tar stream: first badger.bak (Badger's own backup format,
// all records, indexes and the feed at one snapshot), then blobs/<hash> for
// every blob. Blobs are never deleted, so every blob the snapshot refers to
// is still there when they are listed after it.
const backupDB = "badger.bak"

// Backup writes a full, consistent copy of records and blobs to w.
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ts, err := db.enter()
	if err != nil {
		return err
	}
	defer db.leave(ts)

	// tar needs each entry's size up front, so Badger's stream goes to a
	// temp file first.
	f, err := os.CreateTemp(db.blobs.tmp(), "backup-*")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	stream := db.bdb.NewStreamAt(ts)
	stream.LogPrefix = "store.Backup"
	if _, err := stream.Backup(ctxWriter{ctx: ctx, w: f}, 0); err != nil {
		return fmt.Errorf("store: backup records: %w", err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}

	tw := tar.NewWriter(ctxWriter{ctx: ctx, w: w})
	now := time.Now()
	if err := addTarFile(tw, backupDB, size, now, f); err != nil {
		return err
	}
	if err := db.backupBlobs(tw, now); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func (db *DB) backupBlobs(tw *tar.Writer, now time.Time) error {
	shards, err := os.ReadDir(db.blobs.dir)
	if err != nil {
		return fmt.Errorf("store: backup blobs: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || len(s.Name()) != 2 {
			continue // tmp, corrupt
		}
		files, err := os.ReadDir(filepath.Join(db.blobs.dir, s.Name()))
		if err != nil {
			return fmt.Errorf("store: backup blobs: %w", err)
		}
		for _, fe := range files {
			p, ok := db.blobs.path(fe.Name())
			if !ok {
				continue
			}
			if err := addBlob(tw, p, fe.Name(), now); err != nil {
				return err
			}
		}
	}
	return nil
}

func addBlob(tw *tar.Writer, p, hash string, now time.Time) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("store: backup blob %s: %w", hash, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: backup blob %s: %w", hash, err)
	}
	return addTarFile(tw, path.Join("blobs", hash), st.Size(), now, f)
}

func addTarFile(tw *tar.Writer, name string, size int64, mod time.Time, r io.Reader) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: mod}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("store: backup %s: %w", name, err)
	}
	// CopyN: a file that changed size since the header would break the tar.
	if _, err := io.CopyN(tw, r, size); err != nil {
		return fmt.Errorf("store: backup %s: %w", name, err)
	}
	return nil
}

// ctxWriter aborts a long write when its context ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Restore loads a Backup stream into dir, which must be empty or missing.
// Every blob is verified against its name. On error, dir is left empty.
// Open the store afterwards as usual (pending migrations then apply).
func Restore(dir string, r io.Reader) (err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("store: restore: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("store: restore: %s is not empty", dir)
	}
	for _, d := range []string{dbDir(dir), tmpDir(dir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("store: restore: %w", err)
		}
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dbDir(dir))
			os.RemoveAll(blobDir(dir))
		}
	}()

	log := slog.Default()
	bdb, err := badger.Open(badgerOptions(dbDir(dir), log))
	if err != nil {
		return fmt.Errorf("store: restore: open badger: %w", err)
	}
	defer func() {
		if cerr := bdb.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("store: restore: close badger: %w", cerr)
		}
	}()
	blobs := newBlobStore(blobDir(dir), log, nil)

	loaded := false
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("store: restore: read backup: %w", err)
		}
		switch dirName, hash := path.Split(hdr.Name); {
		case hdr.Name == backupDB && !loaded:
			// 16 pending batches: enough to keep Badger busy, bounded memory.
			if err := bdb.Load(tr, 16); err != nil {
				return fmt.Errorf("store: restore records: %w", err)
			}
			loaded = true
		case dirName == "blobs/" && validHash(hash):
			got, _, err := blobs.put(context.Background(), tr, hdr.Size)
			if err != nil {
				return fmt.Errorf("store: restore blob %s: %w", hash, err)
			}
			if got != hash {
				return fmt.Errorf("store: restore: blob %s in the backup is damaged (content hashes to %s)", hash, got)
			}
		default:
			return fmt.Errorf("store: restore: unexpected entry %q in backup", hdr.Name)
		}
	}
	if !loaded {
		return fmt.Errorf("store: restore: no %s in backup", backupDB)
	}
	return nil
}
