package domain

// TicketOutcome is what a visit ends with: the technician's result and the
// customer's acceptance, the content of the signed form.
type TicketOutcome struct {
	Result     TicketResult `json:"result"`
	Acceptance Acceptance   `json:"acceptance"`
}

// Complete reports whether the service is complete: the result is done and
// the customer confirmed the equipment works (R-TKT-6).
func (o TicketOutcome) Complete() bool {
	return o.Result.Status == ResultDone && o.Acceptance.EquipmentOK
}

// Validate checks both parts, naming fields "result.x" and "acceptance.x".
func (o TicketOutcome) Validate() error {
	p := Problems{}
	arcPrefix(p, "result", o.Result.Validate())
	arcPrefix(p, "acceptance", o.Acceptance.Validate())
	return p.Err()
}
