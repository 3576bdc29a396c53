package domain

import (
	"strings"
	"time"
)

// ContractStage is where a contract is in its lifecycle (R-QYBS-1).
type ContractStage string

// The four stages, and the empty "before registration" used as the origin
// of a contract's first entry in the stage table.
const (
	StageNone ContractStage = ""
	StageQ    ContractStage = "Q" // 签订合同: signed, customer registered
	StageY    ContractStage = "Y" // 验收: work done, documents and quality audited
	StageB    ContractStage = "B" // 保修: warranty or contract-period maintenance
	StageS    ContractStage = "S" // 跟进: follow-up, renewal and new business
)

var contractStageLabels = map[ContractStage]string{
	StageQ: "签订合同",
	StageY: "验收",
	StageB: "保修",
	StageS: "跟进",
}

// ContractStages returns the four stages in lifecycle order.
func ContractStages() []ContractStage { return []ContractStage{StageQ, StageY, StageB, StageS} }

// Valid reports whether s is one of the four stages.
func (s ContractStage) Valid() bool { _, ok := contractStageLabels[s]; return ok }

// Label is the Chinese name of the stage.
func (s ContractStage) Label() string { return contractStageLabels[s] }

type contractMove struct {
	kind     ContractKind
	from, to ContractStage
}

// contractMoves is the stage table. Every kind may start at Q, or at B
// when imported with its audit done before the system (R-QYBS-3).
//   - project:   Q → Y → B → S. Y is the audit of the completed work.
//   - annual:    Q → B → S, or Q → Y → B → S when taking over a system
//     warrants an audit of its documents: Y is optional.
//   - per_visit: Q → B → S. There is no work to accept.
//
// S is the end of a contract: the next Q is a new contract (NewRenewal).
// No stage goes back, none repeats.
var contractMoves = map[contractMove]bool{
	{ContractProject, StageNone, StageQ}: true,
	{ContractProject, StageNone, StageB}: true,
	{ContractProject, StageQ, StageY}:    true,
	{ContractProject, StageY, StageB}:    true,
	{ContractProject, StageB, StageS}:    true,

	{ContractAnnual, StageNone, StageQ}: true,
	{ContractAnnual, StageNone, StageB}: true,
	{ContractAnnual, StageQ, StageY}:    true,
	{ContractAnnual, StageQ, StageB}:    true,
	{ContractAnnual, StageY, StageB}:    true,
	{ContractAnnual, StageB, StageS}:    true,

	{ContractPerVisit, StageNone, StageQ}: true,
	{ContractPerVisit, StageNone, StageB}: true,
	{ContractPerVisit, StageQ, StageB}:    true,
	{ContractPerVisit, StageB, StageS}:    true,
}

// Errors of the contract lifecycle.
var (
	ErrContractBadStageMove  = E(KindConflict, "contract.bad_stage_move")
	ErrContractAuditNotPass  = E(KindConflict, "contract.audit_not_passed")
	ErrContractNotInAudit    = E(KindConflict, "contract.not_in_audit")
	ErrContractNotInFollowUp = E(KindConflict, "contract.not_in_follow_up")
	ErrContractInvalidKind   = E(KindInvalid, "contract.invalid_kind")
	ErrContractInvalidStage  = E(KindInvalid, "contract.invalid_stage")
)

// CanMoveContract says whether a contract of kind may go from stage from
// (StageNone: being registered) to stage to, per the stage table.
func CanMoveContract(kind ContractKind, from, to ContractStage) error {
	if !kind.Valid() {
		return ErrContractInvalidKind
	}
	if from != StageNone && !from.Valid() || !to.Valid() {
		return ErrContractInvalidStage
	}
	if !contractMoves[contractMove{kind, from, to}] {
		return ErrContractBadStageMove.With("from", string(from)).With("to", string(to))
	}
	return nil
}

// MoveTo moves the contract to stage to, recording who did it, when and
// why. Leaving Y for B needs an audit with the verdict pass.
func (c *Contract) MoveTo(to ContractStage, at time.Time, by, note string) error {
	p := Problems{}
	if at.IsZero() {
		p.Add("at", "required")
	}
	arcCheckText(p, "by", by, arcMaxKey, true)
	arcCheckText(p, "note", note, arcMaxNote, false)
	if n := len(c.History); n > 0 && at.Before(c.History[n-1].At) {
		p.Add("at", "out_of_order")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if c.Stage == StageNone {
		return ErrContractBadStageMove.With("from", "").With("to", string(to))
	}
	if err := CanMoveContract(c.Kind, c.Stage, to); err != nil {
		return err
	}
	if c.Stage == StageY && (c.Audit == nil || c.Audit.Verdict != AuditPass) {
		return ErrContractAuditNotPass
	}
	c.Stage = to
	c.History = append(c.History, StageEntry{Stage: to, At: at.UTC(), By: by, Note: strings.TrimSpace(note)})
	return nil
}

// RecordAudit stores the audit of the completion documents and quality
// (R-QYBS-3); it is only possible while the contract is at Y, and may be
// recorded again (a failed audit is redone after the fix).
func (c *Contract) RecordAudit(a ContractAudit) error {
	if c.Stage != StageY {
		return ErrContractNotInAudit
	}
	a = a.normalized()
	p := Problems{}
	arcPrefix(p, "audit", a.Validate())
	if err := p.Err(); err != nil {
		return err
	}
	c.Audit = &a
	return nil
}

// NewRenewal registers the contract that follows prev — a renewal or a
// supplement — which must be at S (R-QYBS-1). The new contract belongs to
// the same customer, points back to prev and starts at Q; prev is left as
// it is, at S.
func NewRenewal(prev Contract, draft Contract, at time.Time, by string) (Contract, error) {
	if prev.Stage != StageS {
		return Contract{}, ErrContractNotInFollowUp
	}
	draft.CustomerID = prev.CustomerID
	draft.PreviousID = prev.ID
	draft.AuditedBeforeSystem = false
	return NewContract(draft, at, by)
}

// validateHistory checks that the history starts where the table allows,
// moves only as it allows, in time order, and ends at c.Stage; and that the
// audit fits the path.
func (c Contract) validateHistory(p Problems) {
	switch {
	case c.Stage == StageNone:
		p.Add("stage", "required")
	case !c.Stage.Valid():
		p.Add("stage", "invalid_stage")
	}
	if len(c.History) == 0 {
		p.Add("history", "required")
		return
	}
	passedY := false
	for i, e := range c.History {
		if e.At.IsZero() {
			p.Add(arcField("history", i, "at"), "required")
		}
		from := StageNone
		if i > 0 {
			from = c.History[i-1].Stage
			if e.At.Before(c.History[i-1].At) {
				p.Add(arcField("history", i, "at"), "out_of_order")
			}
		}
		if CanMoveContract(c.Kind, from, e.Stage) != nil {
			p.Add(arcField("history", i, "stage"), "invalid_move")
		}
		arcCheckText(p, arcField("history", i, "by"), e.By, arcMaxKey, true)
		arcCheckText(p, arcField("history", i, "note"), e.Note, arcMaxNote, false)
		passedY = passedY || e.Stage == StageY
	}
	if first := c.History[0].Stage; c.AuditedBeforeSystem != (first == StageB) {
		p.Add("auditedBeforeSystem", "inconsistent")
	}
	if c.History[len(c.History)-1].Stage != c.Stage {
		p.Add("stage", "history_mismatch")
	}
	switch {
	case c.Audit == nil:
		if passedY && c.Stage != StageY {
			p.Add("audit", "required")
		}
	case !passedY && !c.AuditedBeforeSystem:
		p.Add("audit", "not_applicable")
	default:
		arcPrefix(p, "audit", c.Audit.Validate())
		if passedY && c.Stage != StageY && c.Audit.Verdict != AuditPass {
			p.Add("audit.verdict", "not_passed")
		}
	}
}
