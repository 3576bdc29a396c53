package sync

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"elvcare/domain"
	"elvcare/sync/store"
)

// EquipmentRecord is a piece of equipment as stored and sent: the domain
// record, the customer of its site (kept for indexes and lists), whether
// device credentials are stored for it (never the credentials), and its
// retirement.
type EquipmentRecord struct {
	domain.Equipment
	CustomerID    string     `json:"customerId"`
	HasCredential bool       `json:"hasCredential"`
	Retired       bool       `json:"retired"`
	RetiredAt     *time.Time `json:"retiredAt,omitempty"`
	RetiredReason string     `json:"retiredReason,omitempty"`
}

// EquipmentArgs are the arguments of equipment.create. System may be left
// out: the item type names it. InstallDate is "YYYY-MM-DD" or "". The QR
// token is made by the server.
type EquipmentArgs struct {
	ID          string                     `json:"id,omitempty"`
	SiteID      string                     `json:"siteId"`
	System      domain.System              `json:"system,omitempty"`
	ItemType    domain.ItemType            `json:"itemType"`
	Model       string                     `json:"model,omitempty"`
	Serial      string                     `json:"serial,omitempty"`
	Location    string                     `json:"location,omitempty"`
	InstallDate string                     `json:"installDate,omitempty"`
	Attributes  domain.EquipmentAttributes `json:"attributes"`
}

// EquipmentPatch is what equipment.update may change; nil fields stay. The
// site may change only to another site of the same customer; a changed
// item type brings its own system unless one is given.
type EquipmentPatch struct {
	SiteID      *string                     `json:"siteId,omitempty"`
	System      *domain.System              `json:"system,omitempty"`
	ItemType    *domain.ItemType            `json:"itemType,omitempty"`
	Model       *string                     `json:"model,omitempty"`
	Serial      *string                     `json:"serial,omitempty"`
	Location    *string                     `json:"location,omitempty"`
	InstallDate *string                     `json:"installDate,omitempty"`
	Attributes  *domain.EquipmentAttributes `json:"attributes,omitempty"`
}

// UpdateEquipmentArgs are the arguments of equipment.update.
type UpdateEquipmentArgs struct {
	ID string `json:"id"`
	EquipmentPatch
}

// Retirement says why a piece of equipment left service.
type Retirement struct {
	Reason string `json:"reason,omitempty"`
}

// RetireEquipmentArgs are the arguments of equipment.retire.
type RetireEquipmentArgs struct {
	ID string `json:"id"`
	Retirement
}

// ErrEquipmentRetired: retired equipment is kept for its history, not edited.
var ErrEquipmentRetired = domain.E(domain.KindConflict, "equipment.retired")

// qrTokenBytes is the randomness of a QR token: 128 bits, so labels cannot
// be guessed or enumerated.
const qrTokenBytes = 16

var qrEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewQRToken returns a fresh QR token: 128 random bits from crypto/rand in
// lower-case base32 (26 URL-safe characters).
func NewQRToken() string {
	b := make([]byte, qrTokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system random source failed
	}
	return strings.ToLower(qrEncoding.EncodeToString(b))
}

func putEquipment(c *Ctx, r EquipmentRecord) error {
	idx := []store.Index{
		{Name: IdxSite, Value: r.SiteID},
		{Name: IdxCustomer, Value: r.CustomerID},
		{Name: IdxQR, Value: r.QRToken},
	}
	if !r.Retired {
		idx = append(idx, store.Index{Name: IdxLive, Value: r.CustomerID})
	}
	return c.Put(CollEquipment, r.ID, r, PutOpts{Scopes: archiveScopes, Index: idx})
}

// uniqueQRToken draws tokens until one is unused (the first, in practice).
func uniqueQRToken(c *Ctx) (string, error) {
	for range 3 {
		tok := NewQRToken()
		ids, err := c.tx.Lookup(CollEquipment, IdxQR, tok)
		if err != nil {
			return "", err
		}
		if len(ids) == 0 {
			return tok, nil
		}
	}
	return "", errors.New("sync: no unused QR token after 3 draws")
}

func createEquipment(c *Ctx, raw json.RawMessage) (any, error) {
	var a EquipmentArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	id, err := newRecordID(c, CollEquipment, a.ID)
	if err != nil {
		return nil, err
	}
	tok, err := uniqueQRToken(c)
	if err != nil {
		return nil, err
	}
	p := domain.Problems{}
	var site domain.Site
	if _, err := getRef(c, p, "siteId", CollSites, a.SiteID, &site); err != nil {
		return nil, err
	}
	eq, verr := domain.NewEquipment(domain.Equipment{ID: id, SiteID: a.SiteID, System: a.System, ItemType: a.ItemType,
		Model: a.Model, Serial: a.Serial, Location: a.Location, InstallDate: parseDateArg(p, "installDate", a.InstallDate),
		Attributes: a.Attributes, QRToken: tok})
	mergeProblems(p, verr)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if verr != nil {
		return nil, verr
	}
	r := EquipmentRecord{Equipment: eq, CustomerID: site.CustomerID}
	return r, putEquipment(c, r)
}

func updateEquipment(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateEquipmentArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var r EquipmentRecord
	if err := getTarget(c, CollEquipment, a.ID, &r); err != nil {
		return nil, err
	}
	if r.Retired {
		return nil, ErrEquipmentRetired
	}
	p := domain.Problems{}
	if a.SiteID != nil && *a.SiteID != r.SiteID {
		var site domain.Site
		ok, err := getRef(c, p, "siteId", CollSites, *a.SiteID, &site)
		if err != nil {
			return nil, err
		}
		if ok && site.CustomerID != r.CustomerID {
			p.Add("siteId", "other_customer")
		}
		r.SiteID = *a.SiteID
	}
	if a.ItemType != nil && *a.ItemType != r.ItemType {
		r.ItemType, r.System = *a.ItemType, ""
	}
	if a.System != nil {
		r.System = *a.System
	}
	if a.Model != nil {
		r.Model = *a.Model
	}
	if a.Serial != nil {
		r.Serial = *a.Serial
	}
	if a.Location != nil {
		r.Location = *a.Location
	}
	if a.InstallDate != nil {
		r.InstallDate = parseDateArg(p, "installDate", *a.InstallDate)
	}
	if a.Attributes != nil {
		r.Attributes = *a.Attributes
	}
	eq, verr := domain.NewEquipment(r.Equipment)
	mergeProblems(p, verr)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if verr != nil {
		return nil, verr
	}
	r.Equipment = eq
	return r, putEquipment(c, r)
}

func retireEquipment(c *Ctx, raw json.RawMessage) (any, error) {
	var a RetireEquipmentArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var r EquipmentRecord
	if err := getTarget(c, CollEquipment, a.ID, &r); err != nil {
		return nil, err
	}
	if r.Retired {
		return nil, ErrEquipmentRetired
	}
	reason := strings.TrimSpace(a.Reason)
	if !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > 200 {
		return nil, domain.Problems{"reason": "too_long"}.Err()
	}
	at := c.Now
	r.Retired, r.RetiredAt, r.RetiredReason = true, &at, reason
	return r, putEquipment(c, r)
}
