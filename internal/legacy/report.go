package legacy

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
)

// Warning kinds. Each has a catalog key "legacy.kind.<kind>" naming it and
// "legacy.detail.<kind>" describing one case; docs/migrate-from-flask.md
// says what to do about each.
const (
	WarnADDate          = "ad_date_disagrees"   // stored AD date ≠ the calendar's for the BS date
	WarnBSDateMissing   = "bs_date_missing"     // no BS date; taken from the AD date
	WarnFiscalYear      = "fiscal_year_differs" // stored fiscal year ≠ the date's
	WarnFiscalYearBad   = "fiscal_year_unreadable"
	WarnDisasterDateAD  = "disaster_date_ad" // a relief row's disaster date was AD
	WarnMoneyNotPaisa   = "money_not_paisa"  // more than two decimals; rounded to the paisa
	WarnCashMismatch    = "cash_differs"     // distribution cash ≠ its linked expenditure
	WarnCashNotInLedger = "cash_not_in_ledger"
	WarnOrphanExpense   = "expenditure_without_distribution"
	WarnNegativeBalance = "negative_balance"
	WarnHousehold       = "household_conflict" // same household, same disaster: imported with an override reason
	WarnCounts          = "household_counts"   // old head counts ≠ the members list; kept in the notes
	WarnListValue       = "list_value_added"   // an old label no list key matched
	WarnValueMapped     = "value_mapped"       // free text mapped to the nearest choice
	WarnLivestock       = "livestock_total"    // old total above its kinds; the rest counted as other
	WarnNextUpdate      = "next_update_text"   // sit-rep "next update" kept as text
	WarnSitrepNumber    = "sitrep_number_conflict"
	WarnUploadMissing   = "upload_missing"
	WarnUploadInvalid   = "upload_invalid"
	WarnNoUploadsDir    = "uploads_not_given"
	WarnDateFromCreated = "date_from_created"
	WarnBeneficiaryDup  = "beneficiary_duplicate"
)

// Warning is one thing the operator should look at: the old row and what
// happened to it.
type Warning struct {
	Kind     string
	Table    string
	LegacyID string
	Detail   leoc.Msg
}

// Skipped is an old row that was not imported, and why.
type Skipped struct {
	Table    string
	LegacyID string
	Reason   leoc.Msg
	// Fields are the validation messages per field when the domain refused
	// the row, as a form would have shown them.
	Fields map[string]leoc.Msg
}

// TableCount is what happened to one old table's rows.
type TableCount struct {
	Table    string
	Read     int // rows in the old table
	Imported int // created now
	Before   int // imported by an earlier run (skipped now)
	Skipped  int // refused, see Report.Skipped
}

// Report is the outcome of an import (or of a dry run, which computes the
// same and writes nothing).
type Report struct {
	DryRun   bool
	Tables   []*TableCount
	Warnings []Warning
	Skipped  []Skipped
	// NotImported lists whole tables or settings left out, and why.
	NotImported []Skipped
	// The fund: the old ledger's balance and this database's after the
	// import (equal unless the old balance was negative or this database
	// had entries of its own).
	OldBalance, NewBalance leoc.Money
	// NextSitrep is the number the next new day's bulletin gets, by fiscal
	// year start, for the years the old log had.
	NextSitrep map[int]int
}

func (r *Report) table(name string) *TableCount {
	for _, t := range r.Tables {
		if t.Table == name {
			return t
		}
	}
	t := &TableCount{Table: name}
	r.Tables = append(r.Tables, t)
	return t
}

func (r *Report) warn(kind, table, id string, key string, args ...any) {
	r.Warnings = append(r.Warnings, Warning{Kind: kind, Table: table, LegacyID: id, Detail: leoc.M(key, args...)})
}

func (r *Report) skip(table, id string, err error) {
	s := Skipped{Table: table, LegacyID: id}
	if e, ok := leoc.AsError(err); ok {
		s.Reason, s.Fields = e.Message, e.Fields
	} else {
		s.Reason = leoc.M("legacy.skip.unreadable", err.Error())
	}
	r.Skipped = append(r.Skipped, s)
	r.table(table).Skipped++
}

// money is an amount as a message argument, grouped the Nepali way.
func money(m leoc.Money) leoc.Number { return leoc.Number(bs.GroupIndian(m.String())) }

// WarningsOf returns the warnings of one kind.
func (r *Report) WarningsOf(kind string) []Warning {
	var out []Warning
	for _, w := range r.Warnings {
		if w.Kind == kind {
			out = append(out, w)
		}
	}
	return out
}

// Print writes the report in lang: counts per table, then warnings grouped
// by kind with the legacy ids, then what was not imported and why.
func (r *Report) Print(w io.Writer, cat *i18n.Catalogs, lang string) error {
	var b strings.Builder
	t := func(key string, args ...any) string { return cat.T(lang, key, args...) }
	if r.DryRun {
		b.WriteString(t("legacy.report.dry_run") + "\n\n")
	}
	b.WriteString(t("legacy.report.counts") + "\n")
	fmt.Fprintf(&b, "  %-28s %8s %8s %8s %8s\n", t("legacy.report.table"), t("legacy.report.read"), t("legacy.report.imported"),
		t("legacy.report.before"), t("legacy.report.skipped"))
	for _, c := range r.Tables {
		fmt.Fprintf(&b, "  %-28s %8d %8d %8d %8d\n", c.Table, c.Read, c.Imported, c.Before, c.Skipped)
	}
	b.WriteString("\n" + t("legacy.report.fund", money(r.OldBalance), money(r.NewBalance)) + "\n")
	if len(r.NextSitrep) > 0 {
		years := make([]int, 0, len(r.NextSitrep))
		for y := range r.NextSitrep {
			years = append(years, y)
		}
		slices.Sort(years)
		for _, y := range years {
			b.WriteString(t("legacy.report.next_sitrep", fmt.Sprintf("%d/%02d", y, (y+1)%100), r.NextSitrep[y]) + "\n")
		}
	}
	kinds := map[string][]Warning{}
	var order []string
	for _, w := range r.Warnings {
		if _, seen := kinds[w.Kind]; !seen {
			order = append(order, w.Kind)
		}
		kinds[w.Kind] = append(kinds[w.Kind], w)
	}
	sort.Strings(order)
	if len(order) == 0 {
		b.WriteString("\n" + t("legacy.report.no_warnings") + "\n")
	}
	for _, k := range order {
		ws := kinds[k]
		fmt.Fprintf(&b, "\n%s (%s): %s\n", t("legacy.kind."+k), k, t("legacy.report.how_many", len(ws)))
		for _, w := range ws {
			fmt.Fprintf(&b, "  %s #%s: %s\n", w.Table, w.LegacyID, cat.Msg(lang, w.Detail))
		}
	}
	if len(r.Skipped)+len(r.NotImported) > 0 {
		b.WriteString("\n" + t("legacy.report.not_imported") + "\n")
	}
	for _, s := range r.NotImported {
		fmt.Fprintf(&b, "  %s: %s\n", s.Table, cat.Msg(lang, s.Reason))
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  %s #%s: %s\n", s.Table, s.LegacyID, cat.Msg(lang, s.Reason))
		fields := mapKeys(s.Fields)
		for _, f := range fields {
			fmt.Fprintf(&b, "      %s: %s\n", f, cat.Msg(lang, s.Fields[f]))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
