package domain_test

import (
	"testing"

	"elvcare/domain"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" means invalid
	}{
		// mobiles
		{"mobile", "13812345678", "13812345678"},
		{"mobile with spaces", "138 1234 5678", "13812345678"},
		{"mobile with dashes", "138-1234-5678", "13812345678"},
		{"mobile +86", "+86 138 1234 5678", "13812345678"},
		{"mobile +86 dash", "+86-13812345678", "13812345678"},
		{"mobile 86", "8613812345678", "13812345678"},
		{"mobile 0086", "0086 13812345678", "13812345678"},
		{"mobile 19x", "19912345678", "19912345678"},
		{"mobile full-width", "１３８１２３４５６７８", "13812345678"},
		{"mobile surrounding space", "  13812345678 ", "13812345678"},
		{"mobile second digit 2", "12812345678", ""},
		{"mobile too short", "1381234567", ""},
		{"mobile too long", "138123456789", ""},
		{"mobile with extension", "13812345678转8001", ""},
		{"mobile letters", "1381234567a", ""},
		// landlines
		{"shenzhen dashed", "0755-88881234", "0755-88881234"},
		{"shenzhen spaced", "0755 8888 1234", "0755-88881234"},
		{"shenzhen run together", "075588881234", "0755-88881234"},
		{"shenzhen parentheses", "(0755)88881234", "0755-88881234"},
		{"full-width parentheses", "（0755）8888－1234", "0755-88881234"},
		{"extension 转", "0755-8888 1234 转 8001", "0755-88881234转8001"},
		{"extension 转 idempotent", "0755-88881234转8001", "0755-88881234转8001"},
		{"extension 分机", "0755-88881234分机8001", "0755-88881234转8001"},
		{"extension ext", "0755-88881234 ext. 8001", "0755-88881234转8001"},
		{"extension x", "0755-88881234 x8001", "0755-88881234转8001"},
		{"extension #", "0755-88881234#8001", "0755-88881234转8001"},
		{"empty extension", "0755-88881234转", ""},
		{"extension too long", "0755-88881234转1234567", ""},
		{"extension letters", "0755-88881234转abc", ""},
		{"beijing 010", "010-62345678", "010-62345678"},
		{"guangzhou 020", "02087654321", "020-87654321"},
		{"seven digit number", "0751-8123456", "0751-8123456"},
		{"+86 without trunk zero", "+86 755 8888 1234", "0755-88881234"},
		{"+86 with trunk zero", "+86 0755 8888 1234", "0755-88881234"},
		{"0086 landline", "0086 755 88881234", "0755-88881234"},
		{"code 01x other than 010", "011-62345678", ""},
		{"code 00", "0075588881234", ""},
		{"subscriber starts with 0", "0755-08881234", ""},
		{"subscriber starts with 1", "0755-18881234", ""},
		{"subscriber too short", "0755-888123", ""},
		{"subscriber too long", "0755-888812345", ""},
		{"no area code", "88881234", ""},
		{"hotline 400", "400-820-8820", ""},
		{"foreign number", "+852 2345 6789", ""},
		{"plus in the middle", "0755+88881234", ""},
		{"empty", "", ""},
		{"only separators", " - ", ""},
		{"letters", "phone", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.NormalizePhone(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizePhone(%q) = %q, want invalid_phone", tt.in, got)
				}
				if arCode(err) != "invalid_phone" || domain.KindOf(err) != domain.KindInvalid {
					t.Errorf("error = %v, want invalid_phone", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizePhone(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := domain.NormalizePhone(got)
			if err != nil || again != got {
				t.Errorf("not idempotent: NormalizePhone(%q) = %q, %v", got, again, err)
			}
		})
	}
}
