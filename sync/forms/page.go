package forms

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // photos may be GIF
	"image/jpeg"
	"image/png"
	"math"

	"github.com/go-pdf/fpdf"
	_ "golang.org/x/image/webp" // the app uploads WebP photos
)

// The page: A4 portrait, millimetres.
const (
	pageW     = 210.0
	pageH     = 297.0
	marginX   = 15.0
	marginTop = 12.0
	// contentBottom is where the content stops; the footer is below it.
	contentBottom = pageH - 16.0
	contentW      = pageW - 2*marginX

	ptMM      = 25.4 / 72
	thinLine  = 0.2
	thickLine = 0.5
	padX      = 1.6
	padY      = 1.4
	boxGap    = 0.9
)

var (
	stBody    = style{size: 9.5}
	stLabel   = style{size: 9.5}
	stSmall   = style{size: 7.5}
	stTitle   = style{size: 18, bold: true}
	stCompany = style{size: 14, bold: true}
)

func boxSize(st style) float64    { return st.size * ptMM * 0.8 }
func lineHeight(st style) float64 { return st.size * ptMM * 1.45 }

// doc is one PDF being drawn: the fpdf document, the CJK font, the
// pictures by hash, and where the next row goes.
type doc struct {
	p    *fpdf.Fpdf
	font *cjkFont
	fam  string
	imgs Images
	// registered maps a picture's hash to its fpdf name; "" when it could
	// not be read.
	registered map[string]string
	y          float64
	// table is set while a bordered table is open: its top on this page.
	table    bool
	tableTop float64
	// cont is the running head of continuation pages.
	cont   string
	footer string
}

// newPage ends the page (closing an open table's frame, writing the
// footer) and starts the next with a running head.
func (d *doc) newPage() {
	inTable := d.table
	if inTable {
		d.endTable()
	}
	d.p.AddPage()
	d.y = marginTop
	if d.cont != "" {
		d.p.SetTextColor(90, 90, 90)
		d.text(marginX, d.y+3, d.cont, stSmall)
		d.p.SetTextColor(0, 0, 0)
		d.y += 6
	}
	if inTable {
		d.beginTable()
	}
}

// pageFooter writes the footer of page n of total; it is drawn when the
// document is complete, so the count is known.
func (d *doc) pageFooter(n, total int) {
	d.p.SetPage(n)
	d.p.SetDrawColor(150, 150, 150)
	d.p.SetLineWidth(thinLine)
	d.p.Line(marginX, pageH-12.5, pageW-marginX, pageH-12.5)
	d.p.SetDrawColor(0, 0, 0)
	d.p.SetTextColor(90, 90, 90)
	d.text(marginX, pageH-9, d.footer, stSmall)
	num := fmt.Sprintf("第 %d 页，共 %d 页", n, total)
	d.text(pageW-marginX-d.width(num, stSmall), pageH-9, num, stSmall)
	d.p.SetTextColor(0, 0, 0)
}

// room makes sure h mm fit below y, breaking the page when they do not.
func (d *doc) room(h float64) {
	if d.y+h > contentBottom {
		d.newPage()
	}
}

func (d *doc) beginTable() {
	d.table = true
	d.tableTop = d.y
}

// endTable draws the table's outer frame heavier than its grid.
func (d *doc) endTable() {
	if d.table && d.y > d.tableTop {
		d.p.SetLineWidth(thickLine)
		d.p.Rect(marginX, d.tableTop, contentW, d.y-d.tableTop, "D")
		d.p.SetLineWidth(thinLine)
	}
	d.table = false
}

// cell is one cell of a row: its width and content. A label cell is
// shaded and centred.
type cell struct {
	w       float64
	content *flow
	label   bool
	center  bool
	// image is a picture drawn above the content, imageH mm high.
	image  string
	imageH float64
}

// labelCell is a label; a long one is set smaller to stay on one line
// (客户签字确认), down to a size still easy to read, then wraps.
func (d *doc) labelCell(w float64, s string) cell {
	st := stLabel
	for st.size > 8 && d.width(s, st) > w-2*padX {
		st.size -= 0.25
	}
	return cell{w: w, content: d.flow(st).Text(s), label: true, center: true}
}

func (d *doc) valueCell(w float64, f *flow) cell { return cell{w: w, content: f} }

func (d *doc) textCell(w float64, s string) cell { return cell{w: w, content: d.flow(stBody).Text(s)} }

// laid is a cell laid out: its lines and height.
type laid struct {
	cell
	lines []line
	lh    float64
}

func (c laid) height() float64 {
	h := float64(len(c.lines))*c.lh + 2*padY
	if c.image != "" {
		h += c.imageH + 1
	}
	return h
}

// row draws one row of cells at least minH high. A row taller than what
// is left of the page goes to the next; one taller than a page is split
// between pages line by line.
func (d *doc) row(minH float64, cells ...cell) {
	ls, h := d.layout(minH, cells)
	full := contentBottom - marginTop - 8
	switch {
	case d.y+h <= contentBottom:
	case h <= full:
		d.newPage()
	default:
		d.splitRow(ls)
		return
	}
	d.drawRow(ls, h)
}

// splitRow draws as many lines of each cell as fit, then the rest on the
// next page.
func (d *doc) splitRow(ls []laid) {
	for {
		avail := contentBottom - d.y
		h, lh := 0.0, 0.0
		for _, c := range ls {
			h, lh = math.Max(h, c.height()), math.Max(lh, c.lh)
		}
		if h <= avail {
			d.drawRow(ls, h)
			return
		}
		if avail < 2*lh+2*padY {
			d.newPage()
			continue
		}
		head := make([]laid, len(ls))
		rest := make([]laid, len(ls))
		for i, c := range ls {
			k := int((avail - 2*padY) / c.lh)
			if c.image != "" || k >= len(c.lines) {
				head[i], rest[i] = c, c
				if !c.label { // a label is repeated on the next page
					rest[i].lines, rest[i].image = nil, ""
				}
				continue
			}
			k = max(k, 0)
			head[i], rest[i] = c, c
			head[i].lines, rest[i].lines = c.lines[:k], c.lines[k:]
		}
		d.drawRow(head, avail)
		d.newPage()
		ls = rest
	}
}

func (d *doc) drawRow(ls []laid, h float64) {
	x := marginX
	for _, c := range ls {
		d.drawCell(x, d.y, h, c)
		x += c.w
	}
	d.y += h
}

func (d *doc) drawCell(x, y, h float64, c laid) {
	d.p.SetLineWidth(thinLine)
	if c.label {
		d.p.SetFillColor(243, 243, 243)
		d.p.Rect(x, y, c.w, h, "FD")
	} else {
		d.p.Rect(x, y, c.w, h, "D")
	}
	top := y + (h-c.height())/2 + padY
	if c.image != "" {
		d.image(c.image, x+padX, top, c.w-2*padX, c.imageH)
		top += c.imageH + 1
	}
	for _, ln := range c.lines {
		lx := x + padX
		if c.center {
			lx = x + (c.w-ln.w)/2
		}
		d.drawLine(lx, top, ln, c.content.st)
		top += c.lh
	}
}

// baseline is where text sits in a line of height lh starting at top:
// ideographs, which fill the em box, look centred there.
func baseline(top float64, st style) float64 {
	return top + lineHeight(st)/2 + st.size*ptMM*0.36
}

func (d *doc) drawLine(x, top float64, ln line, st style) {
	base := baseline(top, st)
	for _, a := range ln.atoms {
		switch a.kind {
		case atomText:
			d.text(x, base, a.text, st)
		case atomBox:
			d.box(x, base, a.checked, st)
		}
		x += a.w
	}
}

// box draws a tick box on the baseline; a ticked one carries ✔, which
// pdftotext reads as such.
func (d *doc) box(x, base float64, checked bool, st style) {
	s := boxSize(st)
	mid := base - st.size*ptMM*0.36
	d.p.SetLineWidth(0.25)
	d.p.Rect(x, mid-s/2, s, s, "D")
	d.p.SetLineWidth(thinLine)
	if checked {
		tick := style{size: st.size * 0.95}
		d.setFace(faceDingbat, tick)
		w := d.p.GetStringWidth("4")
		d.p.Text(x+(s-w)/2+0.15, mid+tick.size*ptMM*0.34, "4")
	}
}

// Images are pictures by blob hash: the logo, the signature, the photo
// of a paper form.
type Images map[string][]byte

// image draws the picture hash inside the box (x, y, w, h), keeping its
// proportions, at the box's left; a picture that cannot be read is left
// out.
func (d *doc) image(hash string, x, y, w, h float64) (float64, float64) {
	name := d.register(hash)
	if name == "" {
		return 0, 0
	}
	info := d.p.GetImageInfo(name)
	iw, ih := info.Width(), info.Height()
	if iw <= 0 || ih <= 0 {
		return 0, 0
	}
	scale := math.Min(w/iw, h/ih)
	d.p.ImageOptions(name, x, y, iw*scale, ih*scale, false, fpdf.ImageOptions{}, 0, "")
	return iw * scale, ih * scale
}

// register hands a picture to fpdf once. fpdf's errors are sticky — one
// bad picture would fail the whole document — so pictures are decoded
// here first: JPEG goes in as it is, anything else as an 8-bit PNG.
func (d *doc) register(hash string) string {
	if name, ok := d.registered[hash]; ok {
		return name
	}
	d.registered[hash] = ""
	data := d.imgs[hash]
	if len(data) == 0 {
		return ""
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil || img.Bounds().Empty() {
		return ""
	}
	typ := "JPG"
	if format != "jpeg" || jpegCMYK(data) {
		rgba := image.NewNRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, rgba); err != nil {
			return ""
		}
		data, typ = buf.Bytes(), "PNG"
	}
	name := "img-" + hash
	d.p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
	if d.p.Err() {
		return ""
	}
	d.registered[hash] = name
	return name
}

// jpegCMYK tells a CMYK or YCCK JPEG, which viewers draw inverted when
// embedded as is; those are converted.
func jpegCMYK(data []byte) bool {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	return err != nil || cfg.ColorModel == color.CMYKModel
}
