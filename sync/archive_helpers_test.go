package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// arcNow is 2026-11-25 17:10 in Shanghai, the journeys' week.
var arcNow = time.Date(2026, 11, 25, 9, 10, 0, 0, time.UTC)

var (
	arcDesk    = sync.Actor{UserID: "01920000-0000-7000-8000-00000000d001", Roles: []domain.Role{domain.RoleDesk}, Via: "web"}
	arcManager = sync.Actor{UserID: "01920000-0000-7000-8000-00000000d002", Roles: []domain.Role{domain.RoleManager}, Via: "web"}
	arcTech    = sync.Actor{UserID: "01920000-0000-7000-8000-00000000d003", Roles: []domain.Role{domain.RoleTechnician}, Via: "web"}
	arcFinance = sync.Actor{UserID: "01920000-0000-7000-8000-00000000d004", Roles: []domain.Role{domain.RoleFinance}, Via: "web"}
)

// arc is an engine over a real store with a credential key and a clock
// the test may move.
type arc struct {
	t   *testing.T
	e   *sync.Engine
	st  *store.DB
	dir string
	now *time.Time
	key []byte
}

func openArchive(t *testing.T) *arc {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(store.Options{Dir: dir, DiskFloorBytes: 1, Migrations: sync.Migrations,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := arcNow
	key := []byte("0123456789abcdef0123456789abcdef")
	e := sync.New(sync.Options{Store: st, Clock: func() time.Time { return now }, CredentialKey: key})
	return &arc{t: t, e: e, st: st, dir: dir, now: &now, key: key}
}

// apply runs a mutation and decodes its answer into out (if not nil).
func (a *arc) apply(actor sync.Actor, name string, args any, out any) error {
	a.t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		a.t.Fatal(err)
	}
	res, err := a.e.Apply(context.Background(), actor, sync.Mutation{Name: name, Args: raw})
	if err == nil && out != nil {
		if err := json.Unmarshal(res, out); err != nil {
			a.t.Fatal(err)
		}
	}
	return err
}

// must runs a mutation that has to succeed.
func (a *arc) must(name string, args any, out any) {
	a.t.Helper()
	if err := a.apply(arcDesk, name, args, out); err != nil {
		a.t.Fatalf("%s: %v", name, err)
	}
}

func (a *arc) customer(name string) domain.Customer {
	a.t.Helper()
	var c domain.Customer
	a.must("customer.create", sync.CustomerArgs{Name: name, Kind: domain.CustomerCompany}, &c)
	return c
}

func (a *arc) site(customerID, name, district string) domain.Site {
	a.t.Helper()
	var s domain.Site
	a.must("site.create", sync.SiteArgs{CustomerID: customerID, Name: name, Address: "深圳市" + district + name, District: district}, &s)
	return s
}

func (a *arc) equipment(siteID string, item domain.ItemType) sync.EquipmentRecord {
	a.t.Helper()
	var e sync.EquipmentRecord
	a.must("equipment.create", sync.EquipmentArgs{SiteID: siteID, ItemType: item, Model: "海康威视 DS-7816N-K2", Serial: "J12345678"}, &e)
	return e
}

func (a *arc) contract(customerID string, kind domain.ContractKind, number, start, end, warranty string, covers ...domain.ContractCover) domain.Contract {
	a.t.Helper()
	t := sync.ContractTerms{Number: number, Kind: kind, Covers: covers, StartDate: start, EndDate: end, WarrantyUntil: warranty}
	if kind == domain.ContractAnnual {
		t.AnnualPriceFen = 1_200_000
	}
	var c domain.Contract
	a.must("contract.create", sync.ContractArgs{CustomerID: customerID, ContractTerms: t}, &c)
	return c
}

func (a *arc) move(id string, stage domain.ContractStage) domain.Contract {
	a.t.Helper()
	var c domain.Contract
	a.must("contract.moveStage", sync.MoveStageArgs{ID: id, StageMove: sync.StageMove{Stage: stage}}, &c)
	return c
}

// domainErr returns err's *domain.Error (a zero one if none).
func domainErr(err error) *domain.Error {
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	return &domain.Error{}
}

// wantInvalid fails unless err is a validation error naming field with code.
func wantInvalid(t *testing.T, err error, field, code string) {
	t.Helper()
	de := domainErr(err)
	if de.Kind != domain.KindInvalid || de.Fields[field] != code {
		t.Errorf("got %v, want %s: %s", err, field, code)
	}
}

// wantKind fails unless err is of kind k with code.
func wantKind(t *testing.T, err error, k domain.Kind, code string) {
	t.Helper()
	de := domainErr(err)
	if de.Kind != k || de.Code != code {
		t.Errorf("got %v (kind %v), want kind %v code %s", err, de.Kind, k, code)
	}
}

func cover(siteID string, sys domain.System) domain.ContractCover {
	return domain.ContractCover{SiteID: siteID, System: sys}
}
