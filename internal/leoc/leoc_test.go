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

func TestPublishAndPersonalDataRules(t *testing.T) {
	ward3 := &User{Role: RoleOfficer, Wards: []int{3}}
	if ward3.Can(PermPublish) || !ward3.Can(PermWriteRecords) {
		t.Error("a ward-limited officer publishes by default")
	}
	ward3.WardPublish = true
	if !ward3.Can(PermPublish) {
		t.Error("the office switch does not grant publishing")
	}
	if (&User{Role: RoleViewer, WardPublish: true}).Can(PermPublish) || (&User{Role: RoleFinance}).Can(PermPublish) {
		t.Error("viewer or finance publishes")
	}
	if !(&User{Role: RoleOfficer}).Can(PermPublish) || !(&User{Role: RoleAdmin}).Can(PermPublish) {
		t.Error("an officer or admin of every ward cannot publish")
	}
	cases := []struct {
		u    *User
		ward int
		want bool
	}{
		{&User{Role: RoleAdmin}, 5, true},
		{&User{Role: RoleOfficer}, 5, true},
		{&User{Role: RoleFinance}, 5, true},
		{&User{Role: RoleViewer}, 5, false},
		{&User{Role: RoleViewer, SeeAllPersonal: true}, 5, true},
		{&User{Role: RoleOfficer, Wards: []int{3}}, 3, true},
		{&User{Role: RoleOfficer, Wards: []int{3}}, 5, false},
		{&User{Role: RoleOfficer, Wards: []int{3}}, 0, false},
		{&User{Role: RoleViewer, Wards: []int{3}}, 3, true},
		{&User{Role: RoleOfficer, Wards: []int{3}, SeeAllPersonal: true}, 5, true},
		{&User{Role: RoleAdmin, Disabled: true}, 5, false},
		{nil, 5, false},
	}
	for i, c := range cases {
		if got := c.u.SeesPersonalData(c.ward); got != c.want {
			t.Errorf("case %d: SeesPersonalData(%d) = %v, want %v", i, c.ward, got, c.want)
		}
	}
	if err := ward3.WardWriteError(0); ErrorCode(err) != EForbidden || err.(*Error).Message.Key != "record.municipality_wide" {
		t.Errorf("municipality-wide write: %v", err)
	}
	if err := ward3.WardWriteError(5); ErrorCode(err) != EForbidden {
		t.Errorf("other ward write: %v", err)
	}
	if err := (&User{Role: RoleOfficer}).WardWriteError(0); err != nil {
		t.Errorf("unlimited officer, municipality-wide: %v", err)
	}
}

func TestMaskPersonal(t *testing.T) {
	d := &Distribution{HouseholdName: "राम", HouseholdID: "12-3", Phone: "", Coords: &Coordinates{Latitude: 29.5, Longitude: 81},
		Members: []Member{{Name: "सीता", Age: 40, Sex: "female"}}, Cash: Rupees(500), Ward: 5}
	members := d.Members
	d.MaskPersonal()
	if d.HouseholdName != MaskedText || d.HouseholdID != MaskedText || d.Phone != "" || d.Coords != nil || !d.Masked ||
		d.Members[0].Name != MaskedText || d.Members[0].Age != 40 || d.Cash != Rupees(500) || d.Ward != 5 {
		t.Errorf("masked distribution %+v", d)
	}
	if members[0].Name != "सीता" {
		t.Error("masking changed the members slice it was given")
	}
	f := &FundTransaction{System: true, Description: "राहत वितरण दर्ता नं. १२: राम बहादुर"}
	f.MaskPersonal()
	if f.Description != "राहत वितरण दर्ता नं. १२: "+MaskedText {
		t.Errorf("fund description %q", f.Description)
	}
	manual := &FundTransaction{Description: "प्रदेश सरकार"}
	if manual.MaskPersonal(); manual.Description != "प्रदेश सरकार" || manual.Masked {
		t.Error("a manual entry was masked")
	}
}
