package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// CollQuarantine holds mutations pushed by a device that may no longer
// push — its user was disabled, or the device revoked: nothing of them is
// applied until a person at the desk accepts it, and nothing is lost.
const CollQuarantine = "quarantine"

// Quarantined is one held mutation.
type Quarantined struct {
	ID         string          `json:"id"` // clientId/mutation id
	ClientID   string          `json:"clientId"`
	UserID     string          `json:"userId"`
	UserName   string          `json:"userName"`
	MutationID uint64          `json:"mutationId"`
	Name       string          `json:"name"`
	Args       json.RawMessage `json:"args"`
	DeviceTime *time.Time      `json:"deviceTime,omitempty"`
	At         time.Time       `json:"at"`
	Reason     string          `json:"reason"` // user_disabled, device_revoked
	Status     string          `json:"status"` // pending, accepted, discarded
	DecidedBy  string          `json:"decidedBy,omitempty"`
	Outcome    string          `json:"outcome,omitempty"` // applied, conflict, rejected: what accepting did
}

// QuarantineResponse answers a push that was held.
type QuarantineResponse struct {
	LastMutationID uint64 `json:"lastMutationId"`
	Quarantined    int    `json:"quarantined"`
	// Wipe tells the device to drop its local data: it may not work here any more.
	Wipe bool `json:"wipe"`
}

// Quarantine holds a batch from a device that may no longer push. The
// mutations past the client's last are kept in order; the client's number
// moves past them so the device can drop its outbox and wipe.
func (e *Engine) Quarantine(ctx context.Context, userID string, req PushRequest, reason string) (QuarantineResponse, error) {
	now := e.now().UTC()
	var resp QuarantineResponse
	err := e.st.Update(ctx, func(tx store.Tx) error {
		cl, err := clientFor(tx, req.ClientID, userID, now)
		if err != nil {
			return err
		}
		var u domain.User
		_ = GetJSON(tx, CollUsers, userID, &u)
		resp = QuarantineResponse{Wipe: true}
		for _, pm := range req.Mutations {
			if pm.ID <= cl.LastMutationID {
				continue
			}
			if pm.ID != cl.LastMutationID+1 {
				break
			}
			q := Quarantined{ID: fmt.Sprintf("%s/%020d", cl.ID, pm.ID), ClientID: cl.ID, UserID: userID, UserName: u.Name,
				MutationID: pm.ID, Name: pm.Name, Args: pm.Args, DeviceTime: pm.DeviceTime, At: now, Reason: reason, Status: "pending"}
			data, _ := json.Marshal(q)
			if err := tx.Put(CollQuarantine, q.ID, data, store.Index{Name: "status", Value: q.Status}); err != nil {
				return err
			}
			cl.LastMutationID = pm.ID
			resp.Quarantined++
		}
		cl.LastSeen = now
		resp.LastMutationID = cl.LastMutationID
		return putClient(tx, cl)
	})
	return resp, storeErr(err)
}

// QuarantineList lists held mutations with a status ("" for all).
func (e *Engine) QuarantineList(ctx context.Context, status string) ([]Quarantined, error) {
	out := []Quarantined{}
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(CollQuarantine, "", 0, func(_ string, data []byte) error {
			var q Quarantined
			if err := json.Unmarshal(data, &q); err != nil {
				return err
			}
			if status == "" || q.Status == status {
				out = append(out, q)
			}
			return nil
		})
	})
	return out, err
}

// DecideArgs accept or discard a held mutation.
type DecideArgs struct {
	ID     string `json:"id"`
	Accept bool   `json:"accept"`
}

var errDecided = domain.E(domain.KindConflict, "sync.quarantine_decided")

// decideQuarantine is the desk's decision, itself audited: accepting
// applies the held mutation as its technician made it (marked as coming
// through the quarantine), with the usual merge rules; discarding keeps the
// record and applies nothing.
func decideQuarantine(c *Ctx, raw json.RawMessage) (any, error) {
	var a DecideArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var q Quarantined
	if err := c.Get(CollQuarantine, a.ID, &q); err != nil {
		return nil, err
	}
	if q.Status != "pending" {
		return nil, errDecided
	}
	q.DecidedBy = c.Actor.UserID
	q.Status = "discarded"
	if a.Accept {
		q.Status = "accepted"
		held := Actor{UserID: q.UserID, Roles: []domain.Role{domain.RoleTechnician}, Device: q.ClientID, Via: "quarantine"}
		var info applyInfo
		err := c.tx.Savepoint(func(stx store.Tx) error {
			var err error
			info, err = c.e.applyDevice(stx, held, &prepared{m: Mutation{Name: q.Name, Args: q.Args, DeviceTime: q.DeviceTime}}, 0, nil, nil)
			return err
		})
		switch {
		case err == nil && info.conflictID != "":
			q.Outcome = StatusConflict
		case err == nil:
			q.Outcome = StatusApplied
		case domain.KindOf(err) != domain.KindInternal:
			q.Outcome = StatusRejected
		default:
			return nil, err
		}
	}
	return q, c.Put(CollQuarantine, q.ID, q, PutOpts{Scopes: []string{"role:desk", "role:manager"},
		Index: []store.Index{{Name: "status", Value: q.Status}}})
}

// RevokeArgs revoke a device.
type RevokeArgs struct {
	ClientID string `json:"clientId"`
}

func revokeDevice(c *Ctx, raw json.RawMessage) (any, error) {
	var a RevokeArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	cl, ok, err := getClient(c.tx, a.ClientID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.ErrNotFound
	}
	cl.Revoked = true
	return cl, c.Put(collClients, cl.ID, cl, PutOpts{Scopes: []string{"role:admin"}, Index: []store.Index{{Name: "user", Value: cl.UserID}}})
}

// ClientRevoked tells whether a device was revoked.
func (e *Engine) ClientRevoked(ctx context.Context, clientID string) bool {
	revoked := false
	_ = e.st.View(ctx, func(tx store.ReadTx) error {
		cl, ok, err := getClient(tx, clientID)
		revoked = err == nil && ok && cl.Revoked
		return nil
	})
	return revoked
}

// Devices lists the devices of every user.
func (e *Engine) Devices(ctx context.Context) ([]Client, error) {
	out := []Client{}
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(collClients, "", 0, func(_ string, data []byte) error {
			var cl Client
			if err := json.Unmarshal(data, &cl); err != nil {
				return err
			}
			out = append(out, cl)
			return nil
		})
	})
	return out, err
}
