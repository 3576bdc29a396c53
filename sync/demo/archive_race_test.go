//go:build race

package demo_test

import "time"

// loadBudget is generous under the race detector, which slows the load
// several times over; the 3 s budget is checked without it.
const loadBudget = 15 * time.Second
