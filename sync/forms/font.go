package forms

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// ErrNoFont: no usable CJK TrueType font, so no PDF can be made. The
// server answers it as 503 with a message that says what to install;
// the error wrapping it says why each font was refused.
var ErrNoFont = errors.New("forms: no usable CJK TrueType font")

// DefaultFontPaths are the fonts tried, in order, when Options.FontPath is
// empty: Debian's fonts-droid-fallback, then WenQuanYi Micro Hei (a
// TrueType collection, which fpdf cannot read today, so it is skipped
// unless a later fpdf can).
func DefaultFontPaths() []string {
	return []string{
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	}
}

// cjkFont is a loaded CJK font: its bytes, which runes it has a glyph
// for, and the names it is embedded under.
type cjkFont struct {
	path   string
	data   []byte
	psName string          // PostScript name, for the embedded subset's name
	has    [1 << 10]uint64 // a bit per rune of the Basic Multilingual Plane
}

// family is the fpdf family the font is registered under. fpdf embeds a
// UTF-8 font as "utf8"+family; the family's length is chosen so that name
// can be swapped in place for a proper subset name (see subsetName).
func (f *cjkFont) family() string {
	n := len(f.psName) + len("ABCDEF+") - len("utf8")
	return "cjk" + strings.Repeat("x", n-3)
}

func (f *cjkFont) covers(r rune) bool {
	return r >= 0 && r < 1<<16 && f.has[r>>6]&(1<<(uint(r)&63)) != 0
}

// loadFont reads and checks a font: sfnt must parse it (a collection does
// not) and fpdf must accept it (CFF outlines it does not).
func loadFont(path string) (*cjkFont, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", path, err)
	}
	f := &cjkFont{path: path, data: data}
	var buf sfnt.Buffer
	for r := rune(0); r < 1<<16; r++ {
		if g, err := sf.GlyphIndex(&buf, r); err == nil && g != 0 {
			f.has[r>>6] |= 1 << (uint(r) & 63)
		}
	}
	if !f.covers('客') {
		return nil, fmt.Errorf("font %s has no Chinese glyphs", path)
	}
	name, _ := sf.Name(&buf, sfnt.NameIDPostScript)
	f.psName = strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, name)
	if len(f.psName) < 4 {
		f.psName = "CJKFont"
	}
	if err := probeFont(path, f.family()); err != nil {
		return nil, fmt.Errorf("font %s: %w", path, err)
	}
	return f, nil
}

// probeFont asks fpdf to read the font the way it will for every PDF;
// fpdf's reader may panic on a file it does not understand.
func probeFont(path, family string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fpdf cannot read it: %v", r)
		}
	}()
	p := fpdf.New("P", "mm", "A4", filepath.Dir(path))
	p.AddUTF8Font(family, "", filepath.Base(path))
	p.SetFont(family, "", 10)
	if p.Err() {
		return p.Error()
	}
	return nil
}

// findFont loads the configured font, or the first default that loads.
func findFont(configured string) (*cjkFont, error) {
	if configured != "" {
		f, err := loadFont(configured)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoFont, err)
		}
		return f, nil
	}
	var errs []error
	for _, p := range DefaultFontPaths() {
		f, err := loadFont(p)
		if err == nil {
			return f, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("%w: %w", ErrNoFont, errors.Join(errs...))
}

// subsetName gives the embedded font the name PDF requires of a subset
// (ISO 32000-1 §9.6.4): a tag of six capital letters, '+', the PostScript
// name. fpdf embeds only the glyphs used but names the font "utf8"+family;
// the new name has the same length, so the file's offsets stay valid. The
// tag is taken from the document's hash, so it is the same for the same
// content.
func subsetName(pdf []byte, f *cjkFont) []byte {
	old := []byte("/utf8" + f.family())
	sum := sha256.Sum256(pdf)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	repl := []byte("/" + string(tag) + "+" + f.psName)
	if len(repl) != len(old) {
		return pdf
	}
	return bytes.ReplaceAll(pdf, old, repl)
}
