package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/report"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got, as indented JSON, with testdata/name.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from what was computed:\n%s", path, b)
	}
}

// view is what a golden file pins: everything the bulletin prints, none of
// the records' bookkeeping.
func view(b *report.Bulletin) map[string]any {
	type row struct {
		Key     string
		Figures report.Figures
	}
	var wards, types []row
	for _, w := range b.Wards {
		wards = append(wards, row{Key: w.NameNe, Figures: w.Figures})
	}
	for _, ty := range b.Types {
		types = append(types, row{Key: ty.Key + " " + ty.LabelNe, Figures: ty.Figures})
	}
	var logs, advisories []string
	for _, e := range b.EventLogs {
		logs = append(logs, e.DateBS.String()+" "+e.Time+" "+e.Type+" "+e.Description)
	}
	for _, a := range b.Advisories {
		advisories = append(advisories, a.Priority+" "+a.Title)
	}
	return map[string]any{
		"from": b.From.String(), "to": b.To.String(), "fiscal_year": b.FiscalYear.Label(), "sitrep": b.SitrepNumber,
		"municipality": b.Office.MunicipalityNe, "weather": b.Weather, "empty": b.Empty(),
		"wards": wards, "total": b.WardTotal, "types": types, "services": b.Services,
		"event_logs": logs, "advisories": advisories,
	}
}

func build(t *testing.T, s *store.Store, from, to string, number int) *report.Bulletin {
	t.Helper()
	p, err := report.ParsePeriod(bs.Default(), from, to, bs.Date{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := report.Build(ctx, s, p, number, clock)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBulletinGolden(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		golden(t, "bulletin_day.json", view(build(t, s, "२०८२-१०-१५", "", 7)))
		golden(t, "bulletin_range.json", view(build(t, s, "2082-10-14", "2082-10-15", 0)))
		golden(t, "bulletin_empty.json", view(build(t, s, "2082-09-01", "", 1)))
	})
}

// The figures are the register's: the bulletin's totals equal the incident
// statistics of the same range.
func TestBulletinMatchesTheIncidentStatistics(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		b := build(t, s, "2082-10-14", "2082-10-15", 0)
		st, err := s.IncidentStats(ctx, store.RecordFilter{From: b.FromAD.Format("2006-01-02"), To: b.ToAD.Format("2006-01-02")})
		if err != nil {
			t.Fatal(err)
		}
		tot := st.Totals
		if b.WardTotal.Incidents != tot.Incidents || b.WardTotal.Deaths != tot.Counts[leoc.Deaths] ||
			b.WardTotal.Injured != tot.Counts[leoc.Injured] || b.WardTotal.EstimatedLoss != tot.EstimatedLoss ||
			b.WardTotal.LivestockLost != tot.LivestockLost() || b.WardTotal.HousesDestroyed != tot.Counts[leoc.HousesDestroyed] {
			t.Errorf("bulletin totals %+v, statistics %+v", b.WardTotal, tot)
		}
	})
}

func TestParsePeriodRefusesBadInput(t *testing.T) {
	today := bs.Date{Year: 2082, Month: 10, Day: 15}
	for _, c := range []struct{ from, to, want string }{
		{"", "", ""},
		{"२०८२-१०-०१", "2082-10-15", ""},
		{"2082-04-01", "2083-03-32", ""}, // a whole fiscal year
		{"2082-13-01", "", "bulletin.bad_from"},
		{"2082-10-15", "2082-10-33", "bulletin.bad_to"},
		{"hello", "", "bulletin.bad_from"},
		{"2082-10-15", "2082-10-01", "bulletin.reversed"},
		{"2081-04-01", "2082-04-01", "bulletin.too_long"},
		{"1999-01-01", "", "bulletin.bad_from"},
		{"2082-10-15", "2099-01-01", "bulletin.bad_to"},
	} {
		p, err := report.ParsePeriod(bs.Default(), c.from, c.to, today)
		got := ""
		if e, ok := leoc.AsError(err); ok {
			got = e.Message.Key
			if e.Code != leoc.EInvalid {
				t.Errorf("%q..%q: code %s, want invalid", c.from, c.to, e.Code)
			}
		} else if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%q..%q: %q, want %q", c.from, c.to, got, c.want)
		}
		if c.from == "" && err == nil && (p.From != today || p.To != today || !p.OneDay()) {
			t.Errorf("empty period is %v..%v, want today", p.From, p.To)
		}
	}
}

// A situation report freezes the figures of its day when it is saved: they
// are the bulletin's figures of that day, and stay as they were when the
// registers change afterwards.
func TestSituationReportFreezesTheBulletinsFigures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		b := build(t, s, "2082-10-15", "", 1)
		rep, err := s.LatestSituationReportBy(ctx, b.ToAD)
		if err != nil || rep == nil || rep.Figures == nil {
			t.Fatalf("report %+v, %v", rep, err)
		}
		f := rep.Figures
		if f.Incidents.Incidents != b.WardTotal.Incidents || f.Incidents.Deaths != b.WardTotal.Deaths || f.Incidents.Missing != b.WardTotal.Missing ||
			f.Incidents.Injured != b.WardTotal.Injured || f.Incidents.HousesDestroyed != b.WardTotal.HousesDestroyed ||
			f.Incidents.EstimatedLoss != b.WardTotal.EstimatedLoss {
			t.Errorf("report figures %+v, bulletin %+v", f.Incidents, b.WardTotal)
		}
		if len(f.ByType) != len(b.Types) || f.ByType[0].LabelNe != "बाढी" || f.ByType[0].Incidents != b.Types[0].Incidents {
			t.Errorf("by type %+v, bulletin %+v", f.ByType, b.Types)
		}
		if len(f.ByWard) != 2 || f.ByWard[0].LabelNe != "वडा नं. २" || f.ByWard[1].Key != "7" {
			t.Errorf("by ward %+v", f.ByWard)
		}
		incident(t, s, leoc.IncidentInput{DateBS: "2082-10-15", Type: "fire", Ward: 1, Tole: "खोली", Description: "पछि दर्ता", DeathsMale: n64(1)})
		again, err := s.SituationReports().Get(ctx, rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Figures.Incidents != f.Incidents || !again.Figures.Computed.Equal(f.Computed) {
			t.Errorf("frozen figures changed: %+v → %+v", f.Incidents, again.Figures.Incidents)
		}
		if now := must.Get(s.SitrepFigures(ctx, b.ToAD))(t); now.Incidents.Incidents != f.Incidents.Incidents+1 {
			t.Errorf("the registers now have %d incidents that day, want %d", now.Incidents.Incidents, f.Incidents.Incidents+1)
		}
	})
}

func TestAgricultureTextStaysShort(t *testing.T) {
	f := report.Figures{Agriculture: []string{"a", "b", "c", "d", "e", "f", "g"}}
	if got := f.AgricultureText(); got != "a; b; c; d; e; … (+2)" {
		t.Errorf("AgricultureText = %q", got)
	}
}
