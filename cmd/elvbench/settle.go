package main

import "time"

// settle waits, up to limit, until this process has been nearly idle for a
// quarter of a second. Between the rounds of a ratio both sides' stores
// flush and compact in the background, and a round timed while the other
// side's store is still at it is charged with that side's work: measured,
// the raw baseline's rounds ran at ~80,000 or ~230,000 keys a second
// depending on whether the push store behind them was compacting. Each
// round starts from a quiet process instead.
func settle(limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		c0, ok := cpuSeconds()
		t0 := time.Now()
		time.Sleep(250 * time.Millisecond)
		c1, _ := cpuSeconds()
		if ok && (c1-c0)/time.Since(t0).Seconds() < 0.1 {
			return
		}
	}
}
