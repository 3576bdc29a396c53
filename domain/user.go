package domain

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a staff account. Customers are not users.
type User struct {
	ID         string    `json:"id"`
	Login      string    `json:"login"`
	Name       string    `json:"name"`
	Roles      []Role    `json:"roles"`
	Specialist bool      `json:"specialist"` // 售后服务专员: the desk dispatches to them directly
	Skills     []string  `json:"skills"`     // systems the technician is skilled in
	Disabled   bool      `json:"disabled"`
	CreatedAt  time.Time `json:"createdAt"`
	// PasswordHash is never sent to clients; the server strips it.
	PasswordHash string `json:"passwordHash,omitempty"`
	// Epoch changes whenever access changes (roles, disable, password):
	// sessions carry the epoch they were made under and die when it moves.
	Epoch int `json:"epoch,omitempty"`
}

// SkillSystems are the systems a technician may be skilled in; they are the
// six systems of DOMAIN.md.
var SkillSystems = []string{"network", "telephone", "pa", "cctv", "alarm", "onecard"}

var loginRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NormalizeLogin lowercases and trims a login name.
func NormalizeLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// UserSpec is what an admin sets when creating or editing a user.
type UserSpec struct {
	Login      string
	Name       string
	Roles      []Role
	Specialist bool
	Skills     []string
}

// Validate checks a user spec; the login is expected normalized.
func (s UserSpec) Validate(p Problems) {
	if s.Login == "" {
		p.Add("login", "required")
	} else if !loginRe.MatchString(s.Login) {
		p.Add("login", "invalid_login")
	}
	name := strings.TrimSpace(s.Name)
	if name == "" {
		p.Add("name", "required")
	} else if utf8.RuneCountInString(name) > 40 {
		p.Add("name", "too_long")
	}
	if len(s.Roles) == 0 {
		p.Add("roles", "required")
	}
	for _, r := range s.Roles {
		if !r.Valid() {
			p.Add("roles", "invalid_choice")
		}
	}
	for _, k := range s.Skills {
		if !slices.Contains(SkillSystems, k) {
			p.Add("skills", "invalid_choice")
		}
	}
	if s.Specialist && !slices.Contains(s.Roles, RoleTechnician) {
		p.Add("specialist", "specialist_needs_technician")
	}
}

// ValidatePassword checks a new password: 8 to 128 characters.
func ValidatePassword(p Problems, field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n == 0:
		p.Add(field, "required")
	case n < 8:
		p.Add(field, "password_too_short")
	case n > 128:
		p.Add(field, "too_long")
	}
}

// HasRole tells whether the user holds r.
func (u User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

// Company is the company profile printed on headers and forms.
type Company struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	Hotline  string `json:"hotline"`
	LogoHash string `json:"logoHash"`
}

// Validate checks the company profile.
func (c Company) Validate(p Problems) {
	if strings.TrimSpace(c.Name) == "" {
		p.Add("name", "required")
	} else if utf8.RuneCountInString(c.Name) > 60 {
		p.Add("name", "too_long")
	}
	if utf8.RuneCountInString(c.Address) > 120 {
		p.Add("address", "too_long")
	}
	if utf8.RuneCountInString(c.Hotline) > 40 {
		p.Add("hotline", "too_long")
	}
}
