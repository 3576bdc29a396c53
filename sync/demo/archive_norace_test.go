//go:build !race

package demo_test

import "time"

// loadBudget is how long loading the demo may take.
const loadBudget = 3 * time.Second
