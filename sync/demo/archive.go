package demo

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"elvcare/domain"
	"elvcare/sync"
)

// archiveSeed makes the demo archive the same on every load: names,
// numbers, serials and ids (QR tokens stay random: they guard labels).
const archiveSeed = 20261125

// archiveBatch is how many mutations go in one transaction.
const archiveBatch = 200

// arcLoader turns the demo archive into mutations.
type arcLoader struct {
	ctx   context.Context
	e     *sync.Engine
	r     *rand.Rand
	g     equipGen
	today domain.Date
	ms    []sync.Mutation
	n     int64 // ids made
	creds bool  // the engine can store credentials
}

// LoadArchive loads the demo customer archive through the write path.
// Contract dates are relative to the engine's today, so reminders and
// coverage look the same whenever the demo is loaded.
func LoadArchive(ctx context.Context, e *sync.Engine) error {
	r := rand.New(rand.NewPCG(archiveSeed, archiveSeed>>3))
	l := &arcLoader{ctx: ctx, e: e, r: r, g: equipGen{r}, today: e.Today(), creds: e.CanStoreCredentials()}
	for _, c := range demoCustomers {
		if err := l.customer(c); err != nil {
			return err
		}
	}
	return l.flush()
}

// id makes a deterministic UUIDv7: a fixed time base counted up per id,
// and seeded random bits.
func (l *arcLoader) id() string {
	var b [16]byte
	ms := uint64(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).UnixMilli()) + uint64(l.n)
	l.n++
	binary.BigEndian.PutUint64(b[0:8], ms<<16) // 48 bits of milliseconds
	binary.BigEndian.PutUint64(b[8:16], l.r.Uint64())
	b[6] = 0x70 | byte(l.r.IntN(16)) // version 7
	b[7] = byte(l.r.IntN(256))
	b[8] = 0x80 | b[8]&0x3f // RFC 9562 variant
	return uuid.UUID(b).String()
}

func (l *arcLoader) add(name string, args any) {
	raw, err := json.Marshal(args)
	if err != nil {
		panic(err) // the demo's own types always encode
	}
	l.ms = append(l.ms, sync.Mutation{Name: name, Args: raw})
}

func (l *arcLoader) flush() error {
	for len(l.ms) > 0 {
		n := min(len(l.ms), archiveBatch)
		if _, err := l.e.ApplyAll(l.ctx, sync.System, l.ms[:n]); err != nil {
			if be, ok := err.(*sync.BatchError); ok {
				return fmt.Errorf("%s %s: %w", l.ms[be.Index].Name, l.ms[be.Index].Args, be.Err)
			}
			return err
		}
		l.ms = l.ms[n:]
	}
	return nil
}

func (l *arcLoader) phone(landline bool) string {
	if landline {
		return fmt.Sprintf("0755-%d%07d", []int{2, 3, 8, 8}[l.r.IntN(4)], l.r.IntN(1e7))
	}
	prefixes := []string{"135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "180", "181", "186", "187", "188", "189"}
	return fmt.Sprintf("%s%08d", prefixes[l.r.IntN(len(prefixes))], l.r.IntN(1e8))
}

func (l *arcLoader) customer(c arcCustomer) error {
	cid := l.id()
	l.add("customer.create", sync.CustomerArgs{ID: cid, Name: c.name, Kind: c.kind, Note: c.note})
	siteIDs := make([]string, len(c.sites))
	for i, s := range c.sites {
		siteIDs[i] = l.id()
		l.add("site.create", sync.SiteArgs{ID: siteIDs[i], CustomerID: cid, Name: s.name, Address: s.address, District: s.district})
	}
	for _, ct := range c.contacts {
		a := sync.ContactArgs{ID: l.id(), CustomerID: cid, Name: ct.name, Title: ct.title}
		for i, ph := range ct.phones {
			if ph == "" {
				ph = l.phone(i > 0)
			}
			a.Phones = append(a.Phones, ph)
		}
		for _, i := range ct.sites {
			a.SiteIDs = append(a.SiteIDs, siteIDs[i])
		}
		l.add("contact.create", a)
	}
	for i, s := range c.sites {
		for _, sys := range s.systems {
			ds := l.g.devices(sys, s.scale)
			if fixed, ok := s.fixed[sys]; ok {
				ds = l.g.fixedDevices(fixed)
			}
			for _, d := range ds {
				eid := l.id()
				l.add("equipment.create", sync.EquipmentArgs{ID: eid, SiteID: siteIDs[i], ItemType: d.item, Model: d.model,
					Serial: d.serial, Location: d.location, Attributes: d.attrs,
					InstallDate: l.today.AddDays(-400 - l.r.IntN(1200)).String()})
				if d.cred != nil && l.creds {
					l.add("credential.set", sync.SetCredentialArgs{EquipmentID: eid,
						Credential: sync.Credential{Username: d.cred[0], Password: d.cred[1], Note: "演示数据"}})
				}
			}
		}
	}
	for _, ct := range c.contracts {
		if err := l.contract(cid, c.sites, siteIDs, ct); err != nil {
			return err
		}
	}
	if len(l.ms) >= archiveBatch {
		return l.flush()
	}
	return nil
}

// yearBefore is the same day a year earlier (28 February for 29 February).
func yearBefore(d domain.Date) domain.Date {
	out, err := domain.NewDate(d.Year()-1, d.Month(), d.Day())
	if err != nil {
		out, _ = domain.NewDate(d.Year()-1, d.Month(), d.Day()-1)
	}
	return out
}

// yearAfter is the same day a year later (28 February for 29 February).
func yearAfter(d domain.Date) domain.Date {
	out, err := domain.NewDate(d.Year()+1, d.Month(), d.Day())
	if err != nil {
		out, _ = domain.NewDate(d.Year()+1, d.Month(), d.Day()-1)
	}
	return out
}

// terms works out a contract's dates from its spec.
func (l *arcLoader) terms(ct arcContract, covers []domain.ContractCover) sync.ContractTerms {
	t := sync.ContractTerms{Number: ct.number, Kind: ct.kind, Covers: covers, Note: ct.note}
	until := l.today.AddDays(ct.untilIn)
	if ct.endMarch31 {
		for y := l.today.Year(); ; y++ {
			if d, _ := domain.NewDate(y, time.March, 31); d.After(l.today.AddDays(30)) {
				until = d
				break
			}
		}
	}
	switch ct.kind {
	case domain.ContractProject:
		end := yearBefore(yearBefore(until))
		t.StartDate, t.EndDate, t.WarrantyUntil = end.AddDays(-120).String(), end.String(), until.String()
	default:
		t.StartDate, t.EndDate = yearBefore(until).AddDays(1).String(), until.String()
	}
	if ct.kind == domain.ContractAnnual {
		t.AnnualPriceFen = ct.priceYuan * 100
	}
	return t
}

func (l *arcLoader) contract(cid string, sites []arcSite, siteIDs []string, ct arcContract) error {
	idx := ct.sites
	if idx == nil {
		for i := range sites {
			idx = append(idx, i)
		}
	}
	var covers []domain.ContractCover
	for _, i := range idx {
		systems := ct.systems
		if systems == nil {
			systems = sites[i].systems
		}
		for _, sys := range systems {
			covers = append(covers, domain.ContractCover{SiteID: siteIDs[i], System: sys})
		}
	}
	id := l.id()
	terms := l.terms(ct, covers)
	l.add("contract.create", sync.ContractArgs{ID: id, CustomerID: cid, ContractTerms: terms, AuditedBeforeSystem: ct.imported})
	move := func(s domain.ContractStage, note string) {
		l.add("contract.moveStage", sync.MoveStageArgs{ID: id, StageMove: sync.StageMove{Stage: s, Note: note}})
	}
	after := ct.stage == domain.StageB || ct.stage == domain.StageS
	if !ct.imported {
		// A project is accepted (Y) before its warranty (B); other kinds
		// pass through Y only when left there.
		if ct.stage == domain.StageY || after && ct.kind == domain.ContractProject {
			move(domain.StageY, "工程完工，提交竣工资料")
			state := ct.audit
			if ct.stage != domain.StageY {
				state = auditComplete
			}
			audit, err := l.audit(ct, state)
			if err != nil {
				return err
			}
			l.add("contract.recordAudit", sync.RecordAuditArgs{ID: id, AuditArgs: audit})
		}
		if after {
			move(domain.StageB, "进入保修/维护期")
		}
	}
	if ct.stage == domain.StageS {
		move(domain.StageS, "合同期满，跟进续签")
	}
	if ct.renew {
		prevUntil, _ := domain.ParseDate(terms.EndDate)
		if ct.kind == domain.ContractProject {
			prevUntil, _ = domain.ParseDate(terms.WarrantyUntil)
		}
		end := yearAfter(prevUntil.AddDays(1)).AddDays(-1)
		rid := l.id()
		price := ct.priceYuan
		if price == 0 {
			price = 20000
		}
		rt := sync.ContractTerms{Number: ct.number + "-XQ", Kind: domain.ContractAnnual, Covers: covers,
			StartDate: prevUntil.AddDays(1).String(), EndDate: end.String(), AnnualPriceFen: price * 100, Note: "续签按年维护合同"}
		l.add("contract.renew", sync.RenewContractArgs{PreviousID: id, RenewalArgs: sync.RenewalArgs{ID: rid, ContractTerms: rt}})
		l.add("contract.moveStage", sync.MoveStageArgs{ID: rid, StageMove: sync.StageMove{Stage: domain.StageB, Note: "续签生效"}})
	}
	return nil
}

// audit files the completion documents of a contract as small text files
// and returns the audit as far as state goes. A PA-only contract waives
// device passwords.
func (l *arcLoader) audit(ct arcContract, state auditState) (sync.AuditArgs, error) {
	a := sync.AuditArgs{Documents: map[domain.DocumentKind][]string{}}
	kinds := domain.DocumentKinds()
	if state == auditNone {
		return a, nil
	}
	if len(ct.systems) == 1 && ct.systems[0] == sysPA {
		a.Waived = []domain.DocumentKind{domain.DocConfigBackup}
	}
	if state == auditPartial {
		kinds = kinds[:2]
	}
	for _, k := range kinds {
		if len(a.Waived) > 0 && a.Waived[0] == k {
			continue
		}
		hash, err := l.file(ct.number, k)
		if err != nil {
			return a, err
		}
		a.Documents[k] = []string{hash}
	}
	switch state {
	case auditComplete:
		if ct.stage != domain.StageY {
			a.Verdict = domain.AuditPass
			a.Note = "资料齐全，施工质量合格"
		}
	case auditFailed:
		a.Verdict = domain.AuditFail
		a.Note = "部分摄像机画面偏暗，线缆标签不全，需整改后复审"
	}
	return a, nil
}

// file stores a demo completion document and queues its registration.
func (l *arcLoader) file(number string, k domain.DocumentKind) (string, error) {
	text := fmt.Sprintf("合同 %s · %s（演示文件）\n\n本文件为 ELVcare 演示数据，代表该工程的%s。\n", number, k.Label(), k.Label())
	hash, size, err := l.e.Store().Blobs().Put(l.ctx, bytes.NewReader([]byte(text)), sync.MaxFileBytes)
	if err != nil {
		return "", err
	}
	name := strings.ReplaceAll(number+"-"+k.Label(), "/", "-") + ".txt"
	l.add("file.register", sync.FileArgs{Hash: hash, Name: name, ContentType: "text/plain", Size: size})
	return hash, nil
}
