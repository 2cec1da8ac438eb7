package report

import (
	"io"

	"leoc/internal/leoc"
	"leoc/internal/pdf"
	"leoc/internal/store"
)

// Print-outs of single records through the same machinery as the bulletin:
// the incident report (every impact figure of one incident) and the relief
// handover receipt (भरपाई).

// Labels name list keys and wards in the document's language.
type Labels struct {
	Types map[string]string
	Items map[string]string
	Wards map[int]string
}

func label[K comparable](m map[K]string, k K, fallback string) string {
	if v, ok := m[k]; ok && v != "" {
		return v
	}
	return fallback
}

func newDoc(office *store.Settings, lang, title string) (*pdf.Document, *pdf.Flow, error) {
	d, err := pdf.New()
	if err != nil {
		return nil, nil, err
	}
	d.Title, d.Lang = title, lang
	f := d.NewFlow()
	header(f, officeIn(&Bulletin{Office: *office}, lang), title)
	return d, f, nil
}

// facts is a two-column table of label and value, empty values left out.
func facts(f *pdf.Flow, rows [][2]string) {
	t := &pdf.Table{Size: 9.5, Columns: []pdf.Column{{Weight: 1}, {Weight: 2.4}}}
	for _, r := range rows {
		if r[1] != "" {
			t.Rows = append(t.Rows, []string{r[0], r[1]})
		}
	}
	f.Table(t)
	f.Space(8)
}

func finish(d *pdf.Document, w io.Writer, p printer) error {
	d.NumberPages(func(n, total int) string { return p.T("bulletin.page", p.num(n), p.num(total)) }, 8)
	_, err := d.WriteTo(w)
	return err
}

// IncidentPDF writes the A4 report of one incident in lang.
func IncidentPDF(w io.Writer, lang string, t Translator, office *store.Settings, inc *leoc.Incident, l Labels) error {
	p := printer{lang: lang, T: t}
	d, f, err := newDoc(office, lang, t("incident.print_title"))
	if err != nil {
		return err
	}
	typ := label(l.Types, inc.Type, inc.Type)
	f.Paragraph(t("incident.entry")+" "+t("record.no", p.num(inc.ID))+": "+typ, 11, true, pdf.Left)
	f.Space(4)
	var coords string
	if c := inc.Coords; c != nil {
		coords = p.num(c.Latitude) + ", " + p.num(c.Longitude)
	}
	facts(f, [][2]string{
		{t("incident.f.date_bs"), p.longDate(inc.DateBS) + " " + p.num(inc.Time) + " (" + p.num(inc.DateAD.Format("2006-01-02")) + ")"},
		{t("incident.f.fiscal_year"), p.num(inc.FiscalYear.Label())},
		{t("incident.f.type"), typ},
		{t("incident.f.ward"), label(l.Wards, inc.Ward, p.num(inc.Ward))},
		{t("incident.f.tole"), inc.Tole},
		{t("incident.coordinates"), coords},
		{t("incident.f.description"), inc.Description},
	})
	f.Paragraph(t("incident.section.people")+", "+t("incident.section.houses")+", "+t("incident.section.livestock"), 11, true, pdf.Left)
	figures := &pdf.Table{Size: 9, Columns: []pdf.Column{{Weight: 3}, {Weight: 1, Align: pdf.Right}}}
	for i := range leoc.NumIncidentCounts {
		figures.Rows = append(figures.Rows, []string{t("incident.f." + i.Name()), p.num(inc.Counts[i])})
	}
	f.Table(figures)
	f.Space(8)
	f.Paragraph(t("incident.section.infrastructure"), 11, true, pdf.Left)
	flags := &pdf.Table{Size: 9, Columns: []pdf.Column{{Weight: 3}, {Weight: 1}}}
	for i, name := range leoc.IncidentFlagNames() {
		state := t("incident.normal")
		if inc.Flags[i] {
			state = t("incident.disrupted")
		}
		flags.Rows = append(flags.Rows, []string{t("incident.f." + name), state})
	}
	f.Table(flags)
	f.Space(8)
	f.Paragraph(t("incident.section.loss"), 11, true, pdf.Left)
	facts(f, [][2]string{
		{t("incident.f.estimated_loss"), p.amount(inc.EstimatedLoss)},
		{t("incident.f.agriculture_damage"), inc.AgricultureDamage},
		{t("incident.f.rescue_operations"), inc.RescueOperations},
	})
	f.Paragraph(t("record.created_by")+": "+inc.CreatedBy+", "+p.when(inc.CreatedAt), 8.5, false, pdf.Left)
	f.Space(36)
	f.Paragraph(t("incident.prepared_by")+": ………………………          "+t("incident.approved_by")+": ………………………", 10, false, pdf.Left)
	return finish(d, w, p)
}

// ReceiptPDF writes the relief handover receipt (भरपाई) of a distribution.
func ReceiptPDF(w io.Writer, lang string, t Translator, office *store.Settings, dist *leoc.Distribution, l Labels) error {
	p := printer{lang: lang, T: t}
	d, f, err := newDoc(office, lang, t("distribution.receipt_title"))
	if err != nil {
		return err
	}
	f.Paragraph(t("distribution.entry")+" "+t("record.no", p.num(dist.ID))+" · "+t("distribution.f.date_bs")+": "+p.longDate(dist.DateBS), 10.5, true, pdf.Left)
	f.Space(4)
	disaster := label(l.Types, dist.DisasterType, dist.DisasterType)
	if !dist.DisasterDate.IsZero() {
		disaster += ", " + p.date(dist.DisasterDate)
	}
	if dist.IncidentID > 0 {
		disaster += " (" + t("incident.entry") + " " + t("record.no", p.num(dist.IncidentID)) + ")"
	}
	where := label(l.Wards, dist.Ward, p.num(dist.Ward))
	for _, s := range []string{dist.Tole, dist.Place} {
		if s != "" {
			where += ", " + s
		}
	}
	facts(f, [][2]string{
		{t("distribution.f.household_name"), dist.HouseholdName},
		{t("distribution.f.household_id"), dist.HouseholdID},
		{t("distribution.f.father_name"), dist.FatherName},
		{t("distribution.f.disaster_type"), disaster},
		{t("distribution.f.ward"), where},
		{t("distribution.section.counts"), t("distribution.counts", dist.Male(), dist.Female(), dist.Children())},
	})
	if len(dist.Members) > 0 {
		f.Paragraph(t("distribution.section.members"), 11, true, pdf.Left)
		mt := &pdf.Table{Size: 9, Columns: []pdf.Column{{Weight: 0.5, Align: pdf.Right}, {Weight: 3}, {Weight: 2}, {Weight: 1, Align: pdf.Right}, {Weight: 1.2}},
			Header: []string{"#", t("distribution.f.member_name"), t("distribution.f.relation"), t("distribution.f.age"), t("distribution.f.sex")}}
		for i, m := range dist.Members {
			mt.Rows = append(mt.Rows, []string{p.num(i + 1), m.Name, m.Relation, p.num(m.Age), t("distribution.sex." + m.Sex)})
		}
		f.Table(mt)
		f.Space(8)
	}
	f.Paragraph(t("distribution.section.relief"), 11, true, pdf.Left)
	it := &pdf.Table{Size: 9.5, Columns: []pdf.Column{{Weight: 3}, {Weight: 1, Align: pdf.Right}, {Weight: 1.2}},
		Header: []string{t("distribution.f.item"), t("distribution.f.quantity"), t("distribution.f.unit")}}
	for _, item := range dist.Items {
		it.Rows = append(it.Rows, []string{label(l.Items, item.Item, item.Item), p.num(item.Quantity), item.Unit})
	}
	it.Footer = [][]string{{t("distribution.f.cash"), p.amount(dist.Cash), ""}}
	f.Table(it)
	f.Space(12)
	// The person who signs is the one who collected: the household head, or
	// whoever came on the household's behalf (received_by), as on the print page.
	statement, receiver := t("distribution.receipt_statement", dist.HouseholdName), dist.HouseholdName
	if dist.ReceivedBy != "" {
		statement, receiver = t("distribution.receipt_statement_for", dist.ReceivedBy, dist.HouseholdName), dist.ReceivedBy
	}
	f.Paragraph(statement, 10.5, false, pdf.Left)
	f.Space(40)
	f.Table(&pdf.Table{Size: 9.5, Columns: []pdf.Column{{Weight: 1}, {Weight: 1}, {Weight: 1}}, Rows: [][]string{
		{t("distribution.receiver_signature") + "\n\n\n………………………\n" + receiver, t("distribution.thumb_left") + "\n\n\n\n", t("distribution.thumb_right")},
		{t("distribution.given_by") + "\n\n\n………………………", t("distribution.certified_by") + "\n\n\n………………………", ""},
	}})
	return finish(d, w, p)
}

// SitrepPDF writes a situation report with the figures frozen into it.
func SitrepPDF(w io.Writer, lang string, t Translator, office *store.Settings, rep *leoc.SituationReport) error {
	p := printer{lang: lang, T: t}
	d, f, err := newDoc(office, lang, t("sitrep.report")+" "+t("record.no", p.num(rep.ID)))
	if err != nil {
		return err
	}
	next := t("sitrep.next_update_none")
	if !rep.NextUpdate.IsZero() {
		next = p.longDate(rep.NextUpdate.DateBS) + " " + p.num(rep.NextUpdate.Time)
	}
	facts(f, [][2]string{
		{t("sitrep.date"), p.longDate(rep.DateBS) + " " + p.num(rep.Time)},
		{t("sitrep.summary"), rep.Summary},
		{t("sitrep.weather"), rep.Weather},
		{t("sitrep.detailed_report"), rep.DetailedReport},
		{t("sitrep.resources_deployed"), rep.ResourcesDeployed},
		{t("sitrep.next_update"), next},
	})
	if fig := rep.Figures; fig != nil {
		f.Paragraph(t("sitrep.figures_title"), 11, true, pdf.Left)
		f.Paragraph(t("sitrep.figures_frozen", p.when(fig.Computed)), 8.5, false, pdf.Left)
		r := pdf.Right
		tb := &pdf.Table{Size: 8.5, Columns: []pdf.Column{{Weight: 2}, {Weight: 1, Align: r}, {Weight: 1, Align: r}, {Weight: 1, Align: r},
			{Weight: 1, Align: r}, {Weight: 1.2, Align: r}, {Weight: 1.2, Align: r}, {Weight: 2, Align: r}},
			Header: []string{"", t("bulletin.incidents"), t("bulletin.deaths"), t("bulletin.missing"), t("bulletin.injured"),
				t("bulletin.houses_damaged"), t("bulletin.houses_destroyed"), t("bulletin.loss")}}
		row := func(label string, x leoc.FigureRow) []string {
			return []string{label, p.num(x.Incidents), p.num(x.Deaths), p.num(x.Missing), p.num(x.Injured), p.num(x.HousesDamaged),
				p.num(x.HousesDestroyed), p.amount(x.EstimatedLoss)}
		}
		for _, x := range append(append([]leoc.FigureRow{}, fig.ByType...), fig.ByWard...) {
			tb.Rows = append(tb.Rows, row(x.Label(lang), x))
		}
		tb.Footer = [][]string{row(t("bulletin.total"), fig.Incidents)}
		f.Table(tb)
		f.Space(6)
		facts(f, [][2]string{
			{t("sitrep.figures_distributions"), p.num(fig.Distributions)},
			{t("sitrep.figures_households"), p.num(fig.Households)},
			{t("sitrep.figures_cash"), p.amount(fig.Cash)},
			{t("sitrep.figures_balance"), p.amount(fig.FundBalance)},
		})
	}
	f.Paragraph(t("record.created_by")+": "+rep.CreatedBy+", "+p.when(rep.CreatedAt), 8.5, false, pdf.Left)
	return finish(d, w, p)
}
