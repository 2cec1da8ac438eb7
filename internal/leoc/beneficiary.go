package leoc

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/cases"

	"leoc/internal/bs"
)

// Beneficiary is a person enrolled in a social-security allowance
// (सामाजिक सुरक्षा लाभग्राही). The register is used to recognise vulnerable
// households when relief is given.
type Beneficiary struct {
	Record
	Name              string
	IDNumber          string // citizenship or social-security card number, as written
	AllowanceType     string // key of the allowance_type list
	Age               *int   // nil when not known
	Gender            string // one of Genders, "" when not recorded
	Ward              int
	Tole              string
	Coords            *Coordinates
	Phone             string
	BankAccountHolder string
	BankAccountNumber string
	BankName          string
	Notes             string
	// Masked is set on a copy whose personal data MaskPersonal hid.
	Masked bool
}

// Genders are the recorded genders.
var Genders = []string{"male", "female", "other"}

// VulnerableAllowances are the allowance types that mark a household as
// vulnerable when relief is given: its members are old, alone, disabled or
// children. Other configured allowance types are shown but not flagged.
var VulnerableAllowances = []string{"senior_citizen", "single_woman", "widow", "full_disability", "severe_disability", "children"}

// Vulnerable reports whether the beneficiary's allowance marks the household
// as vulnerable.
func (b *Beneficiary) Vulnerable() bool {
	return slices.Contains(VulnerableAllowances, b.AllowanceType)
}

// BeneficiaryRules are the settings a beneficiary is checked against.
type BeneficiaryRules struct {
	Wards          []int
	AllowanceTypes []string
}

// BeneficiaryLimits are a beneficiary's field limits.
var BeneficiaryLimits = Limits{
	"name": {Required: true, MaxLen: 200}, "id_number": {Required: true, MaxLen: 50}, "allowance_type": {Required: true},
	"age": {Min: 0, Max: 130}, "ward": {Required: true, Invalid: "field.choice"}, "tole": {MaxLen: 200}, "bank_account_holder": {MaxLen: 200},
	"bank_account_number": {MaxLen: 50}, "bank_name": {MaxLen: 200}, "notes": {MaxLen: 4000},
	"latitude": {Invalid: "incident.coordinate_invalid"}, "longitude": {Invalid: "incident.coordinate_invalid"},
}

// BeneficiaryInput is what a person types.
type BeneficiaryInput struct {
	Name              string   `json:"name"`
	IDNumber          string   `json:"id_number"`
	AllowanceType     string   `json:"allowance_type"`
	Age               *int     `json:"age"`
	Gender            string   `json:"gender"`
	Ward              int      `json:"ward"`
	Tole              string   `json:"tole"`
	Latitude          *float64 `json:"latitude"`
	Longitude         *float64 `json:"longitude"`
	Phone             string   `json:"phone"`
	BankAccountHolder string   `json:"bank_account_holder"`
	BankAccountNumber string   `json:"bank_account_number"`
	BankName          string   `json:"bank_name"`
	Notes             string   `json:"notes"`
	Version           int      `json:"version"`
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 -]{5,18}[0-9]$`)

// Apply validates in and copies it onto b (a new or a loaded record).
func (in *BeneficiaryInput) Apply(rules BeneficiaryRules, b *Beneficiary) error {
	var v Validation
	BeneficiaryLimits.Text(&v, "name", &in.Name)
	BeneficiaryLimits.Text(&v, "id_number", &in.IDNumber)
	if in.IDNumber != "" && !v.Has("id_number") && HouseholdKey(in.IDNumber) == "" {
		v.Add("id_number", "beneficiary.id_invalid")
	}
	CheckChoice(&v, "allowance_type", in.AllowanceType, rules.AllowanceTypes)
	if in.Age != nil {
		v.Check(*in.Age >= 0 && *in.Age <= 130, "age", "beneficiary.age_range")
	}
	if in.Gender != "" {
		CheckChoice(&v, "gender", in.Gender, Genders)
	}
	switch {
	case in.Ward == 0:
		v.Add("ward", "field.required")
	case !slices.Contains(rules.Wards, in.Ward):
		v.Add("ward", "ward.unknown", in.Ward)
	}
	BeneficiaryLimits.Text(&v, "tole", &in.Tole)
	coords := checkCoordinates(&v, in.Latitude, in.Longitude)
	in.Phone = bs.ASCIIDigits(strings.TrimSpace(in.Phone))
	v.Check(in.Phone == "" || phonePattern.MatchString(in.Phone), "phone", "beneficiary.phone_invalid")
	BeneficiaryLimits.Text(&v, "bank_account_holder", &in.BankAccountHolder)
	BeneficiaryLimits.Text(&v, "bank_account_number", &in.BankAccountNumber)
	in.BankAccountNumber = bs.ASCIIDigits(in.BankAccountNumber)
	BeneficiaryLimits.Text(&v, "bank_name", &in.BankName)
	BeneficiaryLimits.Text(&v, "notes", &in.Notes)
	b.Name, b.IDNumber, b.AllowanceType, b.Age, b.Gender, b.Ward, b.Tole, b.Coords = in.Name, in.IDNumber, in.AllowanceType, in.Age, in.Gender, in.Ward, in.Tole, coords
	b.Phone, b.BankAccountHolder, b.BankAccountNumber, b.BankName, b.Notes = in.Phone, in.BankAccountHolder, in.BankAccountNumber, in.BankName, in.Notes
	return v.Err()
}

// Input is the BeneficiaryInput that gives b again: it fills the edit form.
func (b *Beneficiary) Input() BeneficiaryInput {
	in := BeneficiaryInput{Name: b.Name, IDNumber: b.IDNumber, AllowanceType: b.AllowanceType, Age: b.Age, Gender: b.Gender,
		Ward: b.Ward, Tole: b.Tole, Phone: b.Phone, BankAccountHolder: b.BankAccountHolder, BankAccountNumber: b.BankAccountNumber,
		BankName: b.BankName, Notes: b.Notes, Version: b.Version}
	in.Latitude, in.Longitude = b.Coords.pointers()
	return in
}

// Fields is the audit view of a beneficiary.
func (b *Beneficiary) Fields() map[string]any {
	m := map[string]any{
		"name": b.Name, "id_number": b.IDNumber, "allowance_type": b.AllowanceType, "gender": b.Gender, "ward": b.Ward,
		"tole": b.Tole, "phone": b.Phone, "bank_account_holder": b.BankAccountHolder, "bank_account_number": b.BankAccountNumber,
		"bank_name": b.BankName, "notes": b.Notes, "age": nil,
	}
	if b.Age != nil {
		m["age"] = *b.Age
	}
	if b.Coords != nil {
		m["latitude"], m["longitude"] = b.Coords.Latitude, b.Coords.Longitude
	}
	return m
}

// SearchFold is how names are compared in searches: NFC (Devanagari typed
// with different code-point sequences), ASCII digits and Unicode case
// folding (Latin names in any case).
func SearchFold(s string) string {
	return cases.Fold().String(NormalizeText(bs.ASCIIDigits(s)))
}

// SearchText is what a beneficiary is found by: name, ID number (as
// written, as its key and as its search key) and phone, folded.
func (b *Beneficiary) SearchText() string {
	return strings.Join([]string{SearchFold(b.Name), SearchFold(b.IDNumber), HouseholdKey(b.IDNumber), HouseholdSearchKey(b.IDNumber), b.Phone,
		strings.NewReplacer(" ", "", "-", "", "+", "").Replace(b.Phone)}, " ")
}
