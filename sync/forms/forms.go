// Package forms prints ELVcare's paper forms (R-FORM): the 客户服务联络单
// of a ticket and the 点检维护工作报告 of a maintenance visit. It turns
// domain records into a print model (Form) — every label and value in
// the source's Chinese wording — and draws that model as an A4 PDF laid
// out like the paper form. It is pure: the caller reads the records and
// pictures and hands them in; the only thing read here is the CJK
// TrueType font, whose glyphs the PDF embeds as a subset so the Chinese
// is real, selectable text.
package forms

import (
	"bytes"
	"fmt"
	gosync "sync"
	"time"

	"github.com/go-pdf/fpdf"
)

// Options configure the renderer.
type Options struct {
	// FontPath is a TrueType font with Chinese glyphs (not a collection,
	// not CFF outlines: fpdf reads neither). Empty: the first of
	// DefaultFontPaths that loads.
	FontPath string
}

// Renderer draws forms as PDF. The font is loaded on first use and kept;
// while none loads, every call fails with ErrNoFont, and the next call
// tries again (so installing the font needs no restart).
type Renderer struct {
	opts Options
	mu   gosync.Mutex
	font *cjkFont
}

// NewRenderer returns a renderer; it reads nothing yet.
func NewRenderer(o Options) *Renderer { return &Renderer{opts: o} }

// Check loads the font now: nil when PDFs can be made, else ErrNoFont
// wrapping why each font was refused.
func (r *Renderer) Check() error {
	_, err := r.loadFont()
	return err
}

// FontPath is the font in use, or "" before one loaded.
func (r *Renderer) FontPath() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.font == nil {
		return ""
	}
	return r.font.path
}

func (r *Renderer) loadFont() (*cjkFont, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.font != nil {
		return r.font, nil
	}
	f, err := findFont(r.opts.FontPath)
	if err != nil {
		return nil, err
	}
	r.font = f
	return f, nil
}

// PDF draws the form on A4 pages. imgs holds the pictures the form names
// by hash (logo, signature, paper form); a missing or unreadable one is
// left out. created is the document's creation date.
func (r *Renderer) PDF(f Form, imgs Images, created time.Time) (out []byte, err error) {
	font, err := r.loadFont()
	if err != nil {
		return nil, err
	}
	defer func() {
		if x := recover(); x != nil {
			out, err = nil, fmt.Errorf("draw %s %s: %v", f.Kind, f.Number, x)
		}
	}()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	p.SetCatalogSort(true)
	p.SetCreationDate(created)
	p.SetModificationDate(created)
	p.SetTitle(f.Title+" "+f.Number, true)
	p.SetAuthor(f.Company.Name, true)
	p.SetSubject(f.Party.Customer.Value, true)
	p.SetCreator("ELVcare", false)
	p.SetProducer("ELVcare", false)
	p.SetLang("zh-CN")
	p.SetMargins(marginX, marginTop, marginX)
	p.SetAutoPageBreak(false, 0)
	p.AddUTF8FontFromBytes(font.family(), "", font.data)
	d := &doc{p: p, font: font, fam: font.family(), imgs: imgs, registered: map[string]string{},
		cont: f.Title + " " + f.Number + "（续）", footer: f.Footer.Left}
	p.AddPage()
	p.SetLineWidth(thinLine)
	d.y = marginTop
	d.form(f)
	d.attachments(f)
	for n, total := 1, p.PageCount(); n <= total; n++ {
		d.pageFooter(n, total)
	}
	if p.Err() {
		return nil, fmt.Errorf("draw %s %s: %w", f.Kind, f.Number, p.Error())
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("write %s %s: %w", f.Kind, f.Number, err)
	}
	return subsetName(buf.Bytes(), font), nil
}
