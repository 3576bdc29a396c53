package sync

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"elvcare/domain"
	"elvcare/sync/store"
)

// The collections of the customer archive (R-ARC). Their records are the
// JSON of the domain types (equipment: EquipmentRecord), which is also what
// the change feed carries, so a client can mirror them.
const (
	CollCustomers        = "customers"
	CollSites            = "sites"
	CollContacts         = "contacts"
	CollContracts        = "contracts"
	CollEquipment        = "equipment"
	CollCredentials      = "credentials"
	CollCredentialReveal = "credential_reveals"
	CollFiles            = "files"
)

// The secondary indexes of the archive collections.
const (
	IdxCustomer = "customer" // sites, contacts, contracts, equipment → customer id
	IdxSite     = "site"     // equipment → site id; contracts → each covered site id
	IdxLive     = "live"     // equipment not retired → customer id (cheap counts)
	IdxQR       = "qr"       // equipment → QR token
	IdxPhone    = "phone"    // contacts → digits of each number without extension
	IdxEnd      = "end"      // contracts → last covered day (Contract.Until), YYYY-MM-DD
	IdxPrevious = "previous" // contracts → the contract it renews
	IdxDistrict = "district" // sites → district
	IdxEquip    = "equipment"
	IdxUser     = "user"
)

// archiveScopes say who pulls archive changes: everyone whose role reads
// the archive.
// TODO(sync issue): technicians get "user:ID" scopes for the customers,
// sites and equipment of their tickets; added where tickets are assigned.
var archiveScopes = []string{"role:desk", "role:manager", "role:admin", "role:finance"}

// credentialScopes are the roles that may reveal credentials; the change
// feed carries only a public view without any secret.
var credentialScopes = []string{"role:desk", "role:manager", "role:admin"}

func registerArchive(e *Engine) {
	w := domain.PermArchiveWrite
	e.Register("customer.create", w, createCustomer)
	e.Register("customer.update", w, updateCustomer)
	e.Register("site.create", w, createSite)
	e.Register("site.update", w, updateSite)
	e.Register("contact.create", w, createContact)
	e.Register("contact.update", w, updateContact)
	e.Register("contract.create", w, createContract)
	e.Register("contract.update", w, updateContract)
	e.Register("contract.moveStage", w, moveContractStage)
	e.Register("contract.recordAudit", w, recordContractAudit)
	e.Register("contract.renew", w, renewContract)
	e.Register("equipment.create", w, createEquipment)
	e.Register("equipment.update", w, updateEquipment)
	e.Register("equipment.retire", w, retireEquipment)
	e.Register("credential.set", w, setCredential)
	e.Register("credential.reveal", domain.PermCredentialRead, revealCredential)
	e.Register("file.register", w, registerFile)
}

// ErrIDTaken: a create named an id that is already in use.
var ErrIDTaken = domain.E(domain.KindConflict, "archive.id_taken")

// IsUUIDv7 reports whether s is a version-7 UUID in canonical lower-case
// form: the only ids clients may choose.
func IsUUIDv7(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.Version() == 7 && u.Variant() == uuid.RFC4122 && u.String() == s
}

// newRecordID returns the client's id for a new record of coll, checked,
// or a fresh one when the client chose none.
func newRecordID(c *Ctx, coll, id string) (string, error) {
	if id == "" {
		return NewID(), nil
	}
	if !IsUUIDv7(id) {
		return "", domain.Problems{"id": "invalid_id"}.Err()
	}
	if _, err := c.tx.Get(coll, id); err == nil {
		return "", ErrIDTaken.With("id", id)
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	return id, nil
}

// actorRef is how a history entry or a record names who acted: the user
// id, or the channel for actors without one (the command line, the system).
func actorRef(a Actor) string {
	if a.UserID != "" {
		return a.UserID
	}
	if a.Via != "" {
		return a.Via
	}
	return "system"
}

// exists reports whether coll/id is stored.
func exists(r store.ReadTx, coll, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	_, err := r.Get(coll, id)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalidKey):
		return false, nil
	}
	return false, err
}

// getRef decodes coll/id for a reference made in arguments: a missing or
// malformed id is a problem on field, not a 404 of the request.
func getRef(c *Ctx, p domain.Problems, field, coll, id string, v any) (bool, error) {
	if id == "" {
		p.Add(field, "required")
		return false, nil
	}
	data, err := c.tx.Get(coll, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidKey) {
		p.Add(field, "not_found")
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(data, v)
}

// getTarget decodes the record a mutation acts on: missing is a 404.
func getTarget(c *Ctx, coll, id string, v any) error {
	if id == "" {
		return domain.ErrNotFound
	}
	data, err := c.tx.Get(coll, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidKey) {
		return domain.ErrNotFound.Wrap(err)
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// parseDateArg reads an optional date argument, recording a problem.
func parseDateArg(p domain.Problems, field, s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		p.Add(field, "invalid_date")
	}
	return d
}

// DefaultZone is Asia/Shanghai, or a fixed +08:00 zone where the system has
// no time-zone database (the binary embeds one; tests may not).
func DefaultZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// Zone is the zone business days are counted in.
func (e *Engine) Zone() *time.Location { return e.zone }

// Today is the business day now, in the engine's zone.
func (e *Engine) Today() domain.Date { return domain.DateOf(e.now(), e.zone) }

// today is the business day of the mutation.
func (c *Ctx) today() domain.Date { return domain.DateOf(c.Now, c.e.zone) }

// serviceArea is the configured home city and fee zones.
// TODO(settings): read an admin-edited area once settings hold one.
func serviceArea() domain.ServiceArea { return domain.DefaultServiceArea() }

func asDomainErr(err error, target **domain.Error) bool { return errors.As(err, target) }

// mergeProblems copies the field problems of a validation error into p;
// other errors are left for the caller.
func mergeProblems(p domain.Problems, err error) {
	var de *domain.Error
	if err == nil || !asDomainErr(err, &de) {
		return
	}
	for f, code := range de.Fields {
		p.Add(f, code)
	}
}
