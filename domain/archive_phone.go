package domain

import (
	"strings"
)

// ErrInvalidPhone is returned by NormalizePhone for text that is neither a
// mainland mobile number nor a landline with its area code.
var ErrInvalidPhone = E(KindInvalid, "invalid_phone")

// extension markers, longest first so "ext." wins over "ext".
var phoneExtMarkers = []string{"分机", "转", "ext.", "ext", "x", "#"}

// NormalizePhone checks a Chinese phone number and returns its one stored
// form, so the same number typed two ways is found as one:
//
//   - mobile: 1[3-9] and 9 more digits, optionally after +86, 0086 or 86;
//     stored as the 11 digits, "13812345678";
//   - landline: area code (010, 02x, or 0 and three digits such as 0755)
//     and a 7–8 digit number not starting with 0 or 1, optionally after
//     +86/0086 (the area code's 0 may then be dropped) and optionally with
//     an extension after 转, 分机, ext, x or #; stored as
//     "0755-88881234" or "0755-88881234转8001".
//
// Spaces, dashes and parentheses may separate groups; full-width digits and
// punctuation from a Chinese input method are accepted. A local number
// without its area code is refused: the area code cannot be guessed.
func NormalizePhone(s string) (string, error) {
	s = phoneHalfWidth(strings.TrimSpace(s))
	main, ext, hasExt := phoneSplitExt(s)
	digits, plus, ok := phoneDigits(main)
	if !ok || digits == "" {
		return "", ErrInvalidPhone
	}
	if hasExt {
		ext = strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '.' {
				return -1
			}
			return r
		}, ext)
		if ext == "" || len(ext) > 6 || !phoneAllDigits(ext) {
			return "", ErrInvalidPhone
		}
	}

	intl := false
	switch {
	case plus:
		if !strings.HasPrefix(digits, "86") {
			return "", ErrInvalidPhone // only mainland numbers
		}
		digits, intl = digits[2:], true
	case strings.HasPrefix(digits, "0086"):
		digits, intl = digits[4:], true
	case len(digits) == 13 && strings.HasPrefix(digits, "861"):
		digits = digits[2:]
	}

	if len(digits) == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9' {
		if hasExt {
			return "", ErrInvalidPhone // mobiles have no extensions
		}
		return digits, nil
	}

	if intl && digits[0] != '0' {
		digits = "0" + digits
	}
	if len(digits) < 3 || digits[0] != '0' {
		return "", ErrInvalidPhone
	}
	areaLen := 4
	switch digits[1] {
	case '0':
		return "", ErrInvalidPhone
	case '1':
		if digits[2] != '0' { // 010 is the only code beginning 01
			return "", ErrInvalidPhone
		}
		areaLen = 3
	case '2':
		areaLen = 3
	}
	if len(digits) < areaLen {
		return "", ErrInvalidPhone
	}
	area, sub := digits[:areaLen], digits[areaLen:]
	if len(sub) < 7 || len(sub) > 8 || sub[0] == '0' || sub[0] == '1' {
		return "", ErrInvalidPhone
	}
	out := area + "-" + sub
	if hasExt {
		out += "转" + ext
	}
	return out, nil
}

// phoneHalfWidth maps full-width digits and punctuation, and the dashes a
// word processor substitutes, to their ASCII forms.
func phoneHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '　':
			return ' '
		case r == '－' || r >= '‐' && r <= '―':
			return '-'
		case r == '（':
			return '('
		case r == '）':
			return ')'
		case r == '＋':
			return '+'
		case r == '＃':
			return '#'
		}
		return r
	}, s)
}

// phoneSplitExt splits s at the first extension marker.
func phoneSplitExt(s string) (main, ext string, found bool) {
	lower := strings.ToLower(s)
	at, size := -1, 0
	for _, m := range phoneExtMarkers {
		if i := strings.Index(lower, m); i >= 0 && (at < 0 || i < at) {
			at, size = i, len(m)
		}
	}
	if at < 0 {
		return s, "", false
	}
	return s[:at], strings.TrimSpace(s[at+size:]), true
}

// phoneDigits keeps the digits of s, allowing separators and one leading '+'.
func phoneDigits(s string) (digits string, plus, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "+") {
		plus, s = true, s[1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false, false
		}
	}
	return b.String(), plus, true
}

func phoneAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
