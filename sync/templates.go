package sync

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// builtinPrefix marks the templates the program installs (the intrusion-
// alarm report of the source); they are read-only, and an admin saves a
// changed copy under an id of their own.
const builtinPrefix = "builtin."

// TemplateArgs save a checklist template: a new id creates it (version 1),
// an existing one gets the next version. Reports keep the template they
// were started with, so a new version changes only the reports started
// after it.
type TemplateArgs struct {
	Template domain.ChecklistTemplate `json:"template"`
	// BaseVersion is the version the editor started from (0 for a new
	// template). A save over a version changed meanwhile is refused.
	BaseVersion int `json:"baseVersion"`
}

// ErrTemplateChanged: someone saved the template since the editor loaded it
// (or a template with that id was created meanwhile).
var ErrTemplateChanged = domain.E(domain.KindConflict, "template.changed")

func registerTemplates(e *Engine) {
	e.Register("template.save", domain.PermSettingsManage, saveTemplate)
}

func saveTemplate(c *Ctx, raw json.RawMessage) (any, error) {
	var a TemplateArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t := a.Template
	t.ID = strings.TrimSpace(t.ID)
	if strings.HasPrefix(t.ID, builtinPrefix) {
		return nil, domain.Problems{"id": "builtin_template"}.Err()
	}
	t.Version = max(a.BaseVersion, 0) + 1 // checked against the stored one below
	if err := t.Validate(); err != nil {
		return nil, err
	}
	var old domain.ChecklistTemplate
	err := c.Get(CollTemplates, t.ID, &old)
	switch {
	case domain.KindOf(err) == domain.KindNotFound:
		if a.BaseVersion != 0 {
			return nil, ErrTemplateChanged
		}
	case err != nil:
		return nil, err
	case old.Version != a.BaseVersion:
		return nil, ErrTemplateChanged
	}
	if err := c.Put(CollTemplates, t.ID, t, PutOpts{Scopes: templateScopes}); err != nil {
		return nil, err
	}
	return t, nil
}

// TemplateInfo is a template in the admin's list.
type TemplateInfo struct {
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	System  domain.System `json:"system"`
	Version int           `json:"version"`
	Builtin bool          `json:"builtin"`
	Items   int           `json:"items"`
}

// Templates lists the checklist templates, built-in first, then by title.
func (e *Engine) Templates(ctx context.Context) ([]TemplateInfo, error) {
	out := []TemplateInfo{}
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(CollTemplates, "", 0, func(id string, data []byte) error {
			var t domain.ChecklistTemplate
			if err := decodeRecord(data, CollTemplates, id, &t); err != nil {
				return err
			}
			out = append(out, TemplateInfo{ID: t.ID, Title: t.Title, System: t.System, Version: t.Version,
				Builtin: strings.HasPrefix(t.ID, builtinPrefix), Items: len(t.Items())})
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b TemplateInfo) int {
		if a.Builtin != b.Builtin {
			if a.Builtin {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Title, b.Title)
	})
	return out, err
}

// Template returns one checklist template.
func (e *Engine) Template(ctx context.Context, id string) (domain.ChecklistTemplate, error) {
	var t domain.ChecklistTemplate
	if id == "" || strings.ContainsRune(id, 0) {
		return t, domain.ErrNotFound
	}
	err := e.st.View(ctx, func(tx store.ReadTx) error { return GetJSON(tx, CollTemplates, id, &t) })
	return t, err
}
