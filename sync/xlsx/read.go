package xlsx

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"elvcare/domain"
)

// Errors of reading a workbook.
var (
	// ErrNotXLSX: the upload is not an .xlsx workbook (an .xls, a CSV, a
	// damaged file).
	ErrNotXLSX = domain.E(domain.KindInvalid, "import.not_xlsx")
	// ErrEmpty: no data row to import (example rows do not count).
	ErrEmpty = domain.E(domain.KindInvalid, "import.empty")
	// ErrTooManyRows: more data rows than one import may hold.
	ErrTooManyRows = domain.E(domain.KindTooLarge, "import.too_many_rows")
)

// Unzip limits: a 20 MB upload may not expand into gigabytes (a zip bomb).
const (
	unzipLimit    = 512 << 20
	unzipXMLLimit = 16 << 20
)

// row is one data row of a sheet: its number as Excel shows it and its
// cells by column key, trimmed.
type row struct {
	Sheet string
	Num   int
	vals  map[string]string
}

func (r row) get(key string) string { return r.vals[key] }

// workbook is what was read: the data rows of each sheet, and the
// problems of the headers.
type workbook struct {
	rows     map[string][]row
	date1904 bool
	problems []Problem
	count    int
}

// headerKey is the column key a header names: the text before "*" or a
// hint in brackets ("电话*（多个用、分隔）" → "电话").
func headerKey(h string) string {
	h = strings.TrimSpace(halfWidth(h))
	if i := strings.IndexAny(h, "*("); i >= 0 {
		h = h[:i]
	}
	return strings.TrimSpace(h)
}

// readWorkbook parses an upload. Header problems (a missing required
// column, an unknown one) are collected like row problems, and when there
// are any the rows are not checked: a wrong header would make every row
// wrong. A file that is no workbook, or one with more than maxRows data
// rows, is an error. A missing sheet is an empty one.
func readWorkbook(data []byte, maxRows int) (*workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, ErrNotXLSX.Wrap(err)
	}
	defer f.Close()
	wb := &workbook{rows: map[string][]row{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		wb.date1904 = *props.Date1904
	}
	present := map[string]bool{}
	for _, name := range f.GetSheetList() {
		present[strings.TrimSpace(name)] = true
	}
	for _, sh := range layout {
		if !present[sh.Name] {
			continue
		}
		if err := wb.readSheet(f, sh, maxRows); err != nil {
			return nil, err
		}
	}
	return wb, nil
}

func (wb *workbook) readSheet(f *excelize.File, sh sheet, maxRows int) error {
	rows, err := f.Rows(sh.Name)
	if err != nil {
		return ErrNotXLSX.Wrap(err)
	}
	defer rows.Close()
	var keys []string // column index → key ("" ignored)
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return ErrNotXLSX.Wrap(err)
		}
		if num == 1 {
			keys = wb.readHeader(sh, cells)
			continue
		}
		r := row{Sheet: sh.Name, Num: num, vals: map[string]string{}}
		empty := true
		for i, c := range cells {
			c = cleanText(c)
			if c == "" {
				continue
			}
			empty = false
			if i < len(keys) && keys[i] != "" {
				r.vals[keys[i]] = c
			}
		}
		if empty || len(cells) > 0 && strings.HasPrefix(cleanText(cells[0]), examplePrefix) {
			continue
		}
		if wb.count++; wb.count > maxRows {
			return ErrTooManyRows.With("max", strconv.Itoa(maxRows))
		}
		wb.rows[sh.Name] = append(wb.rows[sh.Name], r)
	}
	if err := rows.Error(); err != nil {
		return ErrNotXLSX.Wrap(err)
	}
	return nil
}

// readHeader maps the header cells to column keys, reporting unknown and
// repeated columns and missing required ones on row 1.
func (wb *workbook) readHeader(sh sheet, cells []string) []string {
	keys := make([]string, len(cells))
	seen := map[string]bool{}
	for i, c := range cells {
		raw := cleanText(c)
		if raw == "" {
			continue
		}
		k := headerKey(raw)
		_, col := sh.col(k)
		switch {
		case col.Key == "":
			wb.problems = append(wb.problems, Problem{Sheet: sh.Name, Row: 1, Column: columnName(i), Value: raw, Code: "import.unknown_column"})
		case seen[k]:
			wb.problems = append(wb.problems, Problem{Sheet: sh.Name, Row: 1, Column: k, Value: raw, Code: "import.duplicate_column"})
		default:
			seen[k] = true
			keys[i] = k
		}
	}
	for _, col := range sh.Cols {
		if col.Required && !seen[col.Key] {
			wb.problems = append(wb.problems, Problem{Sheet: sh.Name, Row: 1, Column: col.Key, Code: "import.missing_column",
				Params: map[string]string{"column": col.Header}})
		}
	}
	return keys
}

// columnName is the letter of a column (0 → "A"), for a header that names
// no known column.
func columnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return name
}
