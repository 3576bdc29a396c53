package sync

import (
	"encoding/json"

	"elvcare/domain"
)

// CustomerArgs are the arguments of customer.create. ID is optional: a
// client (an offline device, the Excel import) may choose a UUIDv7; else
// the server assigns one.
type CustomerArgs struct {
	ID   string              `json:"id,omitempty"`
	Name string              `json:"name"`
	Kind domain.CustomerKind `json:"kind"`
	Note string              `json:"note,omitempty"`
}

// CustomerPatch is what customer.update may change; nil fields stay.
type CustomerPatch struct {
	Name *string              `json:"name,omitempty"`
	Kind *domain.CustomerKind `json:"kind,omitempty"`
	Note *string              `json:"note,omitempty"`
}

// UpdateCustomerArgs are the arguments of customer.update.
type UpdateCustomerArgs struct {
	ID string `json:"id"`
	CustomerPatch
}

func putCustomer(c *Ctx, cu domain.Customer) error {
	return c.Put(CollCustomers, cu.ID, cu, PutOpts{Scopes: archiveScopes})
}

func createCustomer(c *Ctx, raw json.RawMessage) (any, error) {
	var a CustomerArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	id, err := newRecordID(c, CollCustomers, a.ID)
	if err != nil {
		return nil, err
	}
	cu, err := domain.NewCustomer(domain.Customer{ID: id, Name: a.Name, Kind: a.Kind, Note: a.Note})
	if err != nil {
		return nil, err
	}
	return cu, putCustomer(c, cu)
}

func updateCustomer(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateCustomerArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var cu domain.Customer
	if err := getTarget(c, CollCustomers, a.ID, &cu); err != nil {
		return nil, err
	}
	if a.Name != nil {
		cu.Name = *a.Name
	}
	if a.Kind != nil {
		cu.Kind = *a.Kind
	}
	if a.Note != nil {
		cu.Note = *a.Note
	}
	cu, err := domain.NewCustomer(cu)
	if err != nil {
		return nil, err
	}
	return cu, putCustomer(c, cu)
}
