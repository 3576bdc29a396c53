package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Ticket is a 技术服务联络单: one visit's worth of service from request to
// signed form and callback (R-TKT).
type Ticket struct {
	ID     string `json:"id"`
	Number string `json:"number"` // 联络单编号, issued by the server: LL-2026-00418
	// Provisional is set on tickets a technician opened on the device
	// until the server issues the number.
	Provisional string `json:"provisional,omitempty"`
	JobID       string `json:"jobId"` // the job this visit belongs to (R-TKT-9)

	CustomerID   string       `json:"customerId"`
	CustomerName string       `json:"customerName"`
	SiteID       string       `json:"siteId"`
	SiteName     string       `json:"siteName"`
	Address      string       `json:"address"`
	District     string       `json:"district,omitempty"`
	ContactID    string       `json:"contactId,omitempty"`
	ContactName  string       `json:"contactName"`
	ContactPhone string       `json:"contactPhone"`
	System       System       `json:"system"`
	EquipmentIDs []string     `json:"equipmentIds"`
	Requested    string       `json:"requested"`           // 待服务内容
	Condition    string       `json:"condition,omitempty"` // 现状
	Priority     string       `json:"priority"`            // normal, urgent
	CustomerType CustomerType `json:"customerType"`
	Liaison      bool         `json:"liaison"` // 《联络函》
	Coverage     string       `json:"coverage"`
	// TemplateID is the checklist a maintenance visit uses.
	TemplateID string `json:"templateId,omitempty"`
	ContractID string `json:"contractId,omitempty"`

	State       TicketState `json:"state"`
	PlannedDate Date        `json:"plannedDate,omitzero"` // the desk's
	Lead        string      `json:"lead,omitempty"`       // user id
	LeadName    string      `json:"leadName,omitempty"`
	Helpers     []string    `json:"helpers"`
	// Assigned lists everyone who has held the ticket, so work done
	// offline by a technician it was taken from still counts.
	Assigned []string `json:"assigned"`

	Appointment *Appointment  `json:"appointment,omitempty"` // the technician's agreed time
	Calls       []Call        `json:"calls"`
	DepartedAt  *time.Time    `json:"departedAt,omitempty"`
	ArrivedAt   *time.Time    `json:"arrivedAt,omitempty"`
	Work        []WorkRecord  `json:"work"`
	Parts       []PartUsed    `json:"parts"`
	Swaps       []DeviceSwap  `json:"swaps"`
	Photos      []Photo       `json:"photos"`
	Checklists  []string      `json:"checklists"` // ids of checklist reports
	Result      *TicketResult `json:"result,omitempty"`
	ResultAt    *time.Time    `json:"resultAt,omitempty"`
	Acceptance  *Acceptance   `json:"acceptance,omitempty"`
	Signature   *Signature    `json:"signature,omitempty"`
	Callback    *Callback     `json:"callback,omitempty"`
	// CallbackAttempts are calls that did not reach the customer: the form
	// stays in the callback queue.
	CallbackAttempts []time.Time `json:"callbackAttempts,omitempty"`
	CancelReason     string      `json:"cancelReason,omitempty"`

	History  []StateEntry   `json:"history"`
	Rev      int            `json:"rev"`      // bumped by every write
	FieldRev map[string]int `json:"fieldRev"` // the rev at which a mergeable field last changed
	Created  time.Time      `json:"created"`
	Updated  time.Time      `json:"updated"`
}

// Appointment is the time and way agreed with the customer (R-TKT-3).
type Appointment struct {
	At     time.Time `json:"at"`
	Method string    `json:"method"` // phone, wechat, sms, onsite
	Note   string    `json:"note,omitempty"`
}

// Call is a call-ahead record; its id is made by the device.
type Call struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Method string    `json:"method"`
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by"`
}

// WorkRecord is a line of 处理方案: what was found and done.
type WorkRecord struct {
	ID   string    `json:"id"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
}

// PartUsed is a part or piece of equipment used on the visit.
type PartUsed struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Model string `json:"model,omitempty"`
	Qty   int    `json:"qty"`
	Note  string `json:"note,omitempty"`
	By    string `json:"by"`
}

// DeviceSwap is a replaced device: old serial out, new serial in; the
// archive's equipment follows when it syncs.
type DeviceSwap struct {
	ID          string `json:"id"`
	EquipmentID string `json:"equipmentId"`
	OldSerial   string `json:"oldSerial"`
	NewSerial   string `json:"newSerial"`
	NewModel    string `json:"newModel,omitempty"`
	By          string `json:"by"`
}

// Photo is a picture taken on the visit, stored by content hash.
type Photo struct {
	ID      string    `json:"id"`
	Hash    string    `json:"hash"`
	Caption string    `json:"caption,omitempty"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	// Paper marks the photo of a hand-signed paper form (R-TKT-7).
	Paper bool `json:"paper,omitempty"`
}

// Signature is the customer's signature over the form's content.
type Signature struct {
	ImageHash   string    `json:"imageHash"` // the drawn signature, or the paper form's photo
	ContentHash string    `json:"contentHash"`
	SignerName  string    `json:"signerName,omitempty"`
	SignedAt    time.Time `json:"signedAt"`
	Paper       bool      `json:"paper,omitempty"`
	// Filed is set when the desk confirmed it filed the paper sheet.
	Filed bool `json:"filed,omitempty"`
}

// Callback is the desk's same-day call to the customer (R-TKT-8).
type Callback struct {
	Reached      bool                    `json:"reached"`
	Solved       bool                    `json:"solved"`
	Satisfaction Satisfaction            `json:"satisfaction,omitempty"`
	Reasons      []DissatisfactionReason `json:"reasons,omitempty"`
	Comments     string                  `json:"comments,omitempty"`
	At           time.Time               `json:"at"`
	By           string                  `json:"by"`
}

// StateEntry is one move of the ticket, with the device's own time beside
// the server's.
type StateEntry struct {
	State      TicketState `json:"state"`
	At         time.Time   `json:"at"`                   // server time
	EventAt    time.Time   `json:"eventAt"`              // when it happened (device time corrected)
	DeviceTime *time.Time  `json:"deviceTime,omitempty"` // as the device said
	By         string      `json:"by"`
	Device     string      `json:"device,omitempty"`
	Note       string      `json:"note,omitempty"`
}

// Side is who owns a mergeable field: when a device's edit meets a change
// made since the device last saw the ticket, the owner's value wins.
type Side string

// The sides.
const (
	SideDesk  Side = "desk"
	SideField Side = "field"
)

// FieldOwner says which side owns each mergeable field (DESIGN.md: the
// technician owns the agreed appointment and what was found and done on
// site; the desk owns assignment, priority and the planned date).
var FieldOwner = map[string]Side{
	"appointment": SideField,
	"result":      SideField,
	"plannedDate": SideDesk,
	"priority":    SideDesk,
	"assignment":  SideDesk,
	"requested":   SideDesk,
	"contact":     SideDesk,
}

// Holds tells whether user holds the ticket now (lead or helper).
func (t Ticket) Holds(user string) bool {
	if t.Lead == user {
		return true
	}
	for _, h := range t.Helpers {
		if h == user {
			return true
		}
	}
	return false
}

// HeldBefore tells whether user ever held the ticket.
func (t Ticket) HeldBefore(user string) bool {
	for _, a := range t.Assigned {
		if a == user {
			return true
		}
	}
	return false
}

// Signed tells whether the form's content is signed and so immutable.
func (t Ticket) Signed() bool { return t.Signature != nil }

// Crew is the lead and the helpers: the score counts for each (R-SAT-1).
func (t Ticket) Crew() []string {
	out := []string{}
	if t.Lead != "" {
		out = append(out, t.Lead)
	}
	return append(out, t.Helpers...)
}

// SignedContent is the canonical snapshot of what the customer signs: the
// form's fields, the work, parts, swaps, photos (by hash), the checklist
// answers' hash, the result and the acceptance.
type SignedContent struct {
	Number       string        `json:"number"`
	CustomerName string        `json:"customerName"`
	Address      string        `json:"address"`
	ContactName  string        `json:"contactName"`
	ContactPhone string        `json:"contactPhone"`
	CustomerType CustomerType  `json:"customerType"`
	Requested    string        `json:"requested"`
	Work         []WorkRecord  `json:"work"`
	Parts        []PartUsed    `json:"parts"`
	Swaps        []DeviceSwap  `json:"swaps"`
	Photos       []string      `json:"photos"`
	Checklists   string        `json:"checklists"`
	Result       *TicketResult `json:"result"`
	Acceptance   *Acceptance   `json:"acceptance"`
	SignerName   string        `json:"signerName"`
	SignedAt     string        `json:"signedAt"`
}

// ContentHash is the SHA-256 (hex) of the canonical JSON of the signed
// content: any later change to it is detectable (电子签名法 第十三条).
// checklists is the hash of the checklist answers (or "").
func (t Ticket) ContentHash(acc Acceptance, signer string, at time.Time, checklists string) string {
	photos := make([]string, 0, len(t.Photos))
	for _, p := range t.Photos {
		photos = append(photos, p.Hash)
	}
	sc := SignedContent{Number: t.Number, CustomerName: t.CustomerName, Address: t.Address, ContactName: t.ContactName,
		ContactPhone: t.ContactPhone, CustomerType: t.CustomerType, Requested: t.Requested, Work: t.Work, Parts: t.Parts,
		Swaps: t.Swaps, Photos: photos, Checklists: checklists, Result: t.Result, Acceptance: &acc, SignerName: signer,
		SignedAt: at.UTC().Format(time.RFC3339)}
	// encoding/json writes struct fields in declaration order and sorts map
	// keys, so this encoding is canonical.
	b, _ := json.Marshal(sc)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ItemID is the device-made id of an added item.
func (w WorkRecord) ItemID() string { return w.ID }

// ItemID is the device-made id of an added item.
func (p PartUsed) ItemID() string { return p.ID }

// ItemID is the device-made id of an added item.
func (s DeviceSwap) ItemID() string { return s.ID }

// ItemID is the device-made id of an added item.
func (p Photo) ItemID() string { return p.ID }

// HasItem tells whether items holds one with id: an addition sent twice is
// one item.
func HasItem[T interface{ ItemID() string }](items []T, id string) bool {
	for _, x := range items {
		if x.ItemID() == id {
			return true
		}
	}
	return false
}
