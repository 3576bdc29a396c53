package domain

import "strings"

// EquipmentAttributes are the size attributes of a piece of equipment that
// its annual price may depend on (see ItemAttribute).
type EquipmentAttributes struct {
	Ports    int `json:"ports,omitempty"`    // PBX ports incl. trunks
	Watts    int `json:"watts,omitempty"`    // amplifier rated power
	Quantity int `json:"quantity,omitempty"` // points, or units in one record; 0 means 1 for unit items
}

// Equipment is an installed device, or a counted group of points, at a
// site (R-ARC-3). Its QR token is made outside the domain and links the
// printed label to the record (R-QR-1). Device credentials are not here:
// they are stored encrypted elsewhere.
type Equipment struct {
	ID          string              `json:"id"`
	SiteID      string              `json:"siteId"`
	System      System              `json:"system"`
	ItemType    ItemType            `json:"itemType"`
	Model       string              `json:"model,omitempty"`    // e.g. 海康威视 DS-7816N
	Serial      string              `json:"serial,omitempty"`   // manufacturer's serial number
	Location    string              `json:"location,omitempty"` // e.g. 地下二层停车场弱电间
	InstallDate Date                `json:"installDate,omitzero"`
	Attributes  EquipmentAttributes `json:"attributes"`
	QRToken     string              `json:"qrToken"`
}

// equipmentMinToken is the shortest QR token accepted: enough randomness
// that labels cannot be guessed.
const equipmentMinToken = 16

// NewEquipment trims e, takes the system from the item type when it is
// missing, and validates it.
func NewEquipment(e Equipment) (Equipment, error) {
	e.Model = strings.TrimSpace(e.Model)
	e.Serial = strings.TrimSpace(e.Serial)
	e.Location = strings.TrimSpace(e.Location)
	if spec, ok := e.ItemType.Spec(); ok && e.System == "" {
		e.System = spec.System
	}
	return e, e.Validate()
}

// Validate checks the equipment: the item type belongs to the system, the
// attribute its price needs is given (ports for a PBX, watts for an
// amplifier, quantity for point items), no attribute is negative, and the
// QR token is 16–64 URL-safe characters.
func (e Equipment) Validate() error {
	p := Problems{}
	arcCheckID(p, "id", e.ID, true)
	arcCheckID(p, "siteId", e.SiteID, true)
	switch {
	case e.System == "":
		p.Add("system", "required")
	case !e.System.Valid():
		p.Add("system", "invalid_system")
	}
	spec, ok := e.ItemType.Spec()
	switch {
	case e.ItemType == "":
		p.Add("itemType", "required")
	case !ok:
		p.Add("itemType", "invalid_item_type")
	case spec.System != e.System:
		p.Add("itemType", "system_mismatch")
	}
	arcCheckText(p, "model", e.Model, arcMaxName, false)
	arcCheckText(p, "serial", e.Serial, arcMaxName, false)
	arcCheckText(p, "location", e.Location, arcMaxLine, false)
	quoteCheckSize(p, "attributes.ports", e.Attributes.Ports, ok && spec.Attribute == AttributePorts)
	quoteCheckSize(p, "attributes.watts", e.Attributes.Watts, ok && spec.Attribute == AttributeWatts)
	switch q := e.Attributes.Quantity; {
	case q < 0:
		p.Add("attributes.quantity", "negative")
	case q == 0 && ok && spec.Attribute == AttributeQuantity:
		p.Add("attributes.quantity", "required")
	case q > arcMaxCount:
		p.Add("attributes.quantity", "too_large")
	}
	switch {
	case e.QRToken == "":
		p.Add("qrToken", "required")
	case !equipmentIsToken(e.QRToken):
		p.Add("qrToken", "invalid_token")
	}
	return p.Err()
}

// QuoteItem is the equipment as a line of an annual quote.
func (e Equipment) QuoteItem() QuoteItem {
	return QuoteItem{
		ItemType:    e.ItemType,
		SiteID:      e.SiteID,
		EquipmentID: e.ID,
		Quantity:    max(1, e.Attributes.Quantity),
		Ports:       e.Attributes.Ports,
		Watts:       e.Attributes.Watts,
	}
}

func equipmentIsToken(s string) bool {
	if len(s) < equipmentMinToken || len(s) > arcMaxKey {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
