package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

func TestCredentialEncryptedAndRevealAudited(t *testing.T) {
	a := openArchive(t)
	s := a.site(a.customer("深圳市华强物业管理有限公司").ID, "华强大厦", "福田区")
	var nvr sync.EquipmentRecord
	a.must("equipment.create", sync.EquipmentArgs{SiteID: s.ID, ItemType: domain.ItemCCTVRecorder, Model: "PLAINMODEL-DS7816N"}, &nvr)

	const user, password = "nvr-admin-user", "Hq#B2-SECRET-nvr-2024"
	var info sync.CredentialInfo
	a.must("credential.set", sync.SetCredentialArgs{EquipmentID: nvr.ID, Credential: sync.Credential{Username: user, Password: password, Note: "出厂密码已改"}}, &info)
	if info.EquipmentID != nvr.ID || info.SetBy != arcDesk.UserID {
		t.Errorf("set answered %+v", info)
	}
	d, err := a.e.Archive().EquipmentByID(context.Background(), nvr.ID)
	if err != nil || !d.Equipment.HasCredential || d.Credential == nil {
		t.Fatalf("equipment after set: %v %+v", err, d)
	}
	if b, _ := json.Marshal(d); bytes.Contains(b, []byte(password)) || bytes.Contains(b, []byte(user)) {
		t.Errorf("equipment JSON carries the credential: %s", b)
	}

	// Refusals: empty password, unknown equipment, roles without the
	// permission, no credential stored.
	wantInvalid(t, a.apply(arcDesk, "credential.set", sync.SetCredentialArgs{EquipmentID: nvr.ID}, nil), "password", "required")
	wantKind(t, a.apply(arcDesk, "credential.set", sync.SetCredentialArgs{EquipmentID: sync.NewID(), Credential: sync.Credential{Password: "x"}}, nil),
		domain.KindNotFound, "not_found")
	for _, who := range []sync.Actor{arcTech, arcFinance} {
		wantKind(t, a.apply(who, "credential.reveal", sync.RevealCredentialArgs{EquipmentID: nvr.ID}, nil), domain.KindForbidden, "forbidden")
	}
	bare := a.equipment(s.ID, domain.ItemCCTVCamera)
	wantKind(t, a.apply(arcDesk, "credential.reveal", sync.RevealCredentialArgs{EquipmentID: bare.ID}, nil), domain.KindNotFound, "credential.not_set")
	auditsBefore := len(audits(t, a.st))

	var got sync.RevealedCredential
	if err := a.apply(arcManager, "credential.reveal", sync.RevealCredentialArgs{EquipmentID: nvr.ID}, &got); err != nil {
		t.Fatal(err)
	}
	if got.Username != user || got.Password != password || got.Note != "出厂密码已改" || got.SetBy != arcDesk.UserID {
		t.Errorf("revealed %+v", got)
	}
	as := audits(t, a.st)
	if len(as) != auditsBefore+1 {
		t.Fatalf("%d audit entries after the reveal, want %d", len(as), auditsBefore+1)
	}
	last := as[len(as)-1]
	if last.Mutation != "credential.reveal" || last.Actor.UserID != arcManager.UserID || len(last.Changes) != 1 ||
		!strings.Contains(string(last.Changes[0].After), nvr.ID) {
		t.Errorf("reveal audit entry %+v", last)
	}
	rs, err := a.e.Archive().Reveals(context.Background(), nvr.ID)
	if err != nil || len(rs) != 1 || rs[0].By != arcManager.UserID {
		t.Errorf("reveals %v %+v", err, rs)
	}

	// The secret is nowhere in clear: not in the record, the change feed or
	// the audit log, and not in any file of the data directory.
	err = a.st.View(context.Background(), func(tx store.ReadTx) error {
		raw, err := tx.Get(sync.CollCredentials, nvr.ID)
		if err != nil {
			return err
		}
		for _, secret := range []string{password, user, "出厂密码已改"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("stored credential holds %q in clear: %s", secret, raw)
			}
		}
		return tx.Changes(0, 0, func(c store.Change) error {
			if bytes.Contains(c.Data, []byte(password)) {
				t.Errorf("change %d carries the password", c.Version)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range as {
		if b, _ := json.Marshal(e); bytes.Contains(b, []byte(password)) {
			t.Errorf("audit entry %s carries the password", e.Mutation)
		}
	}
	if err := a.st.Close(); err != nil {
		t.Fatal(err)
	}
	var control, leaked bool
	_ = filepath.WalkDir(a.dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		control = control || bytes.Contains(data, []byte("PLAINMODEL-DS7816N"))
		leaked = leaked || bytes.Contains(data, []byte(password))
		return nil
	})
	if !control {
		t.Fatal("the scan does not see plain fields; it proves nothing")
	}
	if leaked {
		t.Error("the password is in a file of the data directory")
	}
}

func TestCredentialKey(t *testing.T) {
	a := openArchive(t)
	s := a.site(a.customer("客户").ID, "大楼", "福田区")
	e := a.equipment(s.ID, domain.ItemAlarmPanel)
	a.must("credential.set", sync.SetCredentialArgs{EquipmentID: e.ID, Credential: sync.Credential{Password: "4112"}}, nil)

	// Another key cannot read it: a clear conflict, not garbage.
	other := sync.New(sync.Options{Store: a.st, Clock: func() time.Time { return arcNow },
		CredentialKey: []byte("ffffffffffffffffffffffffffffffff")})
	raw, _ := json.Marshal(sync.RevealCredentialArgs{EquipmentID: e.ID})
	_, err := other.Apply(context.Background(), arcDesk, sync.Mutation{Name: "credential.reveal", Args: raw})
	wantKind(t, err, domain.KindConflict, "credential.unreadable")

	// Without a key nothing is stored.
	none := sync.New(sync.Options{Store: a.st})
	if none.CanStoreCredentials() {
		t.Error("an engine without a key claims it can store credentials")
	}
	raw, _ = json.Marshal(sync.SetCredentialArgs{EquipmentID: e.ID, Credential: sync.Credential{Password: "x"}})
	if _, err := none.Apply(context.Background(), arcDesk, sync.Mutation{Name: "credential.set", Args: raw}); err == nil {
		t.Error("set without a key succeeded")
	}
}
