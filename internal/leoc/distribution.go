package leoc

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/cases"

	"leoc/internal/bs"
)

// Distribution is relief given to one household for one disaster (राहत
// वितरण): who received it, the household, and what was handed over. The
// embedded Dated is the distribution date, which decides the fiscal year the
// relief (and its cash expenditure) belongs to.
type Distribution struct {
	Record
	Dated
	HouseholdName string // household head
	HouseholdID   string // citizenship or other identity number, as written
	FatherName    string // father's or spouse's name
	Phone         string
	// ReceivedBy is who collected the relief when it was not the household
	// head (a son, a neighbour); "" = the head. The receipt names them.
	ReceivedBy string
	// IncidentID links the incident the relief is for (0 = none recorded).
	// DisasterType and DisasterDate are the incident's when linked, else typed.
	IncidentID   int64
	DisasterType string
	DisasterDate bs.Date
	Ward         int
	Tole         string
	Place        string
	Coords       *Coordinates
	Shelter      string // where the household lives now
	Members      []Member
	// Counts of the household beyond its members list.
	Pregnant      int
	InfantMothers int // mothers of infants under two
	Deaths        int
	SSFEnrolled   bool
	AllowanceType string // key of the allowance_type list, "" = none
	PovertyCard   bool
	Harms         []Harm
	BankHolder    string
	BankAccount   string
	BankName      string
	Items         []ReliefItem
	// WarehouseID is the store the relief items were issued from (0 = none:
	// recorded before the store existed, or given from elsewhere; no stock
	// moves). Each item's whole-number Quantity is that many units of the
	// catalogue item's unit in the ledger (Units(Quantity)).
	WarehouseID int64
	Cash        Money
	Status      string // one of DistributionStatuses
	Notes       string
	// OverrideReason is set when an authorised user recorded this household a
	// second time for the same disaster on purpose.
	OverrideReason string
	// Masked is set on a copy whose personal data MaskPersonal hid.
	Masked bool
}

// Member is one person of the household.
type Member struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	Age      int    `json:"age"`
	Sex      string `json:"sex"` // one of Sexes
}

// Harm is what one member suffered.
type Harm struct {
	Member   string `json:"member"`
	Harm     string `json:"harm"`
	Severity string `json:"severity"` // one of HarmSeverities
}

// ReliefItem is one line of goods handed over.
type ReliefItem struct {
	Item     string `json:"item"` // code of an item of the catalogue (inventory_items)
	Quantity int64  `json:"quantity"`
	Unit     string `json:"unit"`
}

// Choices of a distribution.
var (
	Sexes                = []string{"male", "female", "other"}
	HarmSeverities       = []string{"minor", "serious", "critical"}
	DistributionStatuses = []string{"distributed", "partial", "pending"}
)

// Limits of one distribution.
const (
	MaxMembers       = 50
	MaxItems         = 50
	MaxHarms         = 50
	MaxItemQuantity  = 1_000_000
	MaxCash          = Money(10_000_000 * 100) // one crore rupees per household
	ChildAgeBelow    = 18
	MaxHouseholdSize = 100
)

// Male, Female and Children are counted from the members list, so they
// cannot disagree with it.
func (d *Distribution) Male() int {
	return d.countMembers(func(m Member) bool { return m.Sex == "male" })
}
func (d *Distribution) Female() int {
	return d.countMembers(func(m Member) bool { return m.Sex == "female" })
}
func (d *Distribution) Children() int {
	return d.countMembers(func(m Member) bool { return m.Age < ChildAgeBelow })
}

func (d *Distribution) countMembers(f func(Member) bool) int {
	n := 0
	for _, m := range d.Members {
		if f(m) {
			n++
		}
	}
	return n
}

// FoldText is the form names, identity numbers and phones are compared and
// searched in: Unicode NFC, Latin case folded, Devanagari digits made ASCII
// and runs of spaces made one. "Ram  Bahadur", "RAM BAHADUR" and
// "ram bahadur" fold alike; so do two ways of typing the same Devanagari.
func FoldText(s string) string {
	return strings.Join(strings.Fields(cases.Fold().String(NormalizeText(bs.ASCIIDigits(s)))), " ")
}

// ScopeKey is the disaster a distribution is for, as compared for
// duplicates: the incident, or the type and date when none is linked.
func (d *Distribution) ScopeKey() string {
	if d.IncidentID != 0 {
		return "i:" + strconv.FormatInt(d.IncidentID, 10)
	}
	return "t:" + d.DisasterType + ":" + d.DisasterDate.String()
}

// DuplicateKey is unique among distributions: a household once per
// disaster. An overridden distribution has none ("").
func (d *Distribution) DuplicateKey() string {
	if d.OverrideReason != "" {
		return ""
	}
	return d.ScopeKey() + "|" + HouseholdKey(d.HouseholdID)
}

// SearchText is what a list search looks in.
func (d *Distribution) SearchText() string {
	parts := []string{d.HouseholdName, d.FatherName, d.HouseholdID, HouseholdKey(d.HouseholdID), HouseholdSearchKey(d.HouseholdID), d.Phone}
	for _, m := range d.Members {
		parts = append(parts, m.Name)
	}
	return FoldText(strings.Join(parts, " "))
}

// DistributionRules are the settings a distribution is checked against.
type DistributionRules struct {
	Types      []string
	Wards      []int
	Allowances []string
	// Units maps a relief item key to the units it may be given in (the
	// list's Nepali and English unit); the first is the default.
	Units map[string][]string
}

// WholeInput is a whole number as typed or sent: a JSON number or string
// (Devanagari digits accepted), checked by Apply so a bad number is a field
// error, not a failed request.
type WholeInput struct {
	Text string
	set  bool
}

// Whole makes a WholeInput from typed text.
func Whole(text string) WholeInput { return WholeInput{Text: text, set: strings.TrimSpace(text) != ""} }

// WholeOf makes a WholeInput from a number.
func WholeOf(n int64) WholeInput { return Whole(strconv.FormatInt(n, 10)) }

// UnmarshalJSON keeps what was sent.
func (w *WholeInput) UnmarshalJSON(b []byte) error {
	text, literal, null, err := jsonNumberText(b, reflect.TypeFor[WholeInput]())
	switch {
	case err != nil:
		return err
	case null:
		*w = WholeInput{}
	case literal:
		*w = WholeInput{Text: text, set: true}
	default:
		*w = Whole(text)
	}
	return nil
}

// MarshalJSON writes the number back (used by tests building input).
func (w WholeInput) MarshalJSON() ([]byte, error) {
	if !w.set {
		return []byte("null"), nil
	}
	return json.Marshal(w.Text)
}

// check reads the number: required or 0 when not given, lo..hi.
func (w WholeInput) check(v *Validation, field string, required bool, lo, hi int64) int64 {
	t := strings.TrimSpace(bs.ASCIIDigits(w.Text))
	if t == "" {
		if required {
			v.Add(field, "field.required")
		}
		return 0
	}
	if strings.HasPrefix(t, "-") {
		v.Add(field, "field.negative")
		return 0
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		v.Add(field, "number.too_large", Grouped(hi))
		return 0
	}
	if err != nil {
		v.Add(field, "distribution.whole_number")
		return 0
	}
	if n > hi && lo <= hi {
		v.Add(field, "number.too_large", Grouped(hi))
		return 0
	}
	if n < lo || n > hi {
		v.Add(field, "distribution.range", lo, hi)
		return 0
	}
	return n
}

// MemberInput, HarmInput and ItemInput are the rows as sent.
type (
	MemberInput struct {
		Name     string     `json:"name"`
		Relation string     `json:"relation"`
		Age      WholeInput `json:"age"`
		Sex      string     `json:"sex"`
	}
	HarmInput struct {
		Member   string `json:"member"`
		Harm     string `json:"harm"`
		Severity string `json:"severity"`
	}
	ItemInput struct {
		Item     string     `json:"item"`
		Quantity WholeInput `json:"quantity"`
		Unit     string     `json:"unit"`
	}
)

// DistributionInput is what a person types or a script sends.
type DistributionInput struct {
	HouseholdName  string        `json:"household_name"`
	HouseholdID    string        `json:"household_id"`
	FatherName     string        `json:"father_name"`
	Phone          string        `json:"phone"`
	ReceivedBy     string        `json:"received_by"`
	IncidentID     *int64        `json:"incident_id"`
	DisasterType   string        `json:"disaster_type"`
	DisasterDateBS string        `json:"disaster_date_bs"`
	Ward           int           `json:"ward"`
	Tole           string        `json:"tole"`
	Place          string        `json:"place"`
	Latitude       *float64      `json:"latitude"`
	Longitude      *float64      `json:"longitude"`
	Shelter        string        `json:"shelter"`
	Members        []MemberInput `json:"members" form:"member"`
	Pregnant       WholeInput    `json:"pregnant"`
	InfantMothers  WholeInput    `json:"infant_mothers"`
	Deaths         WholeInput    `json:"deaths"`
	SSFEnrolled    bool          `json:"ssf_enrolled"`
	AllowanceType  string        `json:"allowance_type"`
	PovertyCard    bool          `json:"poverty_card"`
	Harms          []HarmInput   `json:"harms" form:"harm"`
	BankHolder     string        `json:"bank_account_holder"`
	BankAccount    string        `json:"bank_account_number"`
	BankName       string        `json:"bank_name"`
	Items          []ItemInput   `json:"items" form:"item"`
	WarehouseID    *int64        `json:"warehouse_id"`
	Cash           AmountInput   `json:"cash"`
	DateBS         string        `json:"date_bs"`
	Status         string        `json:"status"`
	Notes          string        `json:"notes"`
	OverrideReason string        `json:"override_reason"`
	Version        int           `json:"version"`
}

// Apply validates in and copies it onto d (new or loaded). The incident, when
// linked, is checked by the store (it must exist), which also copies its
// type and date; here it only has to be a positive id. Every problem is
// reported at once, with row fields named like "members[1].age".
func (in *DistributionInput) Apply(cal *bs.Calendar, rules DistributionRules, d *Distribution) error {
	var v Validation
	DistributionLimits.Text(&v, "household_name", &in.HouseholdName)
	DistributionLimits.Text(&v, "household_id", &in.HouseholdID)
	if !v.Has("household_id") && HouseholdKey(in.HouseholdID) == "" {
		v.Add("household_id", "field.required")
	}
	DistributionLimits.Text(&v, "father_name", &in.FatherName)
	DistributionLimits.Text(&v, "received_by", &in.ReceivedBy)
	in.Phone = strings.TrimSpace(bs.ASCIIDigits(in.Phone))
	DistributionLimits.Text(&v, "phone", &in.Phone)
	if in.Phone != "" && strings.Trim(in.Phone, "0123456789+- ") != "" {
		v.Add("phone", "distribution.phone_invalid")
	}
	d.IncidentID, d.DisasterType, d.DisasterDate = 0, "", bs.Date{}
	if in.IncidentID != nil && *in.IncidentID != 0 {
		if *in.IncidentID < 0 {
			v.Add("incident_id", "distribution.incident_unknown")
		}
		d.IncidentID = *in.IncidentID
	} else {
		in.DisasterType = strings.TrimSpace(in.DisasterType)
		CheckChoice(&v, "disaster_type", in.DisasterType, rules.Types)
		var dd Dated
		dd.SetDate(&v, cal, "disaster_date_bs", in.DisasterDateBS)
		d.DisasterType, d.DisasterDate = in.DisasterType, dd.DateBS
	}
	d.SetDate(&v, cal, "date_bs", in.DateBS)
	if !v.Has("date_bs") && !v.Has("disaster_date_bs") && d.IncidentID == 0 && d.DateBS.Before(d.DisasterDate) {
		v.Add("date_bs", "distribution.before_disaster")
	}
	switch {
	case in.Ward == 0:
		v.Add("ward", "field.required")
	case !slices.Contains(rules.Wards, in.Ward):
		v.Add("ward", "ward.unknown", in.Ward)
	}
	DistributionLimits.Text(&v, "tole", &in.Tole)
	DistributionLimits.Text(&v, "place", &in.Place)
	DistributionLimits.Text(&v, "shelter", &in.Shelter)
	d.Coords = checkCoordinates(&v, in.Latitude, in.Longitude)
	d.Members = in.checkMembers(&v)
	d.Pregnant = int(in.Pregnant.check(&v, "pregnant", false, 0, MaxHouseholdSize))
	d.InfantMothers = int(in.InfantMothers.check(&v, "infant_mothers", false, 0, MaxHouseholdSize))
	d.Deaths = int(in.Deaths.check(&v, "deaths", false, 0, MaxHouseholdSize))
	in.AllowanceType = strings.TrimSpace(in.AllowanceType)
	if in.AllowanceType != "" {
		CheckChoice(&v, "allowance_type", in.AllowanceType, rules.Allowances)
	}
	d.Harms = in.checkHarms(&v)
	DistributionLimits.Text(&v, "bank_account_holder", &in.BankHolder)
	DistributionLimits.Text(&v, "bank_account_number", &in.BankAccount)
	DistributionLimits.Text(&v, "bank_name", &in.BankName)
	d.Items = in.checkItems(&v, rules)
	d.WarehouseID = 0
	if in.WarehouseID != nil && *in.WarehouseID != 0 {
		if *in.WarehouseID < 0 {
			v.Add("warehouse_id", "stock.warehouse_unknown")
		}
		d.WarehouseID = *in.WarehouseID
	}
	d.Cash = in.Cash.check(&v, "cash", MaxCash)
	in.Status = strings.TrimSpace(in.Status)
	if in.Status == "" {
		in.Status = "distributed"
	}
	CheckChoice(&v, "status", in.Status, DistributionStatuses)
	DistributionLimits.Text(&v, "notes", &in.Notes)
	DistributionLimits.Text(&v, "override_reason", &in.OverrideReason)
	d.HouseholdName, d.HouseholdID, d.FatherName, d.Phone = in.HouseholdName, in.HouseholdID, in.FatherName, in.Phone
	d.ReceivedBy = in.ReceivedBy
	d.Ward, d.Tole, d.Place, d.Shelter = in.Ward, in.Tole, in.Place, in.Shelter
	d.SSFEnrolled, d.AllowanceType, d.PovertyCard = in.SSFEnrolled, in.AllowanceType, in.PovertyCard
	d.BankHolder, d.BankAccount, d.BankName = in.BankHolder, in.BankAccount, in.BankName
	d.Status, d.Notes, d.OverrideReason = in.Status, in.Notes, in.OverrideReason
	return v.Err()
}

// DistributionLimits are a distribution's field limits: the texts' lengths
// and what the form says of a value that does not parse.
var DistributionLimits = Limits{
	"household_name": {Required: true, MaxLen: 200}, "household_id": {Required: true, MaxLen: 60}, "father_name": {MaxLen: 200},
	"received_by": {MaxLen: 200}, "phone": {MaxLen: 30}, "date_bs": {Required: true}, "tole": {MaxLen: 200}, "place": {MaxLen: 200},
	"shelter": {MaxLen: 200}, "bank_account_holder": {MaxLen: 200}, "bank_account_number": {MaxLen: 40}, "bank_name": {MaxLen: 200},
	"notes": {MaxLen: 4000}, "override_reason": {MaxLen: 500},
	"ward": {Invalid: "field.choice"}, "incident_id": {Invalid: "distribution.incident_unknown"},
	"latitude": {Invalid: "incident.coordinate_invalid"}, "longitude": {Invalid: "incident.coordinate_invalid"},
}

// Input is the distribution as its form takes it, to edit it: an incident
// linked or the disaster typed, zero counts and cash left empty.
func (d *Distribution) Input() DistributionInput {
	in := DistributionInput{HouseholdName: d.HouseholdName, HouseholdID: d.HouseholdID, FatherName: d.FatherName, Phone: d.Phone,
		ReceivedBy: d.ReceivedBy, DateBS: d.DateBS.String(), Ward: d.Ward, Tole: d.Tole, Place: d.Place, Shelter: d.Shelter,
		Pregnant: wholeOrEmpty(d.Pregnant), InfantMothers: wholeOrEmpty(d.InfantMothers), Deaths: wholeOrEmpty(d.Deaths),
		SSFEnrolled: d.SSFEnrolled, AllowanceType: d.AllowanceType, PovertyCard: d.PovertyCard, BankHolder: d.BankHolder,
		BankAccount: d.BankAccount, BankName: d.BankName, Status: d.Status, Notes: d.Notes, OverrideReason: d.OverrideReason,
		Version: d.Version}
	if d.IncidentID != 0 {
		in.IncidentID = &d.IncidentID
	} else {
		in.DisasterType, in.DisasterDateBS = d.DisasterType, d.DisasterDate.String()
	}
	if d.Coords != nil {
		in.Latitude, in.Longitude = &d.Coords.Latitude, &d.Coords.Longitude
	}
	if d.WarehouseID != 0 {
		in.WarehouseID = &d.WarehouseID
	}
	if d.Cash != 0 {
		in.Cash = Amount(d.Cash.String())
	}
	for _, m := range d.Members {
		in.Members = append(in.Members, MemberInput{Name: m.Name, Relation: m.Relation, Age: WholeOf(int64(m.Age)), Sex: m.Sex})
	}
	for _, h := range d.Harms {
		in.Harms = append(in.Harms, HarmInput(h))
	}
	for _, it := range d.Items {
		in.Items = append(in.Items, ItemInput{Item: it.Item, Quantity: WholeOf(it.Quantity), Unit: it.Unit})
	}
	return in
}

func wholeOrEmpty(n int) WholeInput {
	if n == 0 {
		return WholeInput{}
	}
	return WholeOf(int64(n))
}

func row(list string, i int, field string) string { return fmt.Sprintf("%s[%d].%s", list, i, field) }

func (in *DistributionInput) checkMembers(v *Validation) []Member {
	if len(in.Members) > MaxMembers {
		v.Add("members", "distribution.too_many_rows", MaxMembers)
		return nil
	}
	out := make([]Member, 0, len(in.Members))
	for i := range in.Members {
		m := &in.Members[i]
		CheckText(v, row("members", i, "name"), &m.Name, true, 200)
		CheckText(v, row("members", i, "relation"), &m.Relation, false, 100)
		age := m.Age.check(v, row("members", i, "age"), true, 0, 130)
		m.Sex = strings.TrimSpace(m.Sex)
		CheckChoice(v, row("members", i, "sex"), m.Sex, Sexes)
		out = append(out, Member{Name: m.Name, Relation: m.Relation, Age: int(age), Sex: m.Sex})
	}
	return out
}

func (in *DistributionInput) checkHarms(v *Validation) []Harm {
	if len(in.Harms) > MaxHarms {
		v.Add("harms", "distribution.too_many_rows", MaxHarms)
		return nil
	}
	out := make([]Harm, 0, len(in.Harms))
	for i := range in.Harms {
		h := &in.Harms[i]
		CheckText(v, row("harms", i, "member"), &h.Member, true, 200)
		CheckText(v, row("harms", i, "harm"), &h.Harm, true, 500)
		h.Severity = strings.TrimSpace(h.Severity)
		CheckChoice(v, row("harms", i, "severity"), h.Severity, HarmSeverities)
		out = append(out, Harm{Member: h.Member, Harm: h.Harm, Severity: h.Severity})
	}
	return out
}

func (in *DistributionInput) checkItems(v *Validation, rules DistributionRules) []ReliefItem {
	if len(in.Items) > MaxItems {
		v.Add("items", "distribution.too_many_rows", MaxItems)
		return nil
	}
	out := make([]ReliefItem, 0, len(in.Items))
	seen := map[string]bool{}
	for i := range in.Items {
		it := &in.Items[i]
		it.Item = strings.TrimSpace(it.Item)
		units, known := rules.Units[it.Item]
		switch {
		case it.Item == "":
			v.Add(row("items", i, "item"), "field.required")
		case !known:
			v.Add(row("items", i, "item"), "field.choice")
		case seen[it.Item]:
			v.Add(row("items", i, "item"), "distribution.item_twice")
		}
		seen[it.Item] = true
		q := it.Quantity.check(v, row("items", i, "quantity"), true, 1, MaxItemQuantity)
		it.Unit = NormalizeText(strings.TrimSpace(it.Unit))
		if known && len(units) > 0 {
			if it.Unit == "" {
				it.Unit = units[0]
			} else if !slices.Contains(units, it.Unit) {
				v.Add(row("items", i, "unit"), "distribution.unit_mismatch", strings.Join(units, ", "))
			}
		}
		out = append(out, ReliefItem{Item: it.Item, Quantity: q, Unit: it.Unit})
	}
	return out
}

// Fields is the audit view of a distribution.
func (d *Distribution) Fields() map[string]any {
	m := map[string]any{
		"household_name": d.HouseholdName, "household_id": d.HouseholdID, "father_name": d.FatherName, "phone": d.Phone,
		"received_by": d.ReceivedBy,
		"incident_id": d.IncidentID, "disaster_type": d.DisasterType, "disaster_date_bs": d.DisasterDate.String(),
		"date_bs": d.DateBS.String(), "ward": d.Ward, "tole": d.Tole, "place": d.Place, "shelter": d.Shelter,
		"members": d.Members, "pregnant": d.Pregnant, "infant_mothers": d.InfantMothers, "deaths": d.Deaths,
		"ssf_enrolled": d.SSFEnrolled, "allowance_type": d.AllowanceType, "poverty_card": d.PovertyCard, "harms": d.Harms,
		"bank_account_holder": d.BankHolder, "bank_account_number": d.BankAccount, "bank_name": d.BankName,
		"items": d.Items, "warehouse_id": d.WarehouseID, "cash": d.Cash.String(), "status": d.Status, "notes": d.Notes, "override_reason": d.OverrideReason,
		"latitude": nil, "longitude": nil,
	}
	if d.Coords != nil {
		m["latitude"], m["longitude"] = d.Coords.Latitude, d.Coords.Longitude
	}
	return m
}
