package forms

import (
	"strings"
	"unicode"
)

// Mixed-script text. The CJK font (Droid Sans Fallback) has no Latin
// letters or digits, so a line is drawn in runs: Chinese in the embedded
// CJK font, Latin text in the PDF's standard Helvetica, and the few
// symbols neither has (✔, →) in the standard ZapfDingbats.

type face int

const (
	faceLatin face = iota
	faceCJK
	faceDingbat
)

// cp1252 holds the runes of Windows-1252 above Latin-1's C1 range gap;
// Helvetica's standard encoding in fpdf is this code page.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
	'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
	'–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// dingbats are the ZapfDingbats codes of the symbols the forms use.
var dingbats = map[rune]byte{'✓': 0x33, '✔': 0x34, '→': 0xD5}

func latinByte(r rune) (byte, bool) {
	switch {
	case r >= 0x20 && r < 0x7F, r >= 0xA0 && r <= 0xFF:
		return byte(r), true
	}
	b, ok := cp1252[r]
	return b, ok
}

// run is a piece of a line in one face, encoded for it.
type run struct {
	face face
	text string
}

// runs splits s into runs by face. A rune no font has becomes '?'.
func (d *doc) runs(s string) []run {
	var out []run
	var b strings.Builder
	cur := face(-1)
	flush := func() {
		if b.Len() > 0 {
			out = append(out, run{cur, b.String()})
			b.Reset()
		}
	}
	for _, r := range s {
		f, enc := d.encode(r)
		if f != cur {
			flush()
			cur = f
		}
		b.WriteString(enc)
	}
	flush()
	return out
}

func (d *doc) encode(r rune) (face, string) {
	if r == '\t' || r == 0x3000 && !d.font.covers(r) {
		r = ' '
	}
	if c, ok := latinByte(r); ok && r < 0x2E80 {
		return faceLatin, string([]byte{c})
	}
	if d.font.covers(r) {
		return faceCJK, string(r)
	}
	if c, ok := dingbats[r]; ok {
		return faceDingbat, string([]byte{c})
	}
	if c, ok := latinByte(r); ok {
		return faceLatin, string([]byte{c})
	}
	return faceLatin, "?"
}

// style is a text size in points and weight. fpdf cannot embolden a
// TrueType font, so bold Chinese is drawn filled and stroked.
type style struct {
	size float64
	bold bool
}

func (d *doc) setFace(f face, st style) {
	switch f {
	case faceCJK:
		d.p.SetFont(d.fam, "", st.size)
	case faceDingbat:
		d.p.SetFont("ZapfDingbats", "", st.size)
	default:
		w := ""
		if st.bold {
			w = "B"
		}
		d.p.SetFont("Helvetica", w, st.size)
	}
}

// width is the width of s in mm.
func (d *doc) width(s string, st style) float64 {
	w := 0.0
	for _, r := range d.runs(s) {
		d.setFace(r.face, st)
		w += d.p.GetStringWidth(r.text)
	}
	return w
}

// text draws s with its baseline at y.
func (d *doc) text(x, y float64, s string, st style) float64 {
	start := x
	for _, r := range d.runs(s) {
		d.setFace(r.face, st)
		if r.face == faceCJK && st.bold {
			d.p.SetLineWidth(st.size * 0.012)
			d.p.SetTextRenderingMode(2)
		}
		d.p.Text(x, y, r.text)
		if r.face == faceCJK && st.bold {
			d.p.SetTextRenderingMode(0)
			d.p.SetLineWidth(thinLine)
		}
		x += d.p.GetStringWidth(r.text)
	}
	return x - start
}

// Inline layout: a cell's content is a flow of atoms — text pieces,
// spaces, boxes — wrapped into lines.

type atomKind int

const (
	atomText atomKind = iota
	atomSpace
	atomBox
	atomBreak
)

type atom struct {
	kind    atomKind
	text    string
	checked bool
	w       float64
	// glue forbids a line break before this atom.
	glue bool
}

// flow is a cell's content being built.
type flow struct {
	d     *doc
	st    style
	atoms []atom
	// glueNext glues the next atom to the one before it.
	glueNext bool
}

func (d *doc) flow(st style) *flow { return &flow{d: d, st: st} }

func (f *flow) add(a atom) {
	if f.glueNext {
		a.glue = true
		f.glueNext = false
	}
	f.atoms = append(f.atoms, a)
}

// noBreakBefore are the marks a line may not start with; noBreakAfter,
// the marks it may not end with.
const (
	noBreakBefore = "，。、；：？！）》」』”’,.;:!?)%"
	noBreakAfter  = "（《「『“‘("
)

// Text adds s: Chinese may break between any two characters (but not
// before closing marks or after opening ones), Latin text between words.
func (f *flow) Text(s string) *flow {
	var word strings.Builder
	endWord := func() {
		if word.Len() > 0 {
			w := word.String()
			f.add(atom{kind: atomText, text: w, w: f.d.width(w, f.st)})
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\n':
			endWord()
			f.add(atom{kind: atomBreak})
		case unicode.IsSpace(r):
			endWord()
			f.add(atom{kind: atomSpace, text: " ", w: f.d.width(" ", f.st)})
		case isWide(r):
			endWord()
			a := atom{kind: atomText, text: string(r), w: f.d.width(string(r), f.st)}
			if strings.ContainsRune(noBreakBefore, r) {
				a.glue = true
			}
			f.add(a)
			if strings.ContainsRune(noBreakAfter, r) {
				f.glueNext = true
			}
		default:
			if word.Len() == 0 && strings.ContainsRune(noBreakBefore, r) {
				f.glueNext = true
			}
			word.WriteRune(r)
		}
	}
	endWord()
	return f
}

// Glued adds s so that it does not break from what comes before it.
func (f *flow) Glued(s string) *flow {
	f.glueNext = true
	return f.Text(s)
}

// Keep adds s as one piece: no line break inside it unless it is wider
// than a line.
func (f *flow) Keep(s string) *flow {
	start := len(f.atoms)
	f.Text(s)
	for i := start + 1; i < len(f.atoms); i++ {
		if f.atoms[i].kind != atomBreak {
			f.atoms[i].glue = true
		}
	}
	return f
}

// Box adds a tick box glued to its label, then a space.
func (f *flow) Box(o Option) *flow {
	f.add(atom{kind: atomBox, checked: o.Checked, w: boxSize(f.st) + boxGap})
	f.add(atom{kind: atomText, text: o.Label, w: f.d.width(o.Label, f.st), glue: true})
	return f
}

// Boxes adds options separated by wide spaces.
func (f *flow) Boxes(opts []Option) *flow {
	for i, o := range opts {
		if i > 0 {
			f.Space(2.5)
		}
		f.Box(o)
	}
	return f
}

// Space adds a blank of w mm where a line may break.
func (f *flow) Space(w float64) *flow {
	f.add(atom{kind: atomSpace, w: w})
	return f
}

// Break ends the line.
func (f *flow) Break() *flow {
	f.add(atom{kind: atomBreak})
	return f
}

func isWide(r rune) bool {
	return r >= 0x2E80 || unicode.Is(unicode.Han, r)
}

// line is one laid-out line of a flow.
type line struct {
	atoms []atom
	w     float64
}

// wrap lays the flow out in lines no wider than w. Spaces at the ends of
// lines are dropped; a piece wider than a line is cut where it must be.
func (f *flow) wrap(w float64) []line {
	var lines []line
	var cur line
	push := func() {
		for len(cur.atoms) > 0 && cur.atoms[len(cur.atoms)-1].kind == atomSpace {
			cur.w -= cur.atoms[len(cur.atoms)-1].w
			cur.atoms = cur.atoms[:len(cur.atoms)-1]
		}
		lines = append(lines, cur)
		cur = line{}
	}
	place := func(a atom) {
		if a.kind == atomSpace && len(cur.atoms) == 0 {
			return
		}
		cur.atoms = append(cur.atoms, a)
		cur.w += a.w
	}
	for _, g := range groups(f.atoms) {
		if g[0].kind == atomBreak {
			push()
			continue
		}
		gw := 0.0
		for _, a := range g {
			gw += a.w
		}
		if cur.w+gw <= w+0.01 {
			for _, a := range g {
				place(a)
			}
			continue
		}
		if g[0].kind == atomSpace {
			push()
			continue
		}
		if len(cur.atoms) > 0 {
			push()
		}
		for _, a := range g {
			if cur.w+a.w > w+0.01 && len(cur.atoms) > 0 {
				push()
			}
			if a.kind == atomText && a.w > w {
				for _, piece := range f.cut(a, w-cur.w, w) {
					if cur.w+piece.w > w+0.01 && len(cur.atoms) > 0 {
						push()
					}
					place(piece)
				}
				continue
			}
			place(a)
		}
	}
	if len(cur.atoms) > 0 || len(lines) == 0 {
		push()
	}
	return lines
}

// cut splits a text atom too wide for any line into pieces: the first
// fits in first mm, the others in w.
func (f *flow) cut(a atom, first, w float64) []atom {
	var out []atom
	var b strings.Builder
	bw, limit := 0.0, first
	if limit < w/4 {
		limit = w
	}
	for _, r := range a.text {
		rw := f.d.width(string(r), f.st)
		if bw+rw > limit && b.Len() > 0 {
			out = append(out, atom{kind: atomText, text: b.String(), w: bw})
			b.Reset()
			bw, limit = 0, w
		}
		b.WriteRune(r)
		bw += rw
	}
	if b.Len() > 0 {
		out = append(out, atom{kind: atomText, text: b.String(), w: bw})
	}
	return out
}

// groups splits atoms where a line may break: each group is an atom and
// those glued to it; a break is a group of its own.
func groups(atoms []atom) [][]atom {
	var out [][]atom
	for _, a := range atoms {
		if len(out) > 0 && a.glue && a.kind != atomBreak && out[len(out)-1][0].kind != atomBreak {
			out[len(out)-1] = append(out[len(out)-1], a)
			continue
		}
		out = append(out, []atom{a})
	}
	return out
}
