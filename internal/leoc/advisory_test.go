package leoc

import (
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
)

func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	if e, ok := AsError(err); ok {
		for k, m := range e.Fields {
			out[k] = m.Key
		}
	}
	return out
}

func TestAdvisoryInputAPI(t *testing.T) {
	cal := bs.Default()
	a := &Advisory{Active: true}
	in := AdvisoryInput{Title: "  भारी वर्षा  ", Content: "x", Type: "weather", ValidFrom: "2026-01-29T06:00:30.9+05:45"}
	if err := in.Apply(cal, a); err != nil {
		t.Fatal(err)
	}
	if a.Title != "भारी वर्षा" || a.Priority != "normal" || !a.Active || !a.OpenEnded() ||
		a.ValidFrom != time.Date(2026, 1, 29, 0, 15, 30, 0, time.UTC) {
		t.Fatalf("applied %+v", a)
	}
	inactive := false
	in = AdvisoryInput{Title: strings.Repeat("क", AdvisoryTitleMax+1), Type: "party", Priority: "urgent", Active: &inactive,
		ValidFrom: "2026-01-29T06:00:00+05:45", ValidUntil: "2026-01-29T00:15:00Z"}
	got := fieldKeys(in.Apply(cal, a))
	want := map[string]string{"title": "field.too_long", "content": "field.required", "type": "field.choice", "priority": "field.choice",
		"valid_until": "advisory.until_before_from"}
	if len(got) != len(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	in = AdvisoryInput{Title: "t", Content: "c", Type: "general", ValidFrom: "29 Jan 2026", ValidUntil: "2026-01-29"}
	if got := fieldKeys(in.Apply(cal, a)); got["valid_from"] != "advisory.instant_invalid" || got["valid_until"] != "advisory.instant_invalid" {
		t.Errorf("bad instants: %v", got)
	}
	in = AdvisoryInput{Title: "t", Content: "c", Type: "general", ValidFrom: "1900-01-01T00:00:00Z"}
	if got := fieldKeys(in.Apply(cal, a)); got["valid_from"] != "date.out_of_range" {
		t.Errorf("instant outside the calendar: %v", got)
	}
	if got := fieldKeys((&AdvisoryInput{Title: "t", Content: "c", Type: "general"}).Apply(cal, a)); got["valid_from"] != "field.required" {
		t.Errorf("no valid_from: %v", got)
	}
}

func TestAdvisoryInputForm(t *testing.T) {
	cal := bs.Default()
	a := &Advisory{}
	active := true
	in := AdvisoryInput{Title: "t", Content: "c", Type: "safety", Priority: "critical", Active: &active,
		Form: &ValidityForm{FromDate: "२०८२-१०-१५", FromTime: "६:००", UntilDate: "2082-10-16"}}
	if err := in.Apply(cal, a); err != nil {
		t.Fatal(err)
	}
	// 15 Magh 2082 is 29 January 2026; 06:00 in Nepal is 00:15 UTC; an end
	// without a time is 23:59 that day.
	if a.ValidFrom != time.Date(2026, 1, 29, 0, 15, 0, 0, time.UTC) || a.ValidUntil != time.Date(2026, 1, 30, 18, 14, 0, 0, time.UTC) {
		t.Fatalf("validity %v – %v", a.ValidFrom, a.ValidUntil)
	}
	in.Form = &ValidityForm{FromDate: "2082-10-15", FromTime: "10:00", UntilDate: "2082-10-15", UntilTime: "09:00"}
	if got := fieldKeys(in.Apply(cal, a)); got["valid_until_bs"] != "advisory.until_before_from" {
		t.Errorf("until before from: %v", got)
	}
	in.Form = &ValidityForm{FromDate: "2082-13-01", FromTime: "25:00", UntilTime: "10:00"}
	got := fieldKeys(in.Apply(cal, a))
	if got["valid_from_bs"] != "date.invalid" || got["valid_from_time"] != "time.invalid" || got["valid_until_bs"] != "advisory.date_required" {
		t.Errorf("bad form validity: %v", got)
	}
}

func TestAdvisoryCurrentAt(t *testing.T) {
	from := time.Date(2026, 1, 29, 0, 0, 0, 0, time.UTC)
	a := &Advisory{Active: true, ValidFrom: from, ValidUntil: from.Add(time.Hour)}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{from.Add(-time.Second), false}, {from, true}, {from.Add(59 * time.Minute), true}, {from.Add(time.Hour), false}} {
		if got := a.CurrentAt(c.at); got != c.want {
			t.Errorf("CurrentAt(%v) = %v", c.at, got)
		}
	}
	a.ValidUntil = time.Time{}
	if !a.CurrentAt(from.AddDate(10, 0, 0)) {
		t.Error("open-ended advisory ended")
	}
	a.Active = false
	if a.CurrentAt(from) {
		t.Error("inactive advisory is current")
	}
	if PriorityRank("critical") != 4 || PriorityRank("low") != 1 || PriorityRank("x") != 0 {
		t.Error("priority ranks")
	}
}

func TestSituationReportInput(t *testing.T) {
	cal := bs.Default()
	r := &SituationReport{}
	in := SitrepFields{DateBS: "2082-10-15", Time: "18:00", Summary: "s", NextUpdateBS: "२०८२-१०-१६", NextUpdateTime: "8:00"}
	if err := in.Apply(cal, r); err != nil {
		t.Fatal(err)
	}
	if r.NextUpdate.DateBS.String() != "2082-10-16" || r.NextUpdate.Time != "08:00" {
		t.Fatalf("next update %+v", r.NextUpdate)
	}
	for _, c := range []struct {
		in   SitrepFields
		want map[string]string
	}{
		{SitrepFields{}, map[string]string{"date_bs": "field.required", "summary": "field.required"}},
		{SitrepFields{DateBS: "2082-10-15", Summary: "s", NextUpdateTime: "08:00"}, map[string]string{"next_update_bs": "sitrep.next_update_date_required"}},
		{SitrepFields{DateBS: "2082-10-15", Summary: "s", NextUpdateBS: "2082-10-14"}, map[string]string{"next_update_bs": "sitrep.next_update_before"}},
		{SitrepFields{DateBS: "2082-10-15", Time: "18:00", Summary: "s", NextUpdateBS: "2082-10-15", NextUpdateTime: "18:00"}, map[string]string{"next_update_bs": "sitrep.next_update_before"}},
		{SitrepFields{DateBS: "2082-10-15", Summary: "s", Weather: strings.Repeat("x", SitrepLimits["weather"].MaxLen+1), NextUpdateBS: "2082-02-40"}, map[string]string{"weather": "field.too_long", "next_update_bs": "date.invalid"}},
	} {
		got := fieldKeys(c.in.Apply(cal, &SituationReport{}))
		if len(got) != len(c.want) {
			t.Errorf("%+v: %v, want %v", c.in, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%+v: %s = %q, want %q", c.in, k, got[k], v)
			}
		}
	}
	// The same day with an unknown time is not "before".
	ok := SitrepFields{DateBS: "2082-10-15", Time: "18:00", Summary: "s", NextUpdateBS: "2082-10-15"}
	if err := ok.Apply(cal, &SituationReport{}); err != nil {
		t.Errorf("same day, no time: %v", err)
	}
}
