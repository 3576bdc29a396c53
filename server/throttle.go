package server

import (
	"encoding/json"
	"strconv"
	"time"

	"elvcare/domain"
)

// Login throttling: exponential backoff per account and per client address.
// There is no hard lock-out, so a stranger cannot keep the desk out for
// long: after the free attempts, each failure doubles the wait, capped.
type throttle struct {
	kv    *KV
	now   func() time.Time
	free  int           // failures allowed before waiting
	limit time.Duration // the longest wait
}

type throttleRecord struct {
	Failures int       `json:"failures"`
	Until    time.Time `json:"until"`
}

// check refuses with 429 while key must wait.
func (t throttle) check(key string) error {
	r := t.get(key)
	if wait := r.Until.Sub(t.now()); wait > 0 {
		sec := int(wait.Seconds() + 0.999)
		return domain.ErrTooMany.With("seconds", strconv.Itoa(sec))
	}
	return nil
}

func (t throttle) get(key string) throttleRecord {
	var r throttleRecord
	if raw, err := t.kv.Get(key); err == nil && raw != nil {
		_ = json.Unmarshal(raw, &r)
	}
	return r
}

// fail records a failure and sets the next wait.
func (t throttle) fail(key string) error {
	r := t.get(key)
	r.Failures++
	if over := r.Failures - t.free; over > 0 {
		wait := time.Second << min(over-1, 20)
		r.Until = t.now().Add(min(wait, t.limit))
	}
	data, _ := json.Marshal(r)
	// Forget failures a day after the last one.
	return t.kv.Set(key, data, 24*time.Hour)
}

// reset forgets key's failures after a success.
func (t throttle) reset(key string) error { return t.kv.Delete(key) }
