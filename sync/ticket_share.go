package sync

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// CollShares holds the customer-copy links of signed forms, one per
// ticket, found by their token.
const CollShares = "ticket_shares"

// Share is the link that gives the customer a copy of the signed form
// without an account: /s/<token>. The token is 144 random bits.
type Share struct {
	TicketID string    `json:"ticketId"`
	Token    string    `json:"token,omitempty"`
	By       string    `json:"by"`
	Created  time.Time `json:"created"`
}

// ShareArgs name the ticket whose form is shared.
type ShareArgs struct {
	ID string `json:"id"`
}

// shareTokenBytes is the token's randomness: 144 bits, 24 characters.
const shareTokenBytes = 18

// shareIndex is the index that finds a share by its token.
const shareIndex = "token"

var (
	shareTokenRe = regexp.MustCompile(`^[A-Za-z0-9_-]{24}$`)
	errNotSigned = domain.E(domain.KindConflict, "ticket.not_signed")
)

// shareTicket makes the customer-copy link of a signed form, or returns
// the one it already has: the customer keeps one link per form.
func shareTicket(c *Ctx, raw json.RawMessage) (any, error) {
	var a ShareArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if !t.Signed() {
		return nil, errNotSigned
	}
	var sh Share
	err = c.Get(CollShares, t.ID, &sh)
	if err == nil {
		return sh, nil
	}
	if domain.KindOf(err) != domain.KindNotFound {
		return nil, err
	}
	b := make([]byte, shareTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	sh = Share{TicketID: t.ID, Token: base64.RawURLEncoding.EncodeToString(b), By: c.Actor.UserID, Created: c.Now}
	// The token stays out of the change feed and the audit log: whoever
	// reads those should not hold every customer's link.
	public := sh
	public.Token = ""
	return sh, c.Put(CollShares, t.ID, sh, PutOpts{Scopes: []string{"role:desk"}, Public: public,
		Index: []store.Index{{Name: shareIndex, Value: sh.Token}}})
}

// ByShare returns the ticket a share token names; an unknown or
// malformed token is not found.
func (r Tickets) ByShare(ctx context.Context, token string) (domain.Ticket, error) {
	var t domain.Ticket
	if !shareTokenRe.MatchString(token) {
		return t, domain.ErrNotFound
	}
	err := r.e.st.View(ctx, func(tx store.ReadTx) error {
		ids, err := tx.Lookup(CollShares, shareIndex, token)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return domain.ErrNotFound
		}
		return GetJSON(tx, CollTickets, ids[0], &t)
	})
	return t, err
}
