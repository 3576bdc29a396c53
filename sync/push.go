package sync

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// SchemaVersion is the version of the mutation vocabulary this server
// speaks. Clients send theirs; mutations of older versions are upgraded
// (see upgradeMutation), newer ones are refused until the app updates.
const SchemaVersion = 1

// PushRequest is the body of POST /api/sync/push.
type PushRequest struct {
	ClientID      string `json:"clientId"`
	SchemaVersion int    `json:"schemaVersion"`
	// SentAt is the device clock when the request was sent; the server
	// measures the device's clock offset from it.
	SentAt    *time.Time     `json:"sentAt,omitempty"`
	Mutations []PushMutation `json:"mutations"`
}

// PushMutation is one queued intention of the device.
type PushMutation struct {
	ID         uint64          `json:"id"`
	Name       string          `json:"name"`
	Args       json.RawMessage `json:"args"`
	DeviceTime *time.Time      `json:"deviceTime,omitempty"`
}

// The statuses of a pushed mutation.
const (
	StatusApplied  = "applied"
	StatusConflict = "conflict"
	StatusRejected = "rejected"
)

// PushResult is the outcome of one mutation.
type PushResult struct {
	ID         uint64 `json:"id"`
	Status     string `json:"status"`
	ConflictID string `json:"conflictId,omitempty"`
	Reason     string `json:"reason,omitempty"`
	// Err is the refusal of a rejected mutation; the server renders it in
	// the usual error shape.
	Err error `json:"-"`
}

// PushResponse answers a push.
type PushResponse struct {
	LastMutationID uint64       `json:"lastMutationId"`
	Results        []PushResult `json:"results"`
	ServerTime     time.Time    `json:"serverTime"`
	ClockOffsetMs  int64        `json:"clockOffsetMs"`
	// ClockDrift is set when the device clock is off by more than a minute.
	ClockDrift bool `json:"clockDrift"`
}

// MaxDrift is the clock offset beyond which a device is flagged.
const MaxDrift = 60 * time.Second

var errNewerSchema = domain.E(domain.KindConflict, "sync.newer_schema")

// ErrRevoked: the device was revoked; its pushes go to the quarantine.
var errRevoked = domain.E(domain.KindForbidden, "sync.device_revoked")

// IsRevoked tells whether err says the device was revoked.
func IsRevoked(err error) bool {
	var de *domain.Error
	return errors.As(err, &de) && de.Code == errRevoked.Code
}

// Push applies a device's batch in one durable transaction: each mutation
// exactly once (numbers at or below the client's last are skipped), in
// order, stopping at a gap. A mutation that can never apply is still
// processed — rejected, or applied with a conflict record — so the device
// moves on; an internal failure applies nothing and advances nothing.
func (e *Engine) Push(ctx context.Context, a Actor, req PushRequest) (PushResponse, error) {
	if req.SchemaVersion > SchemaVersion {
		return PushResponse{}, errNewerSchema
	}
	ms := append([]PushMutation(nil), req.Mutations...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	// Upgraded and with their arguments decoded here, off the writer.
	prep := make([]prepared, len(ms))
	for i, pm := range ms {
		p := &prep[i]
		p.m = upgradeMutation(req.SchemaVersion, Mutation{Name: pm.Name, Args: pm.Args, DeviceTime: pm.DeviceTime})
		if reg, ok := e.handlers[p.m.Name]; ok && reg.decode != nil {
			p.args, p.argsErr = reg.decode(p.m.Args)
			p.decoded = true
		}
	}
	now := e.now().UTC()
	var resp PushResponse
	err := e.st.Update(ctx, func(tx store.Tx) error {
		resp = PushResponse{ServerTime: now}
		cl, err := clientFor(tx, req.ClientID, a.UserID, now)
		if err != nil {
			return err
		}
		if cl.Revoked {
			return errRevoked
		}
		if req.SentAt != nil {
			cl.ClockOffsetMs = now.Sub(*req.SentAt).Milliseconds()
		}
		cl.LastSeen = now
		cl.SchemaVersion = req.SchemaVersion
		offset := time.Duration(cl.ClockOffsetMs) * time.Millisecond
		da := a
		da.Device = cl.ID
		da.Via = "device"
		summaries := map[string]bool{}
		for i, pm := range ms {
			if pm.ID <= cl.LastMutationID {
				continue // already processed: a replay
			}
			if pm.ID != cl.LastMutationID+1 {
				break // a gap: wait for the missing one
			}
			m := prep[i].m
			var info applyInfo
			err := tx.Savepoint(func(stx store.Tx) error {
				var err error
				info, err = e.applyDevice(stx, da, &prep[i], offset, e.objs, summaries)
				return err
			})
			r := PushResult{ID: pm.ID, Status: StatusApplied}
			switch {
			case err == nil && info.conflictID != "":
				r.Status, r.ConflictID, r.Reason = StatusConflict, info.conflictID, info.conflictReason
			case err == nil:
			case domain.KindOf(err) != domain.KindInternal:
				r.Status, r.Err = StatusRejected, err
				if rerr := recordRejection(tx, da, m, pm.ID, err, now); rerr != nil {
					return rerr
				}
			default:
				return err // transient: nothing of the batch is kept
			}
			resp.Results = append(resp.Results, r)
			cl.LastMutationID = pm.ID
		}
		if err := putSummaries(&Ctx{tx: tx, e: e, Now: now, objs: e.objs}, summaries); err != nil {
			return err
		}
		resp.LastMutationID = cl.LastMutationID
		resp.ClockOffsetMs = cl.ClockOffsetMs
		resp.ClockDrift = offset > MaxDrift || offset < -MaxDrift
		return putClient(tx, cl)
	})
	if err != nil {
		return PushResponse{}, storeErr(err)
	}
	if resp.Results == nil {
		resp.Results = []PushResult{}
	}
	return resp, nil
}

// prepared is a pushed mutation made ready before the writer runs it.
type prepared struct {
	m       Mutation
	decoded bool // args and argsErr hold what its handler's decode made of m.Args
	args    any
	argsErr error
}

// applyInfo carries what a device mutation produced besides its answer.
type applyInfo struct {
	conflictID, conflictReason string
}

// applyDevice applies one device mutation; its device time is corrected
// by the measured clock offset for handlers that record when work happened.
// A device learns the outcome from its next pull, so the handler's answer
// is not encoded.
func (e *Engine) applyDevice(tx store.Tx, a Actor, p *prepared, offset time.Duration, objs *objCache, summaries map[string]bool) (applyInfo, error) {
	m := p.m
	reg, ok := e.handlers[m.Name]
	if !ok {
		return applyInfo{}, ErrUnknownMutation.With("name", m.Name)
	}
	if !domain.Can(a.Roles, reg.perm) {
		return applyInfo{}, domain.ErrForbidden
	}
	c := &Ctx{tx: tx, Actor: a, Now: e.now().UTC(), e: e, mutation: m.Name, objs: objs, summaries: summaries}
	if m.DeviceTime != nil {
		t := m.DeviceTime.Add(offset).UTC()
		c.EventTime = &t
		dt := m.DeviceTime.UTC()
		c.deviceTime = &dt
	}
	var err error
	switch {
	case !p.decoded:
		_, err = reg.h(c, m.Args)
	case p.argsErr != nil:
		err = p.argsErr
	default:
		_, err = reg.run(c, p.args)
	}
	if err != nil {
		return applyInfo{}, err
	}
	if err := c.writeAudit(m); err != nil {
		return applyInfo{}, err
	}
	info := applyInfo{}
	if len(c.conflicts) > 0 {
		info.conflictID, info.conflictReason = c.conflicts[0].ID, c.conflicts[0].Reason
	}
	return info, nil
}

// upgradeMutation rewrites a mutation of an older schema version into the
// current vocabulary. Version 1 is the first; later versions add cases here
// so phones that queued work before a server upgrade are never stranded.
func upgradeMutation(from int, m Mutation) Mutation {
	_ = from
	return m
}

// rejection is kept so the desk can see what a device tried and why it was
// refused.
type rejection struct {
	ID         string          `json:"id"`
	ClientID   string          `json:"clientId"`
	UserID     string          `json:"userId"`
	MutationID uint64          `json:"mutationId"`
	Name       string          `json:"name"`
	Args       json.RawMessage `json:"args"`
	Code       string          `json:"code"`
	At         time.Time       `json:"at"`
}

const collRejections = "sync_rejections"

func recordRejection(tx store.Tx, a Actor, m Mutation, id uint64, err error, now time.Time) error {
	code := "invalid"
	var de *domain.Error
	if errors.As(err, &de) {
		code = de.Code
	}
	r := rejection{ID: NewID(), ClientID: a.Device, UserID: a.UserID, MutationID: id, Name: m.Name, Args: m.Args, Code: code, At: now}
	data, _ := json.Marshal(r)
	return tx.Put(collRejections, r.ID, data, store.Index{Name: "user", Value: a.UserID})
}
