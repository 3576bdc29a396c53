package search_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"elvcare/sync/search"
	"elvcare/sync/store"
)

// env is a store on a temp dir with an index over it. Records are written
// the way the write path writes them: the record and its change, with the
// record's JSON as the change's data, in one transaction.
type env struct {
	t   *testing.T
	dir string
	st  *store.DB
	ix  *search.Index
	opt search.Options
}

func newEnv(t *testing.T, opt search.Options) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), opt: opt}
	e.open()
	t.Cleanup(e.close)
	return e
}

func (e *env) open() {
	e.t.Helper()
	st, err := store.Open(store.Options{Dir: e.dir, DiskFloorBytes: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	e.st = st
	e.ix = search.New(st, e.opt)
}

func (e *env) close() {
	if e.st == nil {
		return
	}
	if err := e.ix.Close(); err != nil {
		e.t.Error(err)
	}
	if err := e.st.Close(); err != nil {
		e.t.Error(err)
	}
	e.st = nil
}

func (e *env) reopen() {
	e.t.Helper()
	e.close()
	e.open()
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// rec is one write of the test data.
type rec struct {
	coll, id string
	v        any // nil: delete
}

func (e *env) write(rs ...rec) {
	e.t.Helper()
	err := e.st.Update(context.Background(), func(tx store.Tx) error {
		for _, r := range rs {
			if r.v == nil {
				if err := tx.Delete(r.coll, r.id); err != nil {
					return err
				}
				if _, err := tx.Emit(store.Change{Collection: r.coll, ID: r.id, Op: "delete"}); err != nil {
					return err
				}
				continue
			}
			data, err := json.Marshal(r.v)
			if err != nil {
				return err
			}
			if err := tx.Put(r.coll, r.id, data); err != nil {
				return err
			}
			if _, err := tx.Emit(store.Change{Collection: r.coll, ID: r.id, Op: "put", Data: data}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

type customer struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type site struct {
	ID         string `json:"id"`
	CustomerID string `json:"customerId"`
	Name       string `json:"name"`
	Address    string `json:"address"`
	District   string `json:"district"`
}

type contact struct {
	ID         string   `json:"id"`
	CustomerID string   `json:"customerId"`
	Name       string   `json:"name"`
	Phones     []string `json:"phones"`
	Title      string   `json:"title,omitempty"`
}

type equipment struct {
	ID         string `json:"id"`
	SiteID     string `json:"siteId"`
	CustomerID string `json:"customerId,omitempty"`
	System     string `json:"system"`
	ItemType   string `json:"itemType"`
	Model      string `json:"model,omitempty"`
	Serial     string `json:"serial,omitempty"`
	Location   string `json:"location,omitempty"`
}

func putCustomer(c customer) rec   { return rec{"customers", c.ID, c} }
func putSite(s site) rec           { return rec{"sites", s.ID, s} }
func putContact(c contact) rec     { return rec{"contacts", c.ID, c} }
func putEquipment(q equipment) rec { return rec{"equipment", q.ID, q} }

func (e *env) search(q string, kinds ...string) search.Result {
	e.t.Helper()
	r, err := e.ix.Search(ctx(e.t), q, kinds, 0, search.MaxLimit)
	if err != nil {
		e.t.Fatalf("search %q: %v", q, err)
	}
	return r
}

// ids are the ids of the hits, in order.
func ids(r search.Result) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func (e *env) customers(q string) []string {
	e.t.Helper()
	got, _, _, err := e.ix.SearchCustomers(ctx(e.t), q, 0, search.MaxLimit)
	if err != nil {
		e.t.Fatalf("search customers %q: %v", q, err)
	}
	return got
}
