package store

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// diskCacheFor is how long a free-space reading is trusted: statfs costs a
// syscall, and one second is far shorter than the time to fill the floor.
const diskCacheFor = time.Second

// diskGuard refuses writes while free space is below the floor: Badger that
// hits a full disk can corrupt its files and fail on every restart.
type diskGuard struct {
	dir   string
	floor uint64
	log   *slog.Logger

	mu  sync.Mutex
	at  time.Time
	err error
}

func newDiskGuard(dir string, floor uint64, log *slog.Logger) *diskGuard {
	return &diskGuard{dir: dir, floor: floor, log: log}
}

// check returns nil or an error wrapping ErrDiskFull.
func (d *diskGuard) check() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.at.IsZero() && time.Since(d.at) < diskCacheFor {
		return d.err
	}
	d.at = time.Now()
	free, err := freeBytes(d.dir)
	switch {
	case err != nil:
		// Not knowing is no reason to stop the service; say so loudly.
		d.log.Warn("store: cannot read free disk space", "dir", d.dir, "err", err)
		d.err = nil
	case free < d.floor:
		if d.err == nil {
			d.log.Error("store: free disk below the floor, refusing writes", "dir", d.dir, "free", free, "floor", d.floor)
		}
		d.err = fmt.Errorf("%w: %d bytes free in %s, floor %d", ErrDiskFull, free, d.dir, d.floor)
	default:
		d.err = nil
	}
	return d.err
}
