package sync

import (
	"context"
	"encoding/json"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// CollSettings holds settings records such as the company profile.
const CollSettings = "settings"

const companyID = "company"

// DefaultCompany is shown before an admin sets the profile.
var DefaultCompany = domain.Company{Name: "深圳市弱电工程技术有限公司", Address: "", Hotline: ""}

// CompanyArgs are the arguments of company.update.
type CompanyArgs struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Hotline string `json:"hotline"`
}

// LogoArgs are the arguments of company.setLogo: the hash of a blob already
// stored.
type LogoArgs struct {
	Hash string `json:"hash"`
}

func registerSettings(e *Engine) {
	e.Register("company.update", domain.PermSettingsManage, func(c *Ctx, raw json.RawMessage) (any, error) {
		var a CompanyArgs
		if err := DecodeArgs(raw, &a); err != nil {
			return nil, err
		}
		co, err := company(c.tx)
		if err != nil {
			return nil, err
		}
		co.Name, co.Address, co.Hotline = strings.TrimSpace(a.Name), strings.TrimSpace(a.Address), strings.TrimSpace(a.Hotline)
		p := domain.Problems{}
		co.Validate(p)
		if err := p.Err(); err != nil {
			return nil, err
		}
		return co, c.Put(CollSettings, companyID, co, PutOpts{Scopes: []string{"all"}})
	})
	e.Register("company.setLogo", domain.PermSettingsManage, func(c *Ctx, raw json.RawMessage) (any, error) {
		var a LogoArgs
		if err := DecodeArgs(raw, &a); err != nil {
			return nil, err
		}
		if !c.e.st.Blobs().Has(a.Hash) {
			return nil, domain.Problems{"hash": "unknown_blob"}.Err()
		}
		co, err := company(c.tx)
		if err != nil {
			return nil, err
		}
		co.LogoHash = a.Hash
		return co, c.Put(CollSettings, companyID, co, PutOpts{Scopes: []string{"all"}})
	})
}

func company(r store.ReadTx) (domain.Company, error) {
	co := DefaultCompany
	err := GetJSON(r, CollSettings, companyID, &co)
	if err != nil && domain.KindOf(err) == domain.KindNotFound {
		return DefaultCompany, nil
	}
	return co, err
}

// Company returns the company profile.
func (e *Engine) Company(ctx context.Context) (domain.Company, error) {
	var co domain.Company
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		co, err = company(tx)
		return err
	})
	return co, err
}
