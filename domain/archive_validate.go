package domain

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Length limits in characters (runes, so a Chinese character counts once),
// shared by the archive, tickets and checklists.
const (
	arcMaxName  = 100  // names, titles, numbers
	arcMaxLine  = 200  // addresses, single-line labels
	arcMaxNote  = 2000 // notes, remarks, comments
	arcMaxLong  = 4000 // free-text checklist answers and summaries
	arcMaxKey   = 64   // machine keys and tokens
	arcMaxCount = 1_000_000
)

// arcCheckText records "required" for a blank required value, "invalid_text"
// for bytes that are not UTF-8 and "too_long" past max characters.
func arcCheckText(p Problems, field, v string, max int, required bool) {
	if strings.TrimSpace(v) == "" {
		if required {
			p.Add(field, "required")
		}
		return
	}
	if !utf8.ValidString(v) {
		p.Add(field, "invalid_text")
		return
	}
	if utf8.RuneCountInString(v) > max {
		p.Add(field, "too_long")
	}
}

// arcCheckID records "required" for a missing required id and "invalid_id"
// for one that is not a UUID in canonical lower-case text form.
func arcCheckID(p Problems, field, v string, required bool) {
	if v == "" {
		if required {
			p.Add(field, "required")
		}
		return
	}
	if !arcIsUUID(v) {
		p.Add(field, "invalid_id")
	}
}

// arcIsUUID reports whether s is xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in
// lower-case hex. Ids are UUIDv7 made outside the domain; any version is
// accepted here because the version is the generator's business.
func arcIsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// arcIsKey reports whether s is a machine key: 1–64 of a-z, 0-9, '_', '.', '-'.
func arcIsKey(s string) bool {
	if s == "" || len(s) > arcMaxKey {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// arcField joins a field path: arcField("covers", 2, "siteId") is
// "covers[2].siteId"; an empty last part gives "covers[2]".
func arcField(list string, i int, field string) string {
	s := list + "[" + strconv.Itoa(i) + "]"
	if field != "" {
		s += "." + field
	}
	return s
}

// arcPrefix copies the problems of a nested validation error into p under
// prefix ("audit" + "note" → "audit.note"); other errors land on prefix.
func arcPrefix(p Problems, prefix string, err error) {
	if err == nil {
		return
	}
	var de *Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		p.Add(prefix, "invalid")
		return
	}
	for f, code := range de.Fields {
		p.Add(prefix+"."+f, code)
	}
}

// arcMerge copies the field problems of a validation error into p.
func arcMerge(p Problems, err error) {
	if err == nil {
		return
	}
	var de *Error
	if errors.As(err, &de) {
		for f, code := range de.Fields {
			p.Add(f, code)
		}
	}
}
