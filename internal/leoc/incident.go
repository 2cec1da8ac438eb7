package leoc

import (
	"errors"
	"reflect"
	"slices"
	"strings"

	"leoc/internal/bs"
)

// Incident is one disaster event (विपद् घटना) with its loss and damage: the
// figures the district and province ask for, by ward and type.
type Incident struct {
	Record
	Dated
	Time        string // "HH:MM", optional
	Type        string // key of the disaster_type list
	Ward        int
	Tole        string
	Coords      *Coordinates // nil when not known
	Description string
	// Counts are the people, houses and animals affected, indexed by
	// IncidentCount. They are never negative.
	Counts            [NumIncidentCounts]int64
	AgricultureDamage string
	Flags             [NumIncidentFlags]bool // infrastructure disrupted, by IncidentFlag
	EstimatedLoss     Money
	RescueOperations  string
}

// Coordinates is a WGS84 position.
type Coordinates struct {
	Latitude  float64
	Longitude float64
}

// IncidentCount names one count of an incident. The figures are kept in an
// array rather than 25 named fields so that storage, statistics, exports and
// forms walk one list and cannot forget a figure.
type IncidentCount int

// The counts, in the order of forms, exports and statistics. Their names
// (IncidentCount.Name) are the JSON fields and database columns.
const (
	Deaths IncidentCount = iota
	DeathsMale
	DeathsFemale
	Missing
	MissingMale
	MissingFemale
	Injured
	InjuredMale
	InjuredFemale
	AffectedPeople
	AffectedPeopleMale
	AffectedPeopleFemale
	AffectedHouseholds
	HousesDamaged   // partly damaged (आंशिक क्षति)
	HousesDestroyed // fully destroyed (पूर्ण क्षति)
	PublicBuildingsDamaged
	PublicBuildingsDestroyed
	LivestockLostCattle
	LivestockLostGoatsSheep
	LivestockLostPoultry
	LivestockLostOther
	LivestockInjuredCattle
	LivestockInjuredGoatsSheep
	LivestockInjuredPoultry
	LivestockInjuredOther
	NumIncidentCounts
)

var incidentCountNames = [NumIncidentCounts]string{
	"deaths", "deaths_male", "deaths_female",
	"missing", "missing_male", "missing_female",
	"injured", "injured_male", "injured_female",
	"affected_people", "affected_people_male", "affected_people_female",
	"affected_households",
	"houses_damaged", "houses_destroyed", "public_buildings_damaged", "public_buildings_destroyed",
	"livestock_lost_cattle", "livestock_lost_goats_sheep", "livestock_lost_poultry", "livestock_lost_other",
	"livestock_injured_cattle", "livestock_injured_goats_sheep", "livestock_injured_poultry", "livestock_injured_other",
}

// Name is the count's JSON field and column name, e.g. "deaths_male".
func (c IncidentCount) Name() string { return incidentCountNames[c] }

// IncidentCountNames lists every count's name in order.
func IncidentCountNames() []string { return slices.Clone(incidentCountNames[:]) }

// IncidentSplits are the counts kept by sex: total, male, female. When only
// the split is given the total is its sum; a given total must not be less.
var IncidentSplits = [][3]IncidentCount{
	{Deaths, DeathsMale, DeathsFemale},
	{Missing, MissingMale, MissingFemale},
	{Injured, InjuredMale, InjuredFemale},
	{AffectedPeople, AffectedPeopleMale, AffectedPeopleFemale},
}

// LivestockKinds are the kinds of animal counted, as in the field names.
var LivestockKinds = []string{"cattle", "goats_sheep", "poultry", "other"}

// IncidentFlag names one kind of infrastructure disruption.
type IncidentFlag int

const (
	RoadBlocked IncidentFlag = iota
	ElectricityCut
	CommunicationCut
	WaterDisrupted // drinking water
	NumIncidentFlags
)

var incidentFlagNames = [NumIncidentFlags]string{"road_blocked", "electricity_cut", "communication_cut", "water_disrupted"}

// Name is the flag's JSON field and column name.
func (f IncidentFlag) Name() string { return incidentFlagNames[f] }

// IncidentFlagNames lists every flag's name in order.
func IncidentFlagNames() []string { return slices.Clone(incidentFlagNames[:]) }

// Limits of what one incident can plausibly hold. They also keep sums over
// hundreds of thousands of incidents far inside int64.
const (
	MaxIncidentCount = 10_000_000
	MaxIncidentLoss  = Money(100_000_000_000 * 100) // 10 arab rupees
)

// Count returns a count by name (for templates); 0 for an unknown name.
func (inc *Incident) Count(name string) int64 {
	if i := slices.Index(incidentCountNames[:], name); i >= 0 {
		return inc.Counts[i]
	}
	return 0
}

// Flag returns a flag by name (for templates).
func (inc *Incident) Flag(name string) bool {
	if i := slices.Index(incidentFlagNames[:], name); i >= 0 {
		return inc.Flags[i]
	}
	return false
}

// IncidentRules are the settings an incident is checked against: the
// disaster types and wards configured for this municipality.
type IncidentRules struct {
	Types []string
	Wards []int
	// Plausibility is what figures are checked against before saving (warnings, not refusals).
	Plausibility Plausibility
}

// IncidentLimits are an incident's field limits (the figures have theirs in
// MaxIncidentCount and MaxIncidentLoss).
var IncidentLimits = Limits{
	"date_bs": {Required: true}, "type": {Required: true}, "ward": {Required: true, Invalid: "field.choice"}, "tole": {MaxLen: 200},
	"description": {MaxLen: 4000}, "agriculture_damage": {MaxLen: 1000}, "rescue_operations": {MaxLen: 4000},
	"latitude": {Invalid: "incident.coordinate_invalid"}, "longitude": {Invalid: "incident.coordinate_invalid"},
}

// IncidentInput is what a person types or a script sends. Counts are
// pointers so that "not given" differs from 0: a total left out is the sum
// of its split.
type IncidentInput struct {
	DateBS      string   `json:"date_bs"`
	Time        string   `json:"time"`
	Type        string   `json:"type"`
	Ward        int      `json:"ward"`
	Tole        string   `json:"tole"`
	Latitude    *float64 `json:"latitude"`
	Longitude   *float64 `json:"longitude"`
	Description string   `json:"description"`

	Deaths                     *int64 `json:"deaths"`
	DeathsMale                 *int64 `json:"deaths_male"`
	DeathsFemale               *int64 `json:"deaths_female"`
	Missing                    *int64 `json:"missing"`
	MissingMale                *int64 `json:"missing_male"`
	MissingFemale              *int64 `json:"missing_female"`
	Injured                    *int64 `json:"injured"`
	InjuredMale                *int64 `json:"injured_male"`
	InjuredFemale              *int64 `json:"injured_female"`
	AffectedPeople             *int64 `json:"affected_people"`
	AffectedPeopleMale         *int64 `json:"affected_people_male"`
	AffectedPeopleFemale       *int64 `json:"affected_people_female"`
	AffectedHouseholds         *int64 `json:"affected_households"`
	HousesDamaged              *int64 `json:"houses_damaged"`
	HousesDestroyed            *int64 `json:"houses_destroyed"`
	PublicBuildingsDamaged     *int64 `json:"public_buildings_damaged"`
	PublicBuildingsDestroyed   *int64 `json:"public_buildings_destroyed"`
	LivestockLostCattle        *int64 `json:"livestock_lost_cattle"`
	LivestockLostGoatsSheep    *int64 `json:"livestock_lost_goats_sheep"`
	LivestockLostPoultry       *int64 `json:"livestock_lost_poultry"`
	LivestockLostOther         *int64 `json:"livestock_lost_other"`
	LivestockInjuredCattle     *int64 `json:"livestock_injured_cattle"`
	LivestockInjuredGoatsSheep *int64 `json:"livestock_injured_goats_sheep"`
	LivestockInjuredPoultry    *int64 `json:"livestock_injured_poultry"`
	LivestockInjuredOther      *int64 `json:"livestock_injured_other"`

	AgricultureDamage string      `json:"agriculture_damage"`
	RoadBlocked       bool        `json:"road_blocked"`
	ElectricityCut    bool        `json:"electricity_cut"`
	CommunicationCut  bool        `json:"communication_cut"`
	WaterDisrupted    bool        `json:"water_disrupted"`
	EstimatedLoss     AmountInput `json:"estimated_loss"`
	RescueOperations  string      `json:"rescue_operations"`
	Version           int         `json:"version"`
}

// CountFields returns the count fields in IncidentCount order, so forms and
// tests can fill them by name.
func (in *IncidentInput) CountFields() [NumIncidentCounts]**int64 {
	return [NumIncidentCounts]**int64{
		&in.Deaths, &in.DeathsMale, &in.DeathsFemale,
		&in.Missing, &in.MissingMale, &in.MissingFemale,
		&in.Injured, &in.InjuredMale, &in.InjuredFemale,
		&in.AffectedPeople, &in.AffectedPeopleMale, &in.AffectedPeopleFemale,
		&in.AffectedHouseholds,
		&in.HousesDamaged, &in.HousesDestroyed, &in.PublicBuildingsDamaged, &in.PublicBuildingsDestroyed,
		&in.LivestockLostCattle, &in.LivestockLostGoatsSheep, &in.LivestockLostPoultry, &in.LivestockLostOther,
		&in.LivestockInjuredCattle, &in.LivestockInjuredGoatsSheep, &in.LivestockInjuredPoultry, &in.LivestockInjuredOther,
	}
}

// FlagFields returns the flag fields in IncidentFlag order.
func (in *IncidentInput) FlagFields() [NumIncidentFlags]*bool {
	return [NumIncidentFlags]*bool{&in.RoadBlocked, &in.ElectricityCut, &in.CommunicationCut, &in.WaterDisrupted}
}

// Apply validates in against the calendar and the municipality's settings
// and copies it onto inc (a new or a loaded incident). Every problem is
// reported at once, per field.
func (in *IncidentInput) Apply(cal *bs.Calendar, rules IncidentRules, inc *Incident) error {
	var v Validation
	inc.SetDate(&v, cal, "date_bs", in.DateBS)
	inc.Time = CheckTime(&v, "time", in.Time)
	in.Type = strings.TrimSpace(in.Type)
	CheckChoice(&v, "type", in.Type, rules.Types)
	switch {
	case in.Ward == 0:
		v.Add("ward", "field.required")
	case !slices.Contains(rules.Wards, in.Ward):
		v.Add("ward", "ward.unknown", in.Ward)
	}
	for _, f := range []struct {
		name string
		s    *string
	}{{"tole", &in.Tole}, {"description", &in.Description}, {"agriculture_damage", &in.AgricultureDamage}, {"rescue_operations", &in.RescueOperations}} {
		IncidentLimits.Text(&v, f.name, f.s)
	}
	inc.Coords = checkCoordinates(&v, in.Latitude, in.Longitude)
	inc.Counts = checkCounts(&v, in.CountFields())
	for i, f := range in.FlagFields() {
		inc.Flags[i] = *f
	}
	inc.EstimatedLoss = in.EstimatedLoss.check(&v, "estimated_loss", MaxIncidentLoss)
	inc.Type, inc.Ward, inc.Tole, inc.Description = in.Type, in.Ward, in.Tole, in.Description
	inc.AgricultureDamage, inc.RescueOperations = in.AgricultureDamage, in.RescueOperations
	return v.Err()
}

// Input is the IncidentInput that gives inc again: it fills the edit form.
// Every figure is given, so a zero shows as 0.
func (inc *Incident) Input() IncidentInput {
	in := IncidentInput{DateBS: inc.DateBS.String(), Time: inc.Time, Type: inc.Type, Ward: inc.Ward, Tole: inc.Tole,
		Description: inc.Description, AgricultureDamage: inc.AgricultureDamage, RescueOperations: inc.RescueOperations,
		Version: inc.Version}
	in.Latitude, in.Longitude = inc.Coords.pointers()
	for i, dst := range in.CountFields() {
		n := inc.Counts[i]
		*dst = &n
	}
	for i, dst := range in.FlagFields() {
		*dst = inc.Flags[i]
	}
	if inc.EstimatedLoss != 0 {
		in.EstimatedLoss = Amount(inc.EstimatedLoss.String())
	}
	return in
}

// pointers are the coordinates as an Input holds them (nil, nil when not
// known).
func (c *Coordinates) pointers() (lat, lon *float64) {
	if c == nil {
		return nil, nil
	}
	la, lo := c.Latitude, c.Longitude
	return &la, &lo
}

func checkCoordinates(v *Validation, lat, lon *float64) *Coordinates {
	switch {
	case lat == nil && lon == nil:
		return nil
	case lat == nil:
		v.Add("latitude", "incident.coords_pair")
		return nil
	case lon == nil:
		v.Add("longitude", "incident.coords_pair")
		return nil
	}
	// NaN fails every comparison, so it is refused by the negated ranges.
	v.Check(*lat >= -90 && *lat <= 90, "latitude", "incident.latitude_range")
	v.Check(*lon >= -180 && *lon <= 180, "longitude", "incident.longitude_range")
	return &Coordinates{Latitude: *lat, Longitude: *lon}
}

func checkCounts(v *Validation, fields [NumIncidentCounts]**int64) [NumIncidentCounts]int64 {
	var out [NumIncidentCounts]int64
	for i, p := range fields {
		if *p == nil {
			continue
		}
		n, name := **p, IncidentCount(i).Name()
		switch {
		case n < 0:
			v.Add(name, "field.negative")
		case n > MaxIncidentCount:
			v.Add(name, "incident.count_too_large", Grouped(MaxIncidentCount))
		default:
			out[i] = n
		}
	}
	for _, s := range IncidentSplits {
		total, male, female := s[0], s[1], s[2]
		if v.Has(male.Name()) || v.Has(female.Name()) {
			continue
		}
		sum := out[male] + out[female]
		if *fields[total] == nil {
			out[total] = sum
			continue
		}
		v.Check(out[total] >= sum, total.Name(), "incident.total_below_split", sum)
	}
	return out
}

// Fields is the audit view of an incident.
func (inc *Incident) Fields() map[string]any {
	m := map[string]any{
		"date_bs": inc.DateBS.String(), "time": inc.Time, "type": inc.Type, "ward": inc.Ward, "tole": inc.Tole,
		"description": inc.Description, "agriculture_damage": inc.AgricultureDamage, "estimated_loss": inc.EstimatedLoss.String(),
		"rescue_operations": inc.RescueOperations, "latitude": nil, "longitude": nil,
	}
	if inc.Coords != nil {
		m["latitude"], m["longitude"] = inc.Coords.Latitude, inc.Coords.Longitude
	}
	for i, n := range inc.Counts {
		m[IncidentCount(i).Name()] = n
	}
	for i, f := range inc.Flags {
		m[IncidentFlag(i).Name()] = f
	}
	return m
}

// AmountInput is an amount of rupees as typed or sent, checked by Apply so
// that a bad amount is a field error like any other (Money's own decoder
// would fail the whole request). JSON accepts a decimal string, a whole
// number of rupees or null; a number with a fraction is refused because a
// float may already have rounded it.
type AmountInput struct {
	Text string
	bad  bool
}

// Amount makes an AmountInput from typed text.
func Amount(text string) AmountInput { return AmountInput{Text: text} }

// UnmarshalJSON keeps what was sent for Apply to check.
func (a *AmountInput) UnmarshalJSON(b []byte) error {
	text, literal, _, err := jsonNumberText(b, reflect.TypeFor[AmountInput]())
	// A JSON number is whole rupees: a fraction or an exponent would have
	// been read through a float by any other client, so it is refused.
	*a = AmountInput{Text: text, bad: literal && strings.ContainsAny(text, ".eE")}
	return err
}

func (a AmountInput) check(v *Validation, field string, limit Money) Money {
	if strings.TrimSpace(a.Text) == "" {
		return 0
	}
	if strings.HasPrefix(strings.TrimSpace(a.Text), "-") {
		v.Add(field, "field.negative")
		return 0
	}
	if a.bad {
		v.Add(field, "incident.amount_invalid")
		return 0
	}
	m, err := ParseMoney(a.Text)
	switch {
	case errors.Is(err, ErrMoneyDecimals):
		v.Add(field, "money.two_decimals")
	case errors.Is(err, ErrMoneyGrouping):
		v.Add(field, "money.grouping")
	case errors.Is(err, ErrMoneySign):
		v.Add(field, "money.sign")
	case errors.Is(err, ErrMoneyTooLarge) || (err == nil && m > limit):
		v.Add(field, "incident.amount_too_large", Grouped(int64(limit/100)))
	case err != nil:
		v.Add(field, "incident.amount_invalid")
	default:
		return m
	}
	return 0
}
