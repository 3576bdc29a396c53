package sync

import (
	"encoding/json"
	"strconv"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// ContractTerms are the terms of a contract a user enters: dates are
// "YYYY-MM-DD" (both ends included); WarrantyUntil is for project
// contracts only, AnnualPriceFen for annual ones only.
type ContractTerms struct {
	Number         string                 `json:"number"`
	Kind           domain.ContractKind    `json:"kind"`
	Covers         []domain.ContractCover `json:"covers"`
	StartDate      string                 `json:"startDate"`
	EndDate        string                 `json:"endDate"`
	WarrantyUntil  string                 `json:"warrantyUntil,omitempty"`
	AnnualPriceFen int64                  `json:"annualPriceFen,omitempty"`
	Note           string                 `json:"note,omitempty"`
	// Plans are an annual contract's periodic maintenance visits.
	Plans []domain.MaintenancePlan `json:"plans,omitempty"`
}

// ContractArgs are the arguments of contract.create. A contract starts at
// Q; one marked AuditedBeforeSystem (an import, a paper contract) starts at
// B and may bring the audit done before ELVcare (R-QYBS-3).
type ContractArgs struct {
	ID         string `json:"id,omitempty"`
	CustomerID string `json:"customerId"`
	ContractTerms
	AuditedBeforeSystem bool       `json:"auditedBeforeSystem,omitempty"`
	Audit               *AuditArgs `json:"audit,omitempty"`
}

// ContractPatch is what contract.update may change; nil fields stay, ""
// clears a date and 0 the price. The kind may change only while the
// contract is still at its first stage Q.
type ContractPatch struct {
	Number         *string                   `json:"number,omitempty"`
	Kind           *domain.ContractKind      `json:"kind,omitempty"`
	Covers         *[]domain.ContractCover   `json:"covers,omitempty"`
	StartDate      *string                   `json:"startDate,omitempty"`
	EndDate        *string                   `json:"endDate,omitempty"`
	WarrantyUntil  *string                   `json:"warrantyUntil,omitempty"`
	AnnualPriceFen *int64                    `json:"annualPriceFen,omitempty"`
	Note           *string                   `json:"note,omitempty"`
	Plans          *[]domain.MaintenancePlan `json:"plans,omitempty"`
}

// UpdateContractArgs are the arguments of contract.update.
type UpdateContractArgs struct {
	ID string `json:"id"`
	ContractPatch
}

// StageMove is a move of a contract to the next stage, with a reason.
type StageMove struct {
	Stage domain.ContractStage `json:"stage"`
	Note  string               `json:"note,omitempty"`
}

// MoveStageArgs are the arguments of contract.moveStage.
type MoveStageArgs struct {
	ID string `json:"id"`
	StageMove
}

// AuditArgs are the Y audit of a contract (R-QYBS-3): completion
// documents as hashes of files registered with file.register, the kinds
// that do not apply, and the verdict ("" while in progress, "pass",
// "fail" with a note). Who and when are set by the server.
type AuditArgs struct {
	Documents map[domain.DocumentKind][]string `json:"documents,omitempty"`
	Waived    []domain.DocumentKind            `json:"waived,omitempty"`
	Verdict   domain.AuditVerdict              `json:"verdict,omitempty"`
	Note      string                           `json:"note,omitempty"`
}

// RecordAuditArgs are the arguments of contract.recordAudit.
type RecordAuditArgs struct {
	ID string `json:"id"`
	AuditArgs
}

// RenewalArgs are the new contract that follows one at S: a renewal or a
// supplement, for the same customer. ID is optional as for a create.
type RenewalArgs struct {
	ID string `json:"id,omitempty"`
	ContractTerms
}

// RenewContractArgs are the arguments of contract.renew.
type RenewContractArgs struct {
	PreviousID string `json:"previousId"`
	RenewalArgs
}

// ErrContractKindLocked: the kind of a contract past Q cannot change, its
// history follows the stage table of its kind.
var ErrContractKindLocked = domain.E(domain.KindConflict, "contract.kind_locked")

func putContract(c *Ctx, ct domain.Contract) error {
	idx := []store.Index{
		{Name: IdxCustomer, Value: ct.CustomerID},
		{Name: IdxEnd, Value: ct.Until().String()},
	}
	for _, cv := range ct.Covers {
		ix := store.Index{Name: IdxSite, Value: cv.SiteID}
		if !containsIndex(idx, ix) {
			idx = append(idx, ix)
		}
	}
	if ct.PreviousID != "" {
		idx = append(idx, store.Index{Name: IdxPrevious, Value: ct.PreviousID})
	}
	return c.Put(CollContracts, ct.ID, ct, PutOpts{Scopes: archiveScopes, Index: idx})
}

func containsIndex(idx []store.Index, ix store.Index) bool {
	for _, x := range idx {
		if x == ix {
			return true
		}
	}
	return false
}

// applyTerms writes the terms into ct, recording unreadable dates.
func applyTerms(p domain.Problems, ct *domain.Contract, t ContractTerms) {
	ct.Number, ct.Kind, ct.Note = t.Number, t.Kind, t.Note
	ct.Covers = t.Covers
	ct.StartDate = parseDateArg(p, "startDate", t.StartDate)
	ct.EndDate = parseDateArg(p, "endDate", t.EndDate)
	ct.WarrantyUntil = parseDateArg(p, "warrantyUntil", t.WarrantyUntil)
	ct.AnnualPriceFen = t.AnnualPriceFen
	ct.Plans = t.Plans
}

// checkCovers records covers whose site is missing or another customer's.
func checkCovers(c *Ctx, p domain.Problems, customerID string, covers []domain.ContractCover) error {
	ids := make([]string, len(covers))
	for i, cv := range covers {
		ids[i] = cv.SiteID
	}
	return checkCustomerSites(c, p, customerID, func(i int) string { return "covers[" + strconv.Itoa(i) + "].siteId" }, ids)
}

// checkFiles records document hashes that name no registered file; prefix
// is where the documents sit in the arguments ("" or "audit.").
func checkFiles(c *Ctx, p domain.Problems, prefix string, docs map[domain.DocumentKind][]string) error {
	for k, hashes := range docs {
		for i, h := range hashes {
			ok, err := exists(c.tx, CollFiles, h)
			if err != nil {
				return err
			}
			if !ok {
				p.Add(prefix+"documents."+string(k)+"["+strconv.Itoa(i)+"]", "unknown_file")
			}
		}
	}
	return nil
}

// audit turns audit arguments into the record, stamped with who and when
// when it carries a verdict.
func (a AuditArgs) audit(c *Ctx) domain.ContractAudit {
	au := domain.ContractAudit{Documents: a.Documents, Waived: a.Waived, Verdict: a.Verdict, Note: a.Note}
	if a.Verdict != domain.AuditPending {
		au.AuditedAt, au.AuditedBy = c.Now, actorRef(c.Actor)
	}
	return au
}

// finishContract runs the domain's validation and the archive's
// references together, so a form sees every problem at once.
func finishContract(c *Ctx, p domain.Problems, ct domain.Contract, verr error) (domain.Contract, error) {
	mergeProblems(p, verr)
	if err := checkCovers(c, p, ct.CustomerID, ct.Covers); err != nil {
		return ct, err
	}
	if ct.Audit != nil {
		if err := checkFiles(c, p, "audit.", ct.Audit.Documents); err != nil {
			return ct, err
		}
	}
	if err := p.Err(); err != nil {
		return ct, err
	}
	return ct, verr
}

func createContract(c *Ctx, raw json.RawMessage) (any, error) {
	var a ContractArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	id, err := newRecordID(c, CollContracts, a.ID)
	if err != nil {
		return nil, err
	}
	p := domain.Problems{}
	var cu domain.Customer
	if _, err := getRef(c, p, "customerId", CollCustomers, a.CustomerID, &cu); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	draft := domain.Contract{ID: id, CustomerID: a.CustomerID, AuditedBeforeSystem: a.AuditedBeforeSystem}
	applyTerms(p, &draft, a.ContractTerms)
	if a.Audit != nil {
		if !a.AuditedBeforeSystem {
			p.Add("audit", "not_applicable")
		}
		au := a.Audit.audit(c)
		draft.Audit = &au
	}
	ct, verr := domain.NewContract(draft, c.Now, actorRef(c.Actor))
	ct, err = finishContract(c, p, ct, verr)
	if err != nil {
		return nil, err
	}
	return ct, putContract(c, ct)
}

func updateContract(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateContractArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var ct domain.Contract
	if err := getTarget(c, CollContracts, a.ID, &ct); err != nil {
		return nil, err
	}
	p := domain.Problems{}
	if a.Number != nil {
		ct.Number = strings.TrimSpace(*a.Number)
	}
	if a.Kind != nil && *a.Kind != ct.Kind {
		if len(ct.History) > 1 || ct.Stage != domain.StageQ {
			return nil, ErrContractKindLocked
		}
		ct.Kind = *a.Kind
	}
	if a.Covers != nil {
		ct.Covers = *a.Covers
	}
	if a.StartDate != nil {
		ct.StartDate = parseDateArg(p, "startDate", *a.StartDate)
	}
	if a.EndDate != nil {
		ct.EndDate = parseDateArg(p, "endDate", *a.EndDate)
	}
	if a.WarrantyUntil != nil {
		ct.WarrantyUntil = parseDateArg(p, "warrantyUntil", *a.WarrantyUntil)
	}
	if a.AnnualPriceFen != nil {
		ct.AnnualPriceFen = *a.AnnualPriceFen
	}
	if a.Plans != nil {
		ct.Plans = *a.Plans
	}
	if a.Note != nil {
		ct.Note = strings.TrimSpace(*a.Note)
	}
	ct, err := finishContract(c, p, ct, ct.Validate())
	if err != nil {
		return nil, err
	}
	return ct, putContract(c, ct)
}

func moveContractStage(c *Ctx, raw json.RawMessage) (any, error) {
	var a MoveStageArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var ct domain.Contract
	if err := getTarget(c, CollContracts, a.ID, &ct); err != nil {
		return nil, err
	}
	if !a.Stage.Valid() {
		return nil, domain.Problems{"stage": "invalid_stage"}.Err()
	}
	if err := ct.MoveTo(a.Stage, c.Now, actorRef(c.Actor), a.Note); err != nil {
		return nil, err
	}
	return ct, putContract(c, ct)
}

func recordContractAudit(c *Ctx, raw json.RawMessage) (any, error) {
	var a RecordAuditArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var ct domain.Contract
	if err := getTarget(c, CollContracts, a.ID, &ct); err != nil {
		return nil, err
	}
	p := domain.Problems{}
	// The arguments are the audit itself: its problems are named as its
	// fields, without the "audit." the contract puts before them.
	var de *domain.Error
	if err := ct.RecordAudit(a.AuditArgs.audit(c)); err != nil {
		if !asDomainErr(err, &de) || de.Kind != domain.KindInvalid {
			return nil, err
		}
		for f, code := range de.Fields {
			p.Add(strings.TrimPrefix(f, "audit."), code)
		}
	}
	if err := checkFiles(c, p, "", a.Documents); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return ct, putContract(c, ct)
}

func renewContract(c *Ctx, raw json.RawMessage) (any, error) {
	var a RenewContractArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var prev domain.Contract
	if err := getTarget(c, CollContracts, a.PreviousID, &prev); err != nil {
		return nil, err
	}
	if prev.Stage != domain.StageS {
		return nil, domain.ErrContractNotInFollowUp
	}
	id, err := newRecordID(c, CollContracts, a.ID)
	if err != nil {
		return nil, err
	}
	p := domain.Problems{}
	draft := domain.Contract{ID: id}
	applyTerms(p, &draft, a.ContractTerms)
	ct, verr := domain.NewRenewal(prev, draft, c.Now, actorRef(c.Actor))
	if verr != nil && domain.KindOf(verr) != domain.KindInvalid {
		return nil, verr
	}
	ct, err = finishContract(c, p, ct, verr)
	if err != nil {
		return nil, err
	}
	return ct, putContract(c, ct)
}
