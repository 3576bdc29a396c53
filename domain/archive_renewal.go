package domain

import "slices"

// ContractEnding is a contract whose period or warranty ends soon.
type ContractEnding struct {
	Contract Contract `json:"contract"`
	Until    Date     `json:"until"`    // last covered day (Contract.Until)
	DaysLeft int      `json:"daysLeft"` // from today to Until; 0 is today
}

// ContractsEndingWithin lists the contracts whose last covered day (the
// warranty end of a project contract, the period end of the others) falls
// from today through today+days, soonest first, for renewal reminders
// (R-QYBS-2). A contract another contract already renews (PreviousID) is
// left out: it has been dealt with.
func ContractsEndingWithin(contracts []Contract, today Date, days int) []ContractEnding {
	renewed := map[string]bool{}
	for _, c := range contracts {
		if c.PreviousID != "" {
			renewed[c.PreviousID] = true
		}
	}
	last := today.AddDays(days)
	out := []ContractEnding{}
	for _, c := range contracts {
		until := c.Until()
		if renewed[c.ID] || until.IsZero() || days < 0 || !until.Within(today, last) {
			continue
		}
		out = append(out, ContractEnding{Contract: c, Until: until, DaysLeft: until.DaysSince(today)})
	}
	slices.SortStableFunc(out, func(a, b ContractEnding) int {
		if c := a.Until.Compare(b.Until); c != 0 {
			return c
		}
		switch {
		case a.Contract.Number < b.Contract.Number:
			return -1
		case a.Contract.Number > b.Contract.Number:
			return 1
		}
		return 0
	})
	return out
}
