// Package domain is ELVcare's business: entities, state machines, fees,
// scores and rules of the after-sales service (../shared/DOMAIN.md). It is
// pure Go: no HTTP, no storage, and no clock or randomness it was not handed.
package domain

import (
	"errors"
	"fmt"
)

// Kind is the class of an error; the server maps each kind to one HTTP
// status, and clients branch on it.
type Kind int

// The kinds. KindInternal is the zero value so an unclassified error is never
// mistaken for the user's fault.
const (
	KindInternal        Kind = iota
	KindInvalid              // the input breaks a rule: 422
	KindNotFound             // no such thing (or not visible to the caller): 404
	KindUnauthenticated      // not signed in: 401
	KindForbidden            // signed in, not allowed: 403
	KindConflict             // clashes with the current state: 409
	KindMalformed            // cannot be decoded at all: 400
	KindTooLarge             // body or file over the limit: 413
	KindUnavailable          // cannot accept writes now (disk below the floor): 507
	KindTooMany              // throttled: 429
)

// Error is a domain error: a kind, a stable code clients and translations
// key on, message parameters, and per-field problems for validation errors.
// Its text is for logs; what a user reads comes from the code.
type Error struct {
	Kind   Kind
	Code   string            // e.g. "user.login_taken"; a message key
	Params map[string]string // substituted into the localized message
	Fields map[string]string // field name -> message code, for KindInvalid
	Err    error             // internal cause, logged, never shown
}

func (e *Error) Error() string {
	s := e.Code
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of a kind with a code.
func E(k Kind, code string) *Error { return &Error{Kind: k, Code: code} }

// With returns a copy of e with a message parameter set.
func (e *Error) With(key, value string) *Error {
	c := *e
	c.Params = make(map[string]string, len(e.Params)+1)
	for k, v := range e.Params {
		c.Params[k] = v
	}
	c.Params[key] = value
	return &c
}

// Wrap returns a copy of e carrying an internal cause.
func (e *Error) Wrap(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// KindOf returns the kind of err: the kind of the first *Error in its chain,
// else KindInternal.
func KindOf(err error) Kind {
	var de *Error
	if errors.As(err, &de) {
		return de.Kind
	}
	return KindInternal
}

// Common errors.
var (
	ErrMalformed       = E(KindMalformed, "malformed")
	ErrNotFound        = E(KindNotFound, "not_found")
	ErrUnauthenticated = E(KindUnauthenticated, "unauthenticated")
	ErrForbidden       = E(KindForbidden, "forbidden")
	ErrConflict        = E(KindConflict, "conflict")
	ErrTooLarge        = E(KindTooLarge, "too_large")
	ErrDiskFull        = E(KindUnavailable, "disk_full")
	ErrTooMany         = E(KindTooMany, "too_many")
)

// Problems collects field errors of one validation; Err returns nil when
// there were none, else one KindInvalid error listing them all.
type Problems map[string]string

// Add records that field broke rule code (the first problem per field wins).
func (p Problems) Add(field, code string) {
	if _, ok := p[field]; !ok {
		p[field] = code
	}
}

// Err is nil without problems, else an "invalid" error with every field.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	f := make(map[string]string, len(p))
	for k, v := range p {
		f[k] = v
	}
	return &Error{Kind: KindInvalid, Code: "invalid", Fields: f}
}
