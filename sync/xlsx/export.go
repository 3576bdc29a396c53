package xlsx

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// Export writes the whole archive in the template's layout, from one
// consistent snapshot, so it can be edited and imported into an empty
// system. Customers and sites get workbook codes (KH0001, CD0001) in the
// order they were created. Retired equipment, QR tokens, credentials,
// audits and stage histories are not exported. Rows are streamed: memory
// does not grow with the archive.
func Export(ctx context.Context, st store.Store) (*Workbook, error) {
	w, err := newWriter()
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			w.f.Close()
		}
	}()
	if err := w.guide(); err != nil {
		return nil, err
	}
	err = st.View(ctx, func(tx store.ReadTx) error {
		e := &exporter{w: w, tx: tx, customers: map[string]string{}, sites: map[string]string{}}
		return e.run()
	})
	if err != nil {
		return nil, err
	}
	b, err := w.finish(SheetCustomers)
	ok = err == nil
	return b, err
}

// exporter writes the sheets from one read transaction. customers and
// sites map ids to the codes given in the workbook.
type exporter struct {
	w         *writer
	tx        store.ReadTx
	customers map[string]string
	sites     map[string]string
}

func (e *exporter) run() error {
	steps := []struct {
		sheet, coll string
		row         func(data []byte) ([][]any, error)
	}{
		{SheetCustomers, sync.CollCustomers, e.customer},
		{SheetSites, sync.CollSites, e.site},
		{SheetContacts, sync.CollContacts, e.contact},
		{SheetContracts, sync.CollContracts, e.contract},
		{SheetEquipment, sync.CollEquipment, e.equipment},
	}
	for _, st := range steps {
		sh, _ := sheetByName(st.sheet)
		s, err := e.w.start(sh)
		if err != nil {
			return err
		}
		err = e.tx.Scan(st.coll, "", 0, func(id string, data []byte) error {
			rows, err := st.row(data)
			if err != nil {
				return fmt.Errorf("export %s/%s: %w", st.coll, id, err)
			}
			for _, r := range rows {
				if err := s.write(r, false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := s.close(); err != nil {
			return err
		}
	}
	return nil
}

func (e *exporter) customer(data []byte) ([][]any, error) {
	var c domain.Customer
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	code := fmt.Sprintf("KH%04d", len(e.customers)+1)
	e.customers[c.ID] = code
	return [][]any{{code, c.Name, c.Kind.Label(), c.Note}}, nil
}

func (e *exporter) site(data []byte) ([][]any, error) {
	var s domain.Site
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	code := fmt.Sprintf("CD%04d", len(e.sites)+1)
	e.sites[s.ID] = code
	return [][]any{{code, e.customers[s.CustomerID], s.Name, s.Address, s.District, s.City}}, nil
}

func (e *exporter) contact(data []byte) ([][]any, error) {
	var c domain.Contact
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	return [][]any{{e.customers[c.CustomerID], c.Name, strings.Join(c.Phones, "、"), c.Title, e.siteList(c.SiteIDs)}}, nil
}

func (e *exporter) siteList(ids []string) string {
	codes := make([]string, 0, len(ids))
	for _, id := range ids {
		if c, ok := e.sites[id]; ok {
			codes = append(codes, c)
		}
	}
	return strings.Join(codes, "、")
}

// contract writes a contract on one row, or on several when its sites are
// covered for different systems: the workbook's cover cells are a list of
// sites times a list of systems.
func (e *exporter) contract(data []byte) ([][]any, error) {
	var c domain.Contract
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	type group struct {
		sites   []string
		systems []domain.System
	}
	var sites []string
	bySite := map[string][]domain.System{}
	for _, cv := range c.Covers {
		if !slices.Contains(sites, cv.SiteID) {
			sites = append(sites, cv.SiteID)
		}
		bySite[cv.SiteID] = append(bySite[cv.SiteID], cv.System)
	}
	var groups []*group
	for _, id := range sites {
		systems := systemsInOrder(bySite[id])
		i := slices.IndexFunc(groups, func(g *group) bool { return slices.Equal(g.systems, systems) })
		if i < 0 {
			groups = append(groups, &group{systems: systems})
			i = len(groups) - 1
		}
		groups[i].sites = append(groups[i].sites, id)
	}
	if len(groups) == 0 {
		groups = []*group{{}}
	}
	customer := e.customers[c.CustomerID]
	var rows [][]any
	for i, g := range groups {
		labels := make([]string, len(g.systems))
		for j, s := range g.systems {
			labels[j] = s.Label()
		}
		r := []any{c.Number, customer, nil, nil, nil, nil, nil, e.siteList(g.sites), strings.Join(labels, "、"), nil, nil}
		if i == 0 {
			r[2], r[3], r[4] = c.Kind.Label(), c.StartDate.String(), c.EndDate.String()
			r[5], r[6] = c.WarrantyUntil.String(), formatYuan(c.AnnualPriceFen)
			r[9], r[10] = stageLabel(c.Stage), c.Note
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// systemsInOrder sorts systems in the order of the price table.
func systemsInOrder(in []domain.System) []domain.System {
	var out []domain.System
	for _, s := range domain.Systems() {
		if slices.Contains(in, s) {
			out = append(out, s)
		}
	}
	return out
}

func (e *exporter) equipment(data []byte) ([][]any, error) {
	var r sync.EquipmentRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	if r.Retired {
		return nil, nil
	}
	a := r.Attributes
	return [][]any{{e.sites[r.SiteID], r.System.Label(), itemTypeName(r.ItemType), r.Model, r.Serial, r.Location,
		r.InstallDate.String(), a.Ports, a.Watts, a.Quantity}}, nil
}
