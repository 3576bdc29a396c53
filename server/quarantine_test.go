package server_test

import (
	"strings"
	"testing"

	"elvcare/domain"
	"elvcare/server/servertest"
	"elvcare/sync"
)

func TestQuarantineOfDisabledUserAndRevokedDevice(t *testing.T) {
	h := servertest.Start(t)
	id, desk := deskDay(t, h) // 王工's phone pushed mutations 1–5
	h.AddUser("admin", "password-admin", domain.RoleAdmin)
	admin := h.Login("admin", "password-admin")
	phone := h.Login("wang", "password-wang")
	work := func(seq uint64, text string) sync.PushMutation {
		return sync.PushMutation{ID: seq, Name: "ticket.addWork", Args: jsonRaw(sync.WorkArgs{ID: id, WorkID: sync.NewID(), Text: text})}
	}
	// The device is revoked: its push is held, it is told to wipe.
	if r := admin.Do("POST", "/api/devices/wang-phone-02/revoke", nil); r.Status != 404 {
		t.Errorf("revoking an unknown device: %d", r.Status)
	}
	if r := phone.Do("POST", "/api/sync/push", sync.PushRequest{ClientID: "wang-phone-02", SchemaVersion: 1, Mutations: []sync.PushMutation{work(1, "第一条")}}); r.Status != 200 {
		t.Fatalf("push: %d %s", r.Status, r.Body)
	}
	if r := admin.Do("POST", "/api/devices/wang-phone-02/revoke", nil); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	r := phone.Do("POST", "/api/sync/push", sync.PushRequest{ClientID: "wang-phone-02", SchemaVersion: 1, Mutations: []sync.PushMutation{work(2, "吊销后")}})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"wipe":true`) || !strings.Contains(string(r.Body), `"quarantined":1`) {
		t.Fatalf("revoked push: %d %s", r.Status, r.Body)
	}
	// The user is disabled: the session is dead for everything but the
	// push, which is held too.
	var users struct{ Items []domain.User }
	_ = admin.Do("GET", "/api/users", nil).JSON(&users)
	var wangID string
	for _, u := range users.Items {
		if u.Login == "wang" {
			wangID = u.ID
		}
	}
	if r := admin.Do("PATCH", "/api/users/"+wangID, map[string]any{"disabled": true}); r.Status != 200 {
		t.Fatalf("disable: %d", r.Status)
	}
	r = phone.Do("POST", "/api/sync/push", sync.PushRequest{ClientID: "wang-phone-01", SchemaVersion: 1, Mutations: []sync.PushMutation{work(6, "停用后一"), work(7, "停用后二")}})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"quarantined":2`) {
		t.Fatalf("disabled user's push: %d %s", r.Status, r.Body)
	}
	if r := phone.Do("POST", "/api/sync/pull", sync.PullRequest{ClientID: "wang-phone-01"}); r.Status != 401 {
		t.Errorf("disabled user's pull: %d", r.Status)
	}
	var q struct{ Items []sync.Quarantined }
	_ = desk.Do("GET", "/api/quarantine", nil).JSON(&q)
	if len(q.Items) != 3 {
		t.Fatalf("quarantine holds %d, want 3", len(q.Items))
	}
	tk, _ := h.Engine.Tickets().Get(t.Context(), id)
	before := len(tk.Work)
	first := q.Items[0]
	parts := strings.SplitN(first.ID, "/", 2)
	if r := desk.Do("POST", "/api/quarantine/"+parts[0]+"/"+parts[1]+"/decide", map[string]bool{"accept": true}); r.Status != 200 || !strings.Contains(string(r.Body), `"outcome":"conflict"`) {
		// The form is signed: accepting keeps the line as a conflict record.
		t.Errorf("accept: %d %s", r.Status, r.Body)
	}
	if r := desk.Do("POST", "/api/quarantine/"+parts[0]+"/"+parts[1]+"/decide", map[string]bool{"accept": false}); r.Status != 409 {
		t.Errorf("deciding twice: %d", r.Status)
	}
	tk, _ = h.Engine.Tickets().Get(t.Context(), id)
	if len(tk.Work) != before {
		t.Errorf("signed form changed by a held mutation")
	}
}
