package leoc

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/must"
)

var testRules = IncidentRules{Types: []string{"flood", "landslide"}, Wards: []int{1, 2, 3}}

func num(n int64) *int64 { return &n }

func TestIncidentFieldListsAgree(t *testing.T) {
	var in IncidentInput
	b := must.Get(json.Marshal(&in))(t)
	var m map[string]any
	must.OK(t, json.Unmarshal(b, &m))
	for i, p := range in.CountFields() {
		if p == nil {
			t.Fatalf("count %d has no field", i)
		}
		*p = num(int64(i) + 1)
	}
	b = must.Get(json.Marshal(&in))(t)
	must.OK(t, json.Unmarshal(b, &m))
	for i, name := range IncidentCountNames() {
		if m[name] != float64(i+1) {
			t.Errorf("CountFields()[%d] is not the JSON field %s: %v", i, name, m[name])
		}
	}
	for i, name := range IncidentFlagNames() {
		*in.FlagFields()[i] = true
		b = must.Get(json.Marshal(&in))(t)
		must.OK(t, json.Unmarshal(b, &m))
		if m[name] != true {
			t.Errorf("FlagFields()[%d] is not %s", i, name)
		}
	}
	for _, s := range IncidentSplits {
		if s[1].Name() != s[0].Name()+"_male" || s[2].Name() != s[0].Name()+"_female" {
			t.Errorf("split %v", s)
		}
	}
}

func TestIncidentApply(t *testing.T) {
	valid := func() IncidentInput {
		return IncidentInput{DateBS: "२०८२-१०-१५", Type: "flood", Ward: 2}
	}
	for _, c := range []struct {
		name  string
		edit  func(*IncidentInput)
		bad   []string
		check func(*testing.T, *Incident)
	}{
		{name: "minimal", check: func(t *testing.T, inc *Incident) {
			if inc.FiscalYear.Label() != "2082/83" || inc.DateAD.Format("2006-01-02") != "2026-01-29" || inc.Coords != nil || inc.Counts != [NumIncidentCounts]int64{} {
				t.Errorf("%+v", inc)
			}
		}},
		{name: "split only: the total is the sum", edit: func(in *IncidentInput) { in.InjuredMale, in.InjuredFemale = num(2), num(3) },
			check: func(t *testing.T, inc *Incident) {
				if inc.Counts[Injured] != 5 || inc.Counts[InjuredMale] != 2 {
					t.Errorf("%v", inc.Counts)
				}
			}},
		{name: "total and part of the split", edit: func(in *IncidentInput) { in.Deaths, in.DeathsFemale = num(4), num(1) },
			check: func(t *testing.T, inc *Incident) {
				if inc.Counts[Deaths] != 4 || inc.Counts[DeathsMale] != 0 || inc.Counts[DeathsFemale] != 1 {
					t.Errorf("%v", inc.Counts)
				}
			}},
		{name: "total below the split", edit: func(in *IncidentInput) { in.Missing, in.MissingMale, in.MissingFemale = num(1), num(1), num(1) }, bad: []string{"missing"}},
		{name: "a zero total given with a split", edit: func(in *IncidentInput) { in.AffectedPeople, in.AffectedPeopleMale = num(0), num(3) }, bad: []string{"affected_people"}},
		{name: "negative split names the split", edit: func(in *IncidentInput) { in.InjuredMale = num(-1) }, bad: []string{"injured_male"}},
		{name: "too many", edit: func(in *IncidentInput) { in.HousesDamaged = num(MaxIncidentCount + 1) }, bad: []string{"houses_damaged"}},
		{name: "coordinates", edit: func(in *IncidentInput) {
			lat, lon := 29.45, 81.02
			in.Latitude, in.Longitude = &lat, &lon
		}, check: func(t *testing.T, inc *Incident) {
			if inc.Coords == nil || inc.Coords.Longitude != 81.02 {
				t.Errorf("%+v", inc.Coords)
			}
		}},
		{name: "only a latitude", edit: func(in *IncidentInput) { lat := 29.0; in.Latitude = &lat }, bad: []string{"longitude"}},
		{name: "NaN and out of range", edit: func(in *IncidentInput) {
			lat, lon := math.NaN(), 180.5
			in.Latitude, in.Longitude = &lat, &lon
		}, bad: []string{"latitude", "longitude"}},
		{name: "unknown type and ward", edit: func(in *IncidentInput) { in.Type, in.Ward = "tsunami", 9 }, bad: []string{"type", "ward"}},
		{name: "nothing", edit: func(in *IncidentInput) { *in = IncidentInput{} }, bad: []string{"date_bs", "type", "ward"}},
		{name: "text is trimmed and normalised", edit: func(in *IncidentInput) { in.Tole = "  खोली  " }, check: func(t *testing.T, inc *Incident) {
			if inc.Tole != "खोली" {
				t.Errorf("%q", inc.Tole)
			}
		}},
		{name: "long text", edit: func(in *IncidentInput) { in.AgricultureDamage = strings.Repeat("ब", 1001) }, bad: []string{"agriculture_damage"}},
		{name: "amount in Devanagari", edit: func(in *IncidentInput) { in.EstimatedLoss = Amount("रु १,२५,०००.५") }, check: func(t *testing.T, inc *Incident) {
			if inc.EstimatedLoss != 12500050 {
				t.Errorf("%v", inc.EstimatedLoss)
			}
		}},
		{name: "bad amount", edit: func(in *IncidentInput) { in.EstimatedLoss = Amount("12.345") }, bad: []string{"estimated_loss"}},
		{name: "huge amount", edit: func(in *IncidentInput) { in.EstimatedLoss = Amount("999999999999") }, bad: []string{"estimated_loss"}},
	} {
		in := valid()
		if c.edit != nil {
			c.edit(&in)
		}
		inc := &Incident{}
		err := in.Apply(bs.Default(), testRules, inc)
		e, _ := AsError(err)
		if len(c.bad) == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if c.check != nil {
				c.check(t, inc)
			}
			continue
		}
		if e == nil || e.Code != EInvalid || len(e.Fields) != len(c.bad) {
			t.Errorf("%s: %v, want problems with %v", c.name, err, c.bad)
			continue
		}
		for _, f := range c.bad {
			if _, ok := e.Fields[f]; !ok {
				t.Errorf("%s: no problem with %s: %v", c.name, f, e.Fields)
			}
		}
	}
}

func TestAmountInputJSON(t *testing.T) {
	for body, want := range map[string]string{
		`{"estimated_loss":"4500.50"}`: "4500.50", `{"estimated_loss":4500}`: "4500.00", `{"estimated_loss":null}`: "0.00", `{}`: "0.00",
		`{"estimated_loss":4500.5}`: "bad", `{"estimated_loss":"abc"}`: "bad", `{"estimated_loss":-3}`: "bad", `{"estimated_loss":true}`: "decode",
	} {
		var in IncidentInput
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			if want != "decode" {
				t.Errorf("%s: %v", body, err)
			}
			continue
		}
		var v Validation
		got := in.EstimatedLoss.check(&v, "estimated_loss", MaxIncidentLoss).String()
		if v.Has("estimated_loss") {
			got = "bad"
		}
		if got != want {
			t.Errorf("%s: %s, want %s", body, got, want)
		}
	}
}
