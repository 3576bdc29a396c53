package sync_test

import (
	"context"
	"encoding/json"
	"testing"

	"elvcare/domain"
	"elvcare/sync"
)

// FuzzPush feeds arbitrary push bodies to a world with a real ticket: no
// input may crash the server, fail internally (5xx), or move a client's
// last mutation number backwards.
func FuzzPush(f *testing.F) {
	w := newWorld(&testing.T{})
	tk := w.open(&testing.T{})
	if _, err := w.e.Apply(context.Background(), w.desk, sync.Mutation{Name: "ticket.assign", Args: mustArgs(sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})}); err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		`{"clientId":"fuzz-client-1","schemaVersion":1,"mutations":[{"id":1,"name":"ticket.accept","args":{"id":"` + tk.ID + `"}}]}`,
		`{"clientId":"fuzz-client-1","schemaVersion":1,"mutations":[{"id":2,"name":"ticket.addWork","args":{"id":"` + tk.ID + `","workId":"01900000-0000-7000-8000-000000000001","text":"x"}}]}`,
		`{"clientId":"fuzz-client-1","schemaVersion":1,"mutations":[{"id":3,"name":"ticket.setResult","args":{"id":"` + tk.ID + `","result":{"status":"not_done","reason":"other"}}}]}`,
		`{"clientId":"fuzz-client-2","schemaVersion":0,"mutations":[{"id":1,"name":"checklist.setItem","args":{"id":"nope","answer":{"itemKey":"panel.dust","counts":{"checked":-1}}}}]}`,
		`{"clientId":"fuzz-client-3","mutations":[{"id":1,"name":"ticket.callAhead","args":{"id":"` + tk.ID + `","callId":"bad","calledAt":"yesterday"}},{"id":1,"name":"x"}]}`,
		`{"clientId":"","mutations":null}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	last := map[string]uint64{}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req sync.PushRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		resp, err := w.e.Push(context.Background(), w.wang, req)
		if err != nil {
			if domain.KindOf(err) == domain.KindInternal {
				t.Fatalf("internal failure for %s: %v", body, err)
			}
			return
		}
		if resp.LastMutationID < last[req.ClientID] {
			t.Fatalf("last mutation went back from %d to %d", last[req.ClientID], resp.LastMutationID)
		}
		last[req.ClientID] = resp.LastMutationID
		for _, r := range resp.Results {
			if r.Status == sync.StatusRejected && domain.KindOf(r.Err) == domain.KindInternal {
				t.Fatalf("mutation %d rejected with an internal error: %v", r.ID, r.Err)
			}
		}
	})
}
