// Package report assembles LEOC's documents — the daily disaster bulletin
// (दैनिक विपद् बुलेटिन) first — from store calls, with no HTTP in it. One
// function computes a document's data; the print page and the PDF both
// render that same value, so they cannot disagree with each other or with
// the registers.
package report

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Period is a checked BS date or range: From ≤ To, both on the calendar,
// at most MaxPeriodDays long.
type Period struct {
	From, To     bs.Date
	FromAD, ToAD time.Time
}

// OneDay reports whether the period is a single day (a bulletin with a
// sit-rep number).
func (p Period) OneDay() bool { return p.From == p.To }

// MaxPeriodDays bounds a range: one fiscal year at most (366 days is the
// longest BS year).
const MaxPeriodDays = 366

// ParsePeriod checks a typed date or range; an empty from is today, an
// empty to is from. Errors are 400s with a message that says what is wrong.
func ParsePeriod(cal *bs.Calendar, from, to string, today bs.Date) (Period, error) {
	var p Period
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	var err error
	p.From = today
	if from != "" {
		if p.From, err = cal.Parse(from); err != nil {
			return p, leoc.Errorf(leoc.EInvalid, "bulletin.bad_from", clip(from))
		}
	}
	p.To = p.From
	if to != "" {
		if p.To, err = cal.Parse(to); err != nil {
			return p, leoc.Errorf(leoc.EInvalid, "bulletin.bad_to", clip(to))
		}
	}
	if p.To.Before(p.From) {
		return p, leoc.Errorf(leoc.EInvalid, "bulletin.reversed")
	}
	days, err := cal.DaysBetween(p.From, p.To)
	if err != nil {
		return p, leoc.Errorf(leoc.EInvalid, "bulletin.bad_to", clip(to))
	}
	if days+1 > MaxPeriodDays {
		return p, leoc.Errorf(leoc.EInvalid, "bulletin.too_long")
	}
	if p.FromAD, err = cal.ToAD(p.From); err != nil {
		return p, leoc.Errorf(leoc.EInvalid, "bulletin.bad_from", clip(from))
	}
	if p.ToAD, err = cal.ToAD(p.To); err != nil {
		return p, leoc.Errorf(leoc.EInvalid, "bulletin.bad_to", clip(to))
	}
	return p, nil
}

// clip shortens what a person typed for quoting it back in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:29]) + "…"
	}
	return s
}

// Figures are the sums of a set of incidents as the bulletin prints them.
type Figures struct {
	Incidents        int64
	Deaths           int64
	Missing          int64
	Injured          int64
	AffectedFamilies int64
	HousesDamaged    int64
	HousesDestroyed  int64
	PublicDamaged    int64
	PublicDestroyed  int64
	LivestockLost    int64
	EstimatedLoss    leoc.Money
	// Disrupted counts the incidents that cut each service, by
	// leoc.IncidentFlag (road, electricity, communication, water).
	Disrupted [leoc.NumIncidentFlags]int64
	// Agriculture is the crop damage as reported, each different text once.
	Agriculture []string
}

func (f *Figures) add(inc *leoc.Incident) {
	c := &inc.Counts
	f.Incidents++
	f.Deaths += c[leoc.Deaths]
	f.Missing += c[leoc.Missing]
	f.Injured += c[leoc.Injured]
	f.AffectedFamilies += c[leoc.AffectedHouseholds]
	f.HousesDamaged += c[leoc.HousesDamaged]
	f.HousesDestroyed += c[leoc.HousesDestroyed]
	f.PublicDamaged += c[leoc.PublicBuildingsDamaged]
	f.PublicDestroyed += c[leoc.PublicBuildingsDestroyed]
	f.LivestockLost += c[leoc.LivestockLostCattle] + c[leoc.LivestockLostGoatsSheep] + c[leoc.LivestockLostPoultry] + c[leoc.LivestockLostOther]
	f.EstimatedLoss += inc.EstimatedLoss
	for i, set := range inc.Flags {
		if set {
			f.Disrupted[i]++
		}
	}
	if a := strings.TrimSpace(inc.AgricultureDamage); a != "" && !slices.Contains(f.Agriculture, a) {
		f.Agriculture = append(f.Agriculture, a)
	}
}

// MaxAgriculture is how many crop-damage reports a table cell lists.
const MaxAgriculture = 5

// AgricultureText is the crop damage for a table cell: the first reports,
// and how many more there are, so that a busy ward's row stays readable.
func (f *Figures) AgricultureText() string {
	if len(f.Agriculture) <= MaxAgriculture {
		return strings.Join(f.Agriculture, "; ")
	}
	return strings.Join(f.Agriculture[:MaxAgriculture], "; ") + fmt.Sprintf("; … (+%d)", len(f.Agriculture)-MaxAgriculture)
}

// Road, Electricity and Communication say whether any incident cut the
// service (for the marks of the ward table).
func (f *Figures) Road() bool          { return f.Disrupted[leoc.RoadBlocked] > 0 }
func (f *Figures) Electricity() bool   { return f.Disrupted[leoc.ElectricityCut] > 0 }
func (f *Figures) Communication() bool { return f.Disrupted[leoc.CommunicationCut] > 0 }

// WardRow is one ward of the ward-wise table.
type WardRow struct {
	Ward   int
	NameNe string
	NameEn string
	Figures
}

// TypeRow is one disaster type of the type table.
type TypeRow struct {
	Key     string
	LabelNe string
	LabelEn string
	Figures
}

// Label is the type's name in lang.
func (t *TypeRow) Label(lang string) string {
	if lang == "en" {
		return t.LabelEn
	}
	return t.LabelNe
}

// Service is the state of one kind of infrastructure over the period.
type Service struct {
	Key       string // road_blocked, electricity_cut, communication_cut, water_disrupted
	Disrupted bool
	Incidents int64 // how many incidents disrupted it
}

// Weather is the weather of the latest situation report up to the end of
// the period.
type Weather struct {
	Text     string
	ReportID int64
	Date     bs.Date
	Time     string
}

// MaxEventLogs is how many operations-log entries a bulletin lists.
const MaxEventLogs = 10

// Bulletin is the daily disaster bulletin's content.
type Bulletin struct {
	Period
	FiscalYear   bs.FiscalYear
	SitrepNumber int // 0 for a range
	Office       store.Settings
	Weather      *Weather // nil when no situation report exists yet
	Wards        []WardRow
	WardTotal    Figures
	Types        []TypeRow // only types with incidents, in the list's order
	Services     []Service
	EventLogs    []*leoc.EventLog // latest first, at most MaxEventLogs
	Advisories   []*leoc.Advisory
	Generated    time.Time
}

// Empty reports whether no incident was recorded in the period: the
// bulletin says so instead of printing empty tables.
func (b *Bulletin) Empty() bool { return b.WardTotal.Incidents == 0 }

// Build computes a bulletin for p with its sit-rep number (0 for a range)
// at instant now. It only reads.
func Build(ctx context.Context, st *store.Store, p Period, number int, now time.Time) (*Bulletin, error) {
	b := &Bulletin{Period: p, FiscalYear: bs.FiscalYearOf(p.From), SitrepNumber: number, Generated: now}
	office, err := st.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: bulletin: %w", err)
	}
	b.Office = *office
	if err := b.incidents(ctx, st); err != nil {
		return nil, err
	}
	rep, err := st.LatestSituationReportBy(ctx, p.ToAD)
	if err != nil {
		return nil, fmt.Errorf("report: bulletin: %w", err)
	}
	if rep != nil {
		b.Weather = &Weather{Text: rep.Weather, ReportID: rep.ID, Date: rep.DateBS, Time: rep.Time}
	}
	f := store.RecordFilter{From: p.FromAD.Format(time.DateOnly), To: p.ToAD.Format(time.DateOnly), PerPage: MaxEventLogs}
	if b.EventLogs, _, err = st.EventLogs(ctx, f); err != nil {
		return nil, fmt.Errorf("report: bulletin: %w", err)
	}
	// The period is whole days in Nepal: from its first midnight to the
	// midnight after its last day.
	start := time.Date(p.FromAD.Year(), p.FromAD.Month(), p.FromAD.Day(), 0, 0, 0, 0, bs.Kathmandu())
	end := time.Date(p.ToAD.Year(), p.ToAD.Month(), p.ToAD.Day()+1, 0, 0, 0, 0, bs.Kathmandu())
	if b.Advisories, err = st.AdvisoriesDuring(ctx, start, end); err != nil {
		return nil, fmt.Errorf("report: bulletin: %w", err)
	}
	return b, nil
}

// incidents fills the ward and type tables and the services from one pass
// over the period's incidents: the figures are the register's own.
func (b *Bulletin) incidents(ctx context.Context, st *store.Store) error {
	wards, err := st.Wards(ctx)
	if err != nil {
		return fmt.Errorf("report: bulletin: %w", err)
	}
	types, err := st.ListValues(ctx, store.ListDisasterType)
	if err != nil {
		return fmt.Errorf("report: bulletin: %w", err)
	}
	for _, w := range wards {
		b.Wards = append(b.Wards, WardRow{Ward: w.Number, NameNe: w.NameNe, NameEn: w.NameEn})
	}
	byType := map[string]*Figures{}
	f := store.RecordFilter{From: b.FromAD.Format(time.DateOnly), To: b.ToAD.Format(time.DateOnly), Asc: true}
	err = st.EachIncident(ctx, f, func(inc *leoc.Incident) error {
		i := slices.IndexFunc(b.Wards, func(w WardRow) bool { return w.Ward == inc.Ward })
		if i < 0 {
			// A ward removed from the settings after its incidents were
			// recorded still counts; the totals must match the register.
			b.Wards = append(b.Wards, WardRow{Ward: inc.Ward})
			slices.SortFunc(b.Wards, func(a, c WardRow) int { return a.Ward - c.Ward })
			i = slices.IndexFunc(b.Wards, func(w WardRow) bool { return w.Ward == inc.Ward })
		}
		b.Wards[i].add(inc)
		b.WardTotal.add(inc)
		if byType[inc.Type] == nil {
			byType[inc.Type] = &Figures{}
		}
		byType[inc.Type].add(inc)
		return nil
	})
	if err != nil {
		return fmt.Errorf("report: bulletin: %w", err)
	}
	for _, t := range types {
		if fig := byType[t.Key]; fig != nil {
			b.Types = append(b.Types, TypeRow{Key: t.Key, LabelNe: t.LabelNe, LabelEn: t.LabelEn, Figures: *fig})
			delete(byType, t.Key)
		}
	}
	rest := slices.Sorted(maps.Keys(byType))
	for _, k := range rest { // types removed from the list since
		b.Types = append(b.Types, TypeRow{Key: k, LabelNe: k, LabelEn: k, Figures: *byType[k]})
	}
	for i, name := range leoc.IncidentFlagNames() {
		n := b.WardTotal.Disrupted[i]
		b.Services = append(b.Services, Service{Key: name, Disrupted: n > 0, Incidents: n})
	}
	return nil
}
