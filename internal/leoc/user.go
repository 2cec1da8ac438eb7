package leoc

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// User is an account. Wards, when not empty, limits the user's writes to
// records of those wards (a ward secretary) and is the default list filter.
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	Role         Role
	Wards        []int
	CanUnlock    bool // may unlock records without being an admin (still needs the key)
	Disabled     bool
	Lang         string // preferred UI language, "" for the office default
	FailedLogins int
	LockedUntil  time.Time // failed-login lockout; zero when not locked
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  time.Time

	// SeeAllPersonal: an admin granted this user the personal data of
	// households of every ward (see SeesPersonalData).
	SeeAllPersonal bool
	// WardPublish is the office setting "ward users may publish", copied in
	// when the user is authenticated for a request; it is not part of the
	// account. It lets a user limited to wards hold PermPublish.
	WardPublish bool
}

// Can reports whether the user holds permission p.
func (u *User) Can(p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	if p == PermUnlock && u.CanUnlock {
		return true
	}
	if p == PermPublish && len(u.Wards) > 0 && !u.WardPublish {
		// A ward secretary speaks for a ward, not for the municipality: a
		// public advisory or a situation report speaks for all of it.
		return false
	}
	return u.Role.Can(p)
}

// SeesAllPersonalData reports whether the user sees the personal data of
// households of every ward: admins, users an admin granted it, and officers
// and finance officers not limited to wards. Viewers (partners, elected
// officials) and ward-limited users see it masked outside their own wards;
// totals and statistics stay visible to all. docs/security.md has the table.
func (u *User) SeesAllPersonalData() bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role == RoleAdmin || u.SeeAllPersonal || (u.Role != RoleViewer && len(u.Wards) == 0)
}

// SeesPersonalData reports whether the user sees the names, phones,
// identity and bank numbers, coordinates and evidence files of a household
// of ward w (0: a record without a ward, seen only by those who see all).
func (u *User) SeesPersonalData(w int) bool {
	if u.SeesAllPersonalData() {
		return true
	}
	return u != nil && !u.Disabled && w != 0 && slices.Contains(u.Wards, w)
}

// PersonalWards is the search scope of a list for the user: all (true) or
// only the given wards, so that a name or an identity number typed into a
// list's search cannot tell a user which masked household it belongs to.
func (u *User) PersonalWards() ([]int, bool) {
	if u.SeesAllPersonalData() {
		return nil, true
	}
	if u == nil {
		return nil, false
	}
	return slices.Clone(u.Wards), false
}

// CanWriteWard reports whether the user may write records of ward w.
func (u *User) CanWriteWard(w int) bool {
	return len(u.Wards) == 0 || slices.Contains(u.Wards, w)
}

// WardWriteError is nil when the user may write a record of ward w (0: a
// record of the whole municipality, such as an operations-log entry without
// a ward), else the 403 that says why not.
func (u *User) WardWriteError(w int) error {
	switch {
	case u.CanWriteWard(w):
		return nil
	case w == 0:
		return Errorf(EForbidden, "record.municipality_wide")
	default:
		return Errorf(EForbidden, "record.other_ward", w)
	}
}

// Name is what screens call the user.
func (u *User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// NormalizeUsername lower-cases and trims a username as typed.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidUsername: 3–32 characters, lower-case Latin letters, digits, dot,
// dash and underscore, starting with a letter or digit. Scripts type these.
func ValidUsername(s string) bool {
	if len(s) < 3 || len(s) > 32 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '.' || r == '-' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return true
}

// Password rules. Length beats composition rules (NIST SP 800-63B), so we ask
// for ten characters and refuse the obvious.
const (
	PasswordMinLen = 10
	PasswordMaxLen = 128
)

var commonPasswords = []string{
	"password", "password1", "password123", "1234567890", "0123456789", "12345678910",
	"qwertyuiop", "admin12345", "administrator", "letmein123", "iloveyou12",
	"nepal12345", "kathmandu1", "thalara123", "welcome123", "changeme12", "admin123456",
}

// CheckPassword returns the catalog key of the first rule the password breaks,
// or "" when it is acceptable.
func CheckPassword(password, username string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return "password.invalid"
	case n < PasswordMinLen:
		return "password.too_short"
	case n > PasswordMaxLen:
		return "password.too_long"
	case username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)):
		return "password.contains_username"
	case slices.Contains(commonPasswords, strings.ToLower(password)):
		return "password.too_common"
	case distinctRunes(password) < 4:
		return "password.too_simple"
	}
	return ""
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// ListWards is the ward filter of a list: what the user asked for, or — for
// a user limited to wards who asked for nothing — their own wards. Reading
// other wards stays possible when asked for explicitly; writing does not.
func (u *User) ListWards(requested []int) []int {
	if len(requested) == 0 && u != nil {
		return slices.Clone(u.Wards)
	}
	return requested
}
