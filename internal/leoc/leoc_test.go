package leoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	for _, c := range []struct{ pw, user, want string }{
		{"correct-horse-42", "ram", ""},
		{"नेपाल-आमा-हाम्रो", "ram", ""},
		{"short", "ram", "password.too_short"},
		{"ram-password-1", "ram", "password.contains_username"},
		{"Password123", "", "password.too_common"},
		{"aaaaaaaaaaaa", "", "password.too_simple"},
		{strings.Repeat("ab1", 50), "", "password.too_long"},
		{"abc\xffdefghijk", "", "password.invalid"},
	} {
		if got := CheckPassword(c.pw, c.user); got != c.want {
			t.Errorf("CheckPassword(%q, %q) = %q, want %q", c.pw, c.user, got, c.want)
		}
	}
}

func TestValidUsername(t *testing.T) {
	for s, ok := range map[string]bool{"ram": true, "ward.3": true, "a_b-c": true, "ab": false, ".ram": false, "Ram": false, "राम": false, strings.Repeat("a", 33): false} {
		if ValidUsername(s) != ok {
			t.Errorf("ValidUsername(%q) != %v", s, ok)
		}
	}
	if NormalizeUsername("  Ram.W3 ") != "ram.w3" {
		t.Error("normalize")
	}
}

func TestValidationAndErrors(t *testing.T) {
	var v Validation
	if v.Err() != nil {
		t.Fatal("empty validation is an error")
	}
	v.Add("ward", "ward.unknown", 12)
	v.Add("ward", "field.required")
	v.Check(false, "name", "field.required")
	v.Check(true, "phone", "field.required")
	err := v.Err()
	e, ok := AsError(fmt.Errorf("wrapped: %w", err))
	if !ok || e.Code != EInvalid || len(e.Fields) != 2 || e.Fields["ward"].Key != "ward.unknown" {
		t.Fatalf("validation error %+v", e)
	}
	if ErrorCode(errors.New("disk full")) != EInternal || ErrorCode(nil) != "" || ErrorCode(err) != EInvalid {
		t.Fatal("ErrorCode")
	}
}

func TestListWards(t *testing.T) {
	sec := &User{Role: RoleOfficer, Wards: []int{3, 4}}
	if fmt.Sprint(sec.ListWards(nil)) != "[3 4]" || fmt.Sprint(sec.ListWards([]int{7})) != "[7]" {
		t.Error("ward secretary's default list")
	}
	if len((&User{Role: RoleAdmin}).ListWards(nil)) != 0 {
		t.Error("unlimited user gets a ward filter")
	}
}
