package sync

import (
	"encoding/json"
	"errors"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// collClients holds one record per offline client (device): whose it is,
// the last mutation number applied, and its clock offset. Not business data:
// outside the change feed.
const collClients = "clients"

// Client is what the server keeps of a device.
type Client struct {
	ID             string    `json:"id"`
	UserID         string    `json:"userId"`
	LastMutationID uint64    `json:"lastMutationId"`
	FirstSeen      time.Time `json:"firstSeen"`
	LastSeen       time.Time `json:"lastSeen"`
	// ClockOffsetMs is server time minus device time at the last contact.
	ClockOffsetMs int64 `json:"clockOffsetMs"`
	SchemaVersion int   `json:"schemaVersion"`
	Revoked       bool  `json:"revoked"`
}

// ErrClientOwner: the client id belongs to another user's device.
var ErrClientOwner = domain.E(domain.KindConflict, "sync.client_owner")

var errBadClientID = domain.E(domain.KindInvalid, "sync.bad_client_id")

func validClientID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func getClient(tx store.ReadTx, id string) (Client, bool, error) {
	var c Client
	data, err := tx.Get(collClients, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	return c, true, json.Unmarshal(data, &c)
}

func putClient(tx store.Tx, c Client) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return tx.Put(collClients, c.ID, data, store.Index{Name: "user", Value: c.UserID})
}

// clientFor loads or registers the caller's client record.
func clientFor(tx store.ReadTx, id, userID string, now time.Time) (Client, error) {
	if !validClientID(id) {
		return Client{}, errBadClientID
	}
	c, ok, err := getClient(tx, id)
	if err != nil {
		return c, err
	}
	if !ok {
		return Client{ID: id, UserID: userID, FirstSeen: now, LastSeen: now}, nil
	}
	if c.UserID != userID {
		return c, ErrClientOwner
	}
	return c, nil
}
