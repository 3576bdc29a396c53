package xlsx

import "strconv"

// Template writes the import template: the 说明 sheet, then the five data
// sheets with their headers, drop-downs and one example row each (its
// first cell starts with 示例, so the importer skips it).
func Template() (*Workbook, error) {
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
	for _, sh := range layout {
		s, err := w.start(sh)
		if err != nil {
			return nil, err
		}
		vals := make([]any, len(sh.Cols))
		for i, c := range sh.Cols {
			switch {
			case i == 0:
				vals[i] = examplePrefix + "-" + c.Example
			case c.Kind == kindNumber && c.Example != "":
				n, err := strconv.Atoi(c.Example)
				if err != nil {
					return nil, err
				}
				vals[i] = n
			default:
				vals[i] = c.Example
			}
		}
		if err := s.write(vals, true); err != nil {
			return nil, err
		}
		if err := s.close(); err != nil {
			return nil, err
		}
	}
	b, err := w.finish(SheetGuide)
	ok = err == nil
	return b, err
}
