package domain

// ResultStatus is the result of the work on a ticket (处理结果, R-TKT-5).
type ResultStatus string

// The result statuses.
const (
	ResultDone    ResultStatus = "done"     // 已完成服务
	ResultNotDone ResultStatus = "not_done" // 未完成服务
)

// NotDoneReason is why the work was not finished.
type NotDoneReason string

// The reasons a result is not done.
const (
	NotDoneNeedsRepair  NotDoneReason = "needs_repair"  // 需返修、更换设备
	NotDoneNeedsContact NotDoneReason = "needs_contact" // 需重新联络
	NotDoneOther        NotDoneReason = "other"         // 其它见备注
)

var resultStatusLabels = map[ResultStatus]string{
	ResultDone:    "已完成服务",
	ResultNotDone: "未完成服务",
}

var notDoneReasonLabels = map[NotDoneReason]string{
	NotDoneNeedsRepair:  "需返修、更换设备",
	NotDoneNeedsContact: "需重新联络",
	NotDoneOther:        "其它见备注",
}

// Valid reports whether s is a known result status.
func (s ResultStatus) Valid() bool { _, ok := resultStatusLabels[s]; return ok }

// Label is the Chinese wording of the form.
func (s ResultStatus) Label() string { return resultStatusLabels[s] }

// Valid reports whether r is a known reason.
func (r NotDoneReason) Valid() bool { _, ok := notDoneReasonLabels[r]; return ok }

// Label is the Chinese wording of the form.
func (r NotDoneReason) Label() string { return notDoneReasonLabels[r] }

// TicketResult is the technician's result of the work (R-TKT-5).
type TicketResult struct {
	Status ResultStatus  `json:"status"`
	Reason NotDoneReason `json:"reason,omitempty"` // only when not done
	Remark string        `json:"remark,omitempty"` // 备注; required for reason other
}

// Validate checks the result: a reason exactly when not done, and a remark
// when the reason is other.
func (r TicketResult) Validate() error {
	p := Problems{}
	switch {
	case r.Status == "":
		p.Add("status", "required")
	case !r.Status.Valid():
		p.Add("status", "invalid_status")
	}
	switch {
	case r.Status == ResultDone && r.Reason != "":
		p.Add("reason", "not_applicable")
	case r.Status == ResultNotDone && r.Reason == "":
		p.Add("reason", "required")
	case r.Reason != "" && !r.Reason.Valid():
		p.Add("reason", "invalid_reason")
	}
	arcCheckText(p, "remark", r.Remark, arcMaxNote, r.Status == ResultNotDone && r.Reason == NotDoneOther)
	return p.Err()
}
