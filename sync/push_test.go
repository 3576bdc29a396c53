package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	gosync "sync"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// noteArgs is a test mutation: a technician's note, keyed by a client id.
type noteArgs struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Fail string `json:"fail,omitempty"` // "invalid" or "internal"
}

type note struct {
	ID    string    `json:"id"`
	Text  string    `json:"text"`
	By    string    `json:"by"`
	When  time.Time `json:"when"`
	Count int       `json:"count"`
}

func registerNote(e *sync.Engine) {
	e.Register("test.note", domain.PermTicketField, func(c *sync.Ctx, raw json.RawMessage) (any, error) {
		var a noteArgs
		if err := sync.DecodeArgs(raw, &a); err != nil {
			return nil, err
		}
		if a.Fail == "invalid" {
			return nil, domain.Problems{"text": "required"}.Err()
		}
		var n note
		if err := c.Get("notes", a.ID, &n); err != nil && domain.KindOf(err) != domain.KindNotFound {
			return nil, err
		}
		n.ID, n.Text, n.By, n.When = a.ID, a.Text, c.Actor.UserID, c.When()
		n.Count++
		if err := c.Put("notes", a.ID, n, sync.PutOpts{Scopes: []string{"user:" + c.Actor.UserID, "role:desk"}}); err != nil {
			return nil, err
		}
		if a.Fail == "internal" {
			return nil, errors.New("disk on fire")
		}
		return n, nil
	})
	e.Register("test.grant", domain.PermTicketDispatch, func(c *sync.Ctx, raw json.RawMessage) (any, error) {
		var a struct{ User, Note, Reason string }
		_ = json.Unmarshal(raw, &a)
		if a.Reason == "revoke" {
			return nil, c.Revoke("user:"+a.User, "notes", a.Note, "ticket:1")
		}
		return nil, c.Grant("user:"+a.User, "notes", a.Note, "ticket:1")
	})
}

var tech = sync.Actor{UserID: "tech-1", Roles: []domain.Role{domain.RoleTechnician}, Via: "web"}
var tech2 = sync.Actor{UserID: "tech-2", Roles: []domain.Role{domain.RoleTechnician}, Via: "web"}
var desk = sync.Actor{UserID: "desk-1", Roles: []domain.Role{domain.RoleDesk}, Via: "web"}

func pm(id uint64, noteID, text string) sync.PushMutation {
	return sync.PushMutation{ID: id, Name: "test.note", Args: mustArgs(noteArgs{ID: noteID, Text: text})}
}

func noteCount(t *testing.T, st store.Store, id string) int {
	var n note
	err := st.View(context.Background(), func(tx store.ReadTx) error { return sync.GetJSON(tx, "notes", id, &n) })
	if err != nil {
		return 0
	}
	return n.Count
}

func TestPushExactlyOnce(t *testing.T) {
	e, st := openEngine(t)
	registerNote(e)
	ctx := context.Background()
	batch := sync.PushRequest{ClientID: "device-aaaa", SchemaVersion: 1, Mutations: []sync.PushMutation{pm(1, "n1", "a"), pm(2, "n2", "b"), pm(3, "n1", "c")}}
	r1, err := e.Push(ctx, tech, batch)
	if err != nil {
		t.Fatal(err)
	}
	if r1.LastMutationID != 3 || len(r1.Results) != 3 {
		t.Fatalf("first push: %+v", r1)
	}
	// The same batch again (a retry whose answer was lost): nothing new.
	r2, err := e.Push(ctx, tech, batch)
	if err != nil {
		t.Fatal(err)
	}
	if r2.LastMutationID != 3 || len(r2.Results) != 0 {
		t.Errorf("replay: %+v", r2)
	}
	// Overlapping: 2..4 applies only 4.
	r3, err := e.Push(ctx, tech, sync.PushRequest{ClientID: "device-aaaa", SchemaVersion: 1, Mutations: []sync.PushMutation{pm(2, "n2", "b"), pm(3, "n1", "c"), pm(4, "n2", "d")}})
	if err != nil {
		t.Fatal(err)
	}
	if r3.LastMutationID != 4 || len(r3.Results) != 1 || r3.Results[0].ID != 4 {
		t.Errorf("overlap: %+v", r3)
	}
	// A gap stops application: 6 and 7 wait for 5.
	r4, err := e.Push(ctx, tech, sync.PushRequest{ClientID: "device-aaaa", SchemaVersion: 1, Mutations: []sync.PushMutation{pm(6, "n3", "x"), pm(7, "n3", "y")}})
	if err != nil {
		t.Fatal(err)
	}
	if r4.LastMutationID != 4 || len(r4.Results) != 0 {
		t.Errorf("gap: %+v", r4)
	}
	if got := noteCount(t, st, "n1"); got != 2 {
		t.Errorf("n1 applied %d times, want 2", got)
	}
	if got := noteCount(t, st, "n2"); got != 2 {
		t.Errorf("n2 applied %d times, want 2", got)
	}
	if got := noteCount(t, st, "n3"); got != 0 {
		t.Errorf("n3 applied past a gap")
	}
}

func TestPushRejectionsAndTransientErrors(t *testing.T) {
	e, st := openEngine(t)
	registerNote(e)
	ctx := context.Background()
	r, err := e.Push(ctx, tech, sync.PushRequest{ClientID: "device-bbbb", SchemaVersion: 1, Mutations: []sync.PushMutation{
		pm(1, "n1", "ok"),
		{ID: 2, Name: "test.nope", Args: mustArgs(map[string]string{})},
		{ID: 3, Name: "test.note", Args: mustArgs(noteArgs{ID: "n2", Text: "", Fail: "invalid"})},
		{ID: 4, Name: "user.create", Args: mustArgs(sync.CreateUserArgs{Login: "evil", Name: "x", Roles: []domain.Role{"admin"}, PasswordHash: "h"})},
		{ID: 5, Name: "test.note", Args: json.RawMessage(`{"id":"n3","text":"t","by":"someone-else"}`)},
		pm(6, "n4", "after"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"applied", "rejected", "rejected", "rejected", "rejected", "applied"}
	if r.LastMutationID != 6 || len(r.Results) != len(want) {
		t.Fatalf("push: %+v", r)
	}
	for i, w := range want {
		if r.Results[i].Status != w {
			t.Errorf("mutation %d: %s, want %s (%v)", i+1, r.Results[i].Status, w, r.Results[i].Err)
		}
	}
	if k := domain.KindOf(r.Results[3].Err); k != domain.KindForbidden {
		t.Errorf("a technician creating users: kind %v, want forbidden", k)
	}
	// The rejected mutation left nothing, its neighbours are there.
	if noteCount(t, st, "n2") != 0 || noteCount(t, st, "n1") != 1 || noteCount(t, st, "n4") != 1 {
		t.Error("rejected mutation's writes kept or neighbours lost")
	}
	// A transient failure applies nothing of the batch and advances nothing.
	_, err = e.Push(ctx, tech, sync.PushRequest{ClientID: "device-bbbb", SchemaVersion: 1, Mutations: []sync.PushMutation{
		pm(7, "n5", "x"), {ID: 8, Name: "test.note", Args: mustArgs(noteArgs{ID: "n6", Text: "y", Fail: "internal"})},
	}})
	if err == nil {
		t.Fatal("internal failure answered success")
	}
	if noteCount(t, st, "n5") != 0 {
		t.Error("a failed batch kept its first mutation")
	}
	r, err = e.Push(ctx, tech, sync.PushRequest{ClientID: "device-bbbb", SchemaVersion: 1, Mutations: []sync.PushMutation{pm(7, "n5", "x")}})
	if err != nil || r.LastMutationID != 7 {
		t.Errorf("retry after a transient failure: %v %+v", err, r)
	}
}

func TestPushClientBelongsToOneUser(t *testing.T) {
	e, _ := openEngine(t)
	registerNote(e)
	ctx := context.Background()
	if _, err := e.Push(ctx, tech, sync.PushRequest{ClientID: "device-cccc", SchemaVersion: 1, Mutations: []sync.PushMutation{pm(1, "n1", "a")}}); err != nil {
		t.Fatal(err)
	}
	_, err := e.Push(ctx, tech2, sync.PushRequest{ClientID: "device-cccc", SchemaVersion: 1, Mutations: []sync.PushMutation{pm(2, "n1", "b")}})
	if domain.KindOf(err) != domain.KindConflict {
		t.Errorf("another user's client id: %v", err)
	}
	_, err = e.Push(ctx, tech, sync.PushRequest{ClientID: "x", SchemaVersion: 1})
	if domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("bad client id: %v", err)
	}
	_, err = e.Push(ctx, tech, sync.PushRequest{ClientID: "device-cccc", SchemaVersion: sync.SchemaVersion + 1})
	if domain.KindOf(err) != domain.KindConflict {
		t.Errorf("newer schema: %v", err)
	}
}

func TestPushManyClientsInterleaved(t *testing.T) {
	e, st := openEngine(t)
	registerNote(e)
	ctx := context.Background()
	const clients, batches, per = 8, 10, 5
	var wg gosync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			actor := sync.Actor{UserID: fmt.Sprintf("tech-%d", c), Roles: []domain.Role{domain.RoleTechnician}}
			id := uint64(0)
			for b := 0; b < batches; b++ {
				var ms []sync.PushMutation
				for i := 0; i < per; i++ {
					id++
					ms = append(ms, pm(id, fmt.Sprintf("c%d", c), "x"))
				}
				// Every batch is sent twice: the replay must change nothing.
				for k := 0; k < 2; k++ {
					if _, err := e.Push(ctx, actor, sync.PushRequest{ClientID: fmt.Sprintf("device-%04d", c), SchemaVersion: 1, Mutations: ms}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}(c)
	}
	wg.Wait()
	for c := 0; c < clients; c++ {
		if got := noteCount(t, st, fmt.Sprintf("c%d", c)); got != batches*per {
			t.Errorf("client %d: %d applied, want %d", c, got, batches*per)
		}
	}
	// The change feed has no hole.
	var prev uint64
	_ = st.View(ctx, func(tx store.ReadTx) error {
		return tx.Changes(0, 0, func(ch store.Change) error {
			if ch.Version != prev+1 {
				t.Errorf("feed jumps from %d to %d", prev, ch.Version)
			}
			prev = ch.Version
			return nil
		})
	})
}

func TestPushClockOffset(t *testing.T) {
	e, st := openEngine(t) // the engine clock is 2026-11-25 09:10 UTC
	registerNote(e)
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		skew   time.Duration
		drift  bool
		client string
	}{
		{"a year fast", 365 * 24 * time.Hour, true, "device-fast"},
		{"a year slow", -365 * 24 * time.Hour, true, "device-slow"},
		{"ten seconds", 10 * time.Second, false, "device-good"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			server := time.Date(2026, 11, 25, 9, 10, 0, 0, time.UTC)
			device := server.Add(tt.skew)
			done := device.Add(-30 * time.Minute) // the work happened half an hour before sending
			r, err := e.Push(ctx, tech, sync.PushRequest{ClientID: tt.client, SchemaVersion: 1, SentAt: &device,
				Mutations: []sync.PushMutation{{ID: 1, Name: "test.note", Args: mustArgs(noteArgs{ID: tt.client, Text: "x"}), DeviceTime: &done}}})
			if err != nil {
				t.Fatal(err)
			}
			if r.ClockDrift != tt.drift || r.Results[0].Status != "applied" {
				t.Errorf("drift %v status %s", r.ClockDrift, r.Results[0].Status)
			}
			var n note
			_ = st.View(ctx, func(tx store.ReadTx) error { return sync.GetJSON(tx, "notes", tt.client, &n) })
			if want := server.Add(-30 * time.Minute); !n.When.Equal(want) {
				t.Errorf("event time %v, want %v (device time corrected by the offset)", n.When, want)
			}
		})
	}
}

func TestPullScopes(t *testing.T) {
	e, _ := openEngine(t)
	registerNote(e)
	ctx := context.Background()
	push := func(a sync.Actor, client string, ms ...sync.PushMutation) {
		t.Helper()
		if _, err := e.Push(ctx, a, sync.PushRequest{ClientID: client, SchemaVersion: 1, Mutations: ms}); err != nil {
			t.Fatal(err)
		}
	}
	push(tech, "device-t1", pm(1, "mine", "a"))
	push(tech2, "device-t2", pm(1, "theirs", "b"))
	first, err := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-t1"})
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]bool{}
	templates := 0
	for _, c := range first.Changes {
		switch c.Collection {
		case "notes":
			notes[c.ID] = true
		case sync.CollTemplates:
			templates++
		}
	}
	if !first.Reset || len(notes) != 1 || !notes["mine"] || templates == 0 || first.LastMutationID != 1 {
		t.Fatalf("first pull: reset %v notes %v templates %d last %d", first.Reset, notes, templates, first.LastMutationID)
	}
	// Nothing new: an empty incremental answer.
	again, err := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-t1", Cursor: first.Cursor})
	if err != nil || again.Reset || len(again.Changes) != 0 {
		t.Fatalf("second pull: %v %+v", err, again)
	}
	// The desk grants tech-1 the other technician's note: it arrives
	// incrementally, no reset; then it is revoked and evicted.
	if _, err := e.Apply(ctx, desk, sync.Mutation{Name: "test.grant", Args: mustArgs(map[string]string{"User": "tech-1", "Note": "theirs"})}); err != nil {
		t.Fatal(err)
	}
	push(tech, "device-t1", pm(2, "mine", "changed"))
	inc, err := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-t1", Cursor: again.Cursor})
	if err != nil || inc.Reset {
		t.Fatalf("incremental: %v %+v", err, inc)
	}
	got := map[string]string{}
	for _, c := range inc.Changes {
		got[c.ID] = c.Op
	}
	if got["theirs"] != "put" || got["mine"] != "put" || len(got) != 2 {
		t.Errorf("incremental changes %v", got)
	}
	// tech-2 changes their note: tech-1 now hears of it too.
	push(tech2, "device-t2", pm(2, "theirs", "b2"))
	if _, err := e.Apply(ctx, desk, sync.Mutation{Name: "test.grant", Args: mustArgs(map[string]string{"User": "tech-1", "Note": "theirs", "Reason": "revoke"})}); err != nil {
		t.Fatal(err)
	}
	inc2, err := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-t1", Cursor: inc.Cursor})
	if err != nil {
		t.Fatal(err)
	}
	if len(inc2.Changes) != 1 || inc2.Changes[0].ID != "theirs" || inc2.Changes[0].Op != "evict" {
		t.Errorf("after revoke: %+v", inc2.Changes)
	}
	// tech-2 never saw tech-1's note.
	p2, _ := e.Pull(ctx, tech2, sync.PullRequest{ClientID: "device-t2"})
	for _, c := range p2.Changes {
		if c.ID == "mine" {
			t.Error("tech-2 pulled tech-1's note")
		}
	}
	// A cursor from the future (a restored server) is answered by a reset.
	fut, _ := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-t1", Cursor: "999999"})
	if !fut.Reset {
		t.Error("a cursor beyond the feed did not reset")
	}
}

func TestPullPaging(t *testing.T) {
	e, _ := openEngine(t)
	registerNote(e)
	ctx := context.Background()
	p0, _ := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-pg"})
	var ms []sync.PushMutation
	for i := 1; i <= 25; i++ {
		ms = append(ms, pm(uint64(i), fmt.Sprintf("n%02d", i), "x"))
	}
	if _, err := e.Push(ctx, tech, sync.PushRequest{ClientID: "device-pg", SchemaVersion: 1, Mutations: ms}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	cur := p0.Cursor
	for i := 0; i < 10; i++ {
		r, err := e.Pull(ctx, tech, sync.PullRequest{ClientID: "device-pg", Cursor: cur, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Changes {
			seen[c.ID] = true
		}
		cur = r.Cursor
		if !r.More {
			break
		}
	}
	if len(seen) != 25 {
		t.Errorf("paged pulls delivered %d notes, want 25", len(seen))
	}
}

// A phone that queued work before a server upgrade still speaks the
// previous vocabulary: its mutations are accepted (upgraded), and only a
// newer one is refused until the app updates.
func TestPushPreviousSchemaVersion(t *testing.T) {
	e, st := openEngine(t)
	registerNote(e)
	r, err := e.Push(context.Background(), tech, sync.PushRequest{ClientID: "device-old1", SchemaVersion: sync.SchemaVersion - 1, Mutations: []sync.PushMutation{pm(1, "old", "x")}})
	if err != nil || r.LastMutationID != 1 || r.Results[0].Status != "applied" || noteCount(t, st, "old") != 1 {
		t.Fatalf("previous schema: %v %+v", err, r)
	}
}

// TestPushTypedArgumentsDecodedUpFront: field mutations have their
// arguments decoded before the batch reaches the writer; the answers are
// what the handler itself would give — bad arguments rejected as
// invalid_args, and a caller without the permission refused as forbidden
// whatever its arguments.
func TestPushTypedArgumentsDecodedUpFront(t *testing.T) {
	e, _ := openEngine(t)
	ctx := context.Background()
	bad := []sync.PushMutation{
		{ID: 1, Name: "ticket.addWork", Args: json.RawMessage(`{"id":"x","workId":"y","text":"t","bogus":1}`)},
		{ID: 2, Name: "ticket.accept", Args: json.RawMessage(`[1]`)},
		{ID: 3, Name: "checklist.setItem", Args: json.RawMessage(`{"id":"x","answer":"not an answer"}`)},
	}
	for _, c := range []struct {
		who      sync.Actor
		kind     domain.Kind
		code     string
		clientID string
	}{{tech, domain.KindInvalid, "invalid_args", "device-typed-1"}, {desk, domain.KindForbidden, "", "device-typed-2"}} {
		r, err := e.Push(ctx, c.who, sync.PushRequest{ClientID: c.clientID, SchemaVersion: sync.SchemaVersion, Mutations: bad})
		if err != nil {
			t.Fatal(err)
		}
		if r.LastMutationID != 3 || len(r.Results) != 3 {
			t.Fatalf("%s: %+v", c.who.UserID, r)
		}
		for _, res := range r.Results {
			var de *domain.Error
			if res.Status != sync.StatusRejected || domain.KindOf(res.Err) != c.kind || c.code != "" && (!errors.As(res.Err, &de) || de.Code != c.code) {
				t.Errorf("%s mutation %d: %s %v, want rejected %v %s", c.who.UserID, res.ID, res.Status, res.Err, c.kind, c.code)
			}
		}
	}
}
