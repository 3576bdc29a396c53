package domain

// ScoreTable is the satisfaction score per level (评分等级, R-SAT-1): data,
// so the points can be changed without code.
type ScoreTable struct {
	VerySatisfied int `json:"verySatisfied"` // 很满意
	Satisfied     int `json:"satisfied"`     // 满意
	Neutral       int `json:"neutral"`       // 一般
	NoOpinion     int `json:"noOpinion"`     // 不表态 (blank)
	Dissatisfied  int `json:"dissatisfied"`  // 不满意
}

// DefaultScoreTable is the source's table with the lost minus sign
// restored: 5, 3, 2, 1, −5.
func DefaultScoreTable() ScoreTable {
	return ScoreTable{VerySatisfied: 5, Satisfied: 3, Neutral: 2, NoOpinion: 1, Dissatisfied: -5}
}

// ErrInvalidSatisfaction is returned by Score for an unknown level.
var ErrInvalidSatisfaction = E(KindInvalid, "invalid_satisfaction")

// Score is the points of a satisfaction level; blank scores NoOpinion.
func (t ScoreTable) Score(level Satisfaction) (int, error) {
	switch level {
	case SatisfactionVerySatisfied:
		return t.VerySatisfied, nil
	case SatisfactionSatisfied:
		return t.Satisfied, nil
	case SatisfactionNeutral:
		return t.Neutral, nil
	case SatisfactionBlank:
		return t.NoOpinion, nil
	case SatisfactionDissatisfied:
		return t.Dissatisfied, nil
	}
	return 0, ErrInvalidSatisfaction
}

// Validate keeps the scores within ±100 so sums stay readable.
func (t ScoreTable) Validate() error {
	p := Problems{}
	for f, v := range map[string]int{
		"verySatisfied": t.VerySatisfied, "satisfied": t.Satisfied, "neutral": t.Neutral,
		"noOpinion": t.NoOpinion, "dissatisfied": t.Dissatisfied,
	} {
		if v < -100 || v > 100 {
			p.Add(f, "out_of_range")
		}
	}
	return p.Err()
}
