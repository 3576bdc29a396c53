package search

// Hooks for the black-box tests.

// SetTxLimits makes ix write in transactions of at most keys keys and
// bytes bytes, so small tests take the multi-part path of a step.
func SetTxLimits(ix *Index, keys, bytes int) { ix.lim = limits{keys: keys, bytes: bytes} }

// FailAfterPart makes the next multi-part step fail after part (1 or 2)
// was written, as if the process had stopped there.
func FailAfterPart(ix *Index, part int, err error) {
	ix.hookPart = func(p int) error {
		if p == part {
			ix.hookPart = nil
			return err
		}
		return nil
	}
}

// GenColls names the collections of a generation.
var GenColls = genColls
