package sync_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

func openEngine(t *testing.T) (*sync.Engine, *store.DB) {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir(), DiskFloorBytes: 1, Migrations: sync.Migrations,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 25, 9, 10, 0, 0, time.UTC)
	return sync.New(sync.Options{Store: st, Clock: func() time.Time { return now }}), st
}

func mustArgs(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

var admin = sync.Actor{UserID: "admin-1", Roles: []domain.Role{domain.RoleAdmin}, Via: "web"}

func changes(t *testing.T, st store.Store) []store.Change {
	var out []store.Change
	err := st.View(context.Background(), func(tx store.ReadTx) error {
		return tx.Changes(0, 0, func(c store.Change) error {
			if c.Collection != sync.CollTemplates { // written by a migration
				out = append(out, c)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func audits(t *testing.T, st store.Store) []sync.AuditEntry {
	var out []sync.AuditEntry
	err := st.View(context.Background(), func(tx store.ReadTx) error {
		return tx.Scan(sync.CollAudit, "", 0, func(_ string, data []byte) error {
			var a sync.AuditEntry
			if err := json.Unmarshal(data, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Entries are stored by record; in time order, their ids (UUIDv7) sort.
	slices.SortStableFunc(out, func(a, b sync.AuditEntry) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func TestApplyWritesChangeAndAudit(t *testing.T) {
	e, st := openEngine(t)
	ctx := context.Background()
	out, err := e.Apply(ctx, admin, sync.Mutation{Name: "user.create", Args: mustArgs(sync.CreateUserArgs{
		Login: "Wang", Name: "王工", Roles: []domain.Role{domain.RoleTechnician}, PasswordHash: "$argon2id$secret"})})
	if err != nil {
		t.Fatal(err)
	}
	var u domain.User
	_ = json.Unmarshal(out, &u)
	if u.Login != "wang" || u.PasswordHash != "" || u.ID == "" {
		t.Errorf("answer %+v: want normalized login, no hash, an id", u)
	}
	name := "王师傅"
	if _, err := e.Apply(ctx, admin, sync.Mutation{Name: "user.update", Args: mustArgs(sync.UpdateUserArgs{ID: u.ID, Name: &name})}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Apply(ctx, admin, sync.Mutation{Name: "user.setPassword", Args: mustArgs(sync.SetPasswordArgs{ID: u.ID, PasswordHash: "$argon2id$other"})}); err != nil {
		t.Fatal(err)
	}
	all := changes(t, st)
	if len(all) != 3 {
		t.Fatalf("%d changes, want 3", len(all))
	}
	cs := all[:2]
	if cs[1].Version != cs[0].Version+1 || cs[1].Collection != sync.CollUsers || cs[1].ID != u.ID {
		t.Fatalf("%d changes, want 2 user changes in order", len(cs))
	}
	as := audits(t, st)
	if len(as) != 3 {
		t.Fatalf("%d audit entries, want 3", len(as))
	}
	up := as[1]
	if up.Mutation != "user.update" || up.Actor.UserID != "admin-1" || len(up.Changes) != 1 || up.Changes[0].Version != cs[1].Version {
		t.Errorf("audit entry %+v", up)
	}
	// The audit shows what changed, before and after, without the secrets.
	if b, a := string(up.Changes[0].Before), string(up.Changes[0].After); b != `{"name":"王工"}` || a != `{"name":"王师傅"}` {
		t.Errorf("audit of the rename: %s → %s, want the name only", b, a)
	}
	if pw := as[2]; pw.Mutation != "user.setPassword" || len(pw.Changes) != 1 {
		t.Errorf("audit of the password change %+v: want one change", pw)
	}
	for _, c := range all {
		if strings.Contains(string(c.Data), "argon2id") {
			t.Errorf("password hash in the change feed: %s", c.Data)
		}
	}
	for _, a := range as {
		for _, c := range a.Changes {
			if strings.Contains(string(c.Before)+string(c.After), "argon2id") {
				t.Errorf("password hash in the audit log")
			}
		}
	}
}

func TestApplyRefusals(t *testing.T) {
	e, st := openEngine(t)
	ctx := context.Background()
	tech := sync.Actor{UserID: "t1", Roles: []domain.Role{domain.RoleTechnician}, Via: "web"}
	tests := []struct {
		name  string
		actor sync.Actor
		m     sync.Mutation
		kind  domain.Kind
		code  string
	}{
		{"unknown mutation", admin, sync.Mutation{Name: "user.explode", Args: mustArgs(map[string]any{})}, domain.KindInvalid, "unknown_mutation"},
		{"not allowed", tech, sync.Mutation{Name: "user.create", Args: mustArgs(sync.CreateUserArgs{Login: "x1", Name: "x", Roles: []domain.Role{"desk"}, PasswordHash: "h"})}, domain.KindForbidden, "forbidden"},
		{"invalid", admin, sync.Mutation{Name: "user.create", Args: mustArgs(sync.CreateUserArgs{Login: "", Name: "", PasswordHash: "h"})}, domain.KindInvalid, "invalid"},
		{"server-set field refused", admin, sync.Mutation{Name: "user.create", Args: json.RawMessage(`{"login":"x2","name":"x","roles":["desk"],"passwordHash":"h","id":"chosen"}`)}, domain.KindInvalid, "invalid_args"},
		{"missing record", admin, sync.Mutation{Name: "user.update", Args: mustArgs(sync.UpdateUserArgs{ID: "nope"})}, domain.KindNotFound, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Apply(ctx, tt.actor, tt.m)
			var de *domain.Error
			if err == nil || domain.KindOf(err) != tt.kind {
				t.Fatalf("err %v, want kind %v", err, tt.kind)
			}
			if de = asDomain(err); de.Code != tt.code {
				t.Errorf("code %q want %q", de.Code, tt.code)
			}
		})
	}
	if cs := changes(t, st); len(cs) != 0 {
		t.Errorf("refused mutations wrote %d changes", len(cs))
	}
	if as := audits(t, st); len(as) != 0 {
		t.Errorf("refused mutations wrote %d audit entries", len(as))
	}
}

func asDomain(err error) *domain.Error {
	for err != nil {
		if de, ok := err.(*domain.Error); ok {
			return de
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			break
		}
		err = u.Unwrap()
	}
	return &domain.Error{}
}

func TestIdempotencyKey(t *testing.T) {
	e, st := openEngine(t)
	ctx := context.Background()
	m := sync.Mutation{Name: "company.update", Args: mustArgs(sync.CompanyArgs{Name: "深圳市华信弱电", Hotline: "0755-83668899"}), IdempotencyKey: "abc"}
	a, err := e.Apply(ctx, admin, m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Apply(ctx, admin, m)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("retry answered %s, first %s", b, a)
	}
	if n := len(changes(t, st)); n != 1 {
		t.Errorf("%d changes, want 1", n)
	}
	// The key is per user: another user's same key is another request.
	other := admin
	other.UserID = "admin-2"
	if _, err := e.Apply(ctx, other, m); err != nil {
		t.Fatal(err)
	}
	if n := len(changes(t, st)); n != 2 {
		t.Errorf("%d changes, want 2", n)
	}
	m.Args = mustArgs(sync.CompanyArgs{Name: "别的公司"})
	if _, err := e.Apply(ctx, admin, m); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("reused key with other args: %v", err)
	}
}

func TestLastAdminKept(t *testing.T) {
	e, _ := openEngine(t)
	ctx := context.Background()
	out, err := e.Apply(ctx, admin, sync.Mutation{Name: "user.create", Args: mustArgs(sync.CreateUserArgs{
		Login: "root", Name: "管理员", Roles: []domain.Role{domain.RoleAdmin}, PasswordHash: "h"})})
	if err != nil {
		t.Fatal(err)
	}
	var u domain.User
	_ = json.Unmarshal(out, &u)
	yes := true
	_, err = e.Apply(ctx, admin, sync.Mutation{Name: "user.update", Args: mustArgs(sync.UpdateUserArgs{ID: u.ID, Disabled: &yes})})
	if domain.KindOf(err) != domain.KindConflict {
		t.Errorf("disabling the last admin: %v, want a conflict", err)
	}
}

func TestMigrationsRecorded(t *testing.T) {
	_, st := openEngine(t)
	if got, want := st.SchemaVersion(), sync.Migrations[len(sync.Migrations)-1].Version; got != want {
		t.Errorf("schema version %d, want %d", got, want)
	}
	for i, m := range sync.Migrations {
		if m.Version != i+1 || m.Name == "" || m.Apply == nil {
			t.Errorf("migration %d: versions are 1, 2, 3… with a name and a function", i)
		}
	}
}

func errorsAs(err error, target **domain.Error) bool {
	de := asDomain(err)
	*target = de
	return de.Code != ""
}

func TestPruneIdempotency(t *testing.T) {
	e, st := openEngine(t)
	ctx := context.Background()
	m := sync.Mutation{Name: "company.update", Args: mustArgs(sync.CompanyArgs{Name: "深圳市华信弱电"}), IdempotencyKey: "k"}
	if _, err := e.Apply(ctx, admin, m); err != nil {
		t.Fatal(err)
	}
	// Younger than a day: kept, the retry changes nothing.
	if err := e.PruneIdempotency(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	_, _ = e.Apply(ctx, admin, m)
	if n := len(changes(t, st)); n != 1 {
		t.Fatalf("%d changes after a retry, want 1", n)
	}
	// Past the age: forgotten, the same key is a new request.
	if err := e.PruneIdempotency(ctx, -time.Hour); err != nil {
		t.Fatal(err)
	}
	_, _ = e.Apply(ctx, admin, m)
	if n := len(changes(t, st)); n != 2 {
		t.Errorf("%d changes after pruning, want 2", n)
	}
}
