package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/pdf"
)

// Translator gives a catalog message in the document's language.
type Translator func(key string, args ...any) string

// printer writes numbers, dates and money the way a document in lang
// prints them.
type printer struct {
	lang string
	T    Translator
}

func (p printer) num(v any) string {
	s := fmt.Sprint(v)
	if p.lang == "ne" {
		return bs.DevanagariDigits(s)
	}
	return s
}

func (p printer) amount(m leoc.Money) string { return p.num(bs.GroupIndian(m.String())) }

func (p printer) date(d bs.Date) string {
	if p.lang == "ne" {
		return d.Devanagari()
	}
	return d.String()
}

func (p printer) longDate(d bs.Date) string {
	if p.lang == "ne" {
		return d.LongNepali()
	}
	return d.LongEnglish()
}

// when writes an instant as people in Nepal read it: BS date, Nepal time.
func (p printer) when(t time.Time) string {
	n := bs.NepalTime(t)
	d, err := bs.Default().FromAD(n)
	if err != nil {
		return p.num(n.Format("2006-01-02 15:04"))
	}
	return p.date(d) + " " + p.num(n.Format("15:04"))
}

// header sets the office's name and address at the top of a document.
func header(f *pdf.Flow, office *officeNames, title string) {
	f.Paragraph(office.municipality, 15, true, pdf.Center)
	f.Paragraph(office.office+", "+office.address, 10, false, pdf.Center)
	f.Paragraph(office.leoc, 11, true, pdf.Center)
	f.Space(4)
	f.Paragraph(title, 16, true, pdf.Center)
	f.Space(4)
}

type officeNames struct{ municipality, office, address, leoc string }

func officeIn(o *Bulletin, lang string) *officeNames {
	s := &o.Office
	if lang == "en" {
		return &officeNames{s.MunicipalityEn, s.OfficeEn, s.AddressEn, s.LeocNameEn}
	}
	return &officeNames{s.MunicipalityNe, s.OfficeNe, s.AddressNe, s.LeocNameNe}
}

// PDF writes the bulletin as an A4 PDF in lang ("ne" or "en").
func (b *Bulletin) PDF(w io.Writer, lang string, t Translator) error {
	d, err := pdf.New()
	if err != nil {
		return err
	}
	p := printer{lang: lang, T: t}
	d.Title, d.Lang = t("bulletin.title"), lang
	f := d.NewFlow()
	header(f, officeIn(b, lang), t("bulletin.title"))
	var facts []string
	if b.SitrepNumber > 0 {
		facts = append(facts, t("bulletin.sitrep")+" "+p.num(b.SitrepNumber))
	}
	if b.OneDay() {
		facts = append(facts, t("bulletin.date")+": "+p.longDate(b.From)+" ("+p.date(b.From)+")")
	} else {
		facts = append(facts, t("bulletin.period")+": "+t("bulletin.period_range", p.date(b.From), p.date(b.To)))
	}
	facts = append(facts, t("bulletin.fiscal_year")+" "+p.num(b.FiscalYear.Label()))
	f.Paragraph(strings.Join(facts, "   |   "), 10.5, true, pdf.Center)
	f.Space(4)
	weather := t("bulletin.weather_none")
	if b.Weather != nil {
		weather = b.Weather.Text + " (" + t("bulletin.weather_from", p.date(b.Weather.Date)) + ")"
	}
	f.Paragraph(t("bulletin.weather")+": "+weather, 10, false, pdf.Left)
	f.Space(6)

	b.wardTable(f, p)
	if len(b.Types) > 0 {
		b.typeTable(f, p)
	}
	b.rest(f, p)
	d.NumberPages(func(n, total int) string { return t("bulletin.page", p.num(n), p.num(total)) }, 8)
	_, err = d.WriteTo(w)
	return err
}

func (b *Bulletin) wardTable(f *pdf.Flow, p printer) {
	t := p.T
	f.Paragraph(t("bulletin.ward_table"), 12, true, pdf.Left)
	if b.Empty() {
		f.Paragraph(t("bulletin.no_incidents"), 10, false, pdf.Left)
	}
	cut := func(on bool) string {
		if on {
			return t("bulletin.cut")
		}
		return ""
	}
	r, c := pdf.Right, pdf.Center
	tb := &pdf.Table{Size: 8,
		Columns: []pdf.Column{{Weight: 1.3}, {Weight: 1, Align: r}, {Weight: 1, Align: r}, {Weight: 1, Align: r}, {Weight: 1, Align: r},
			{Weight: 2, Align: r}, {Weight: 1.1, Align: c}, {Weight: 1.1, Align: c}, {Weight: 1.1, Align: c}, {Weight: 1.1, Align: r}, {Weight: 2.2}},
		Header: []string{t("bulletin.ward"), t("bulletin.incidents"), t("bulletin.deaths"), t("bulletin.missing"), t("bulletin.injured"),
			t("bulletin.loss"), t("bulletin.road"), t("bulletin.electricity"), t("bulletin.communication"), t("bulletin.livestock"), t("bulletin.agriculture")}}
	row := func(label string, x *Figures, agri bool) []string {
		a := ""
		if agri {
			a = p.num(x.AgricultureText())
		}
		return []string{label, p.num(x.Incidents), p.num(x.Deaths), p.num(x.Missing), p.num(x.Injured), p.amount(x.EstimatedLoss),
			cut(x.Road()), cut(x.Electricity()), cut(x.Communication()), p.num(x.LivestockLost), a}
	}
	for i := range b.Wards {
		w := &b.Wards[i]
		name := w.NameNe
		if p.lang == "en" {
			name = w.NameEn
		}
		if name == "" {
			name = p.num(w.Ward)
		}
		tb.Rows = append(tb.Rows, row(name, &w.Figures, true))
	}
	tb.Footer = [][]string{row(t("bulletin.total"), &b.WardTotal, false)}
	f.Table(tb)
	f.Space(8)
}

func (b *Bulletin) typeTable(f *pdf.Flow, p printer) {
	t := p.T
	f.Paragraph(t("bulletin.type_table"), 12, true, pdf.Left)
	r := pdf.Right
	cols := []pdf.Column{{Weight: 1.6}}
	for range 10 {
		cols = append(cols, pdf.Column{Weight: 1, Align: r})
	}
	cols = append(cols, pdf.Column{Weight: 1.9, Align: r})
	tb := &pdf.Table{Size: 8, Columns: cols,
		Header: []string{t("bulletin.type"), t("bulletin.incidents"), t("bulletin.deaths"), t("bulletin.missing"), t("bulletin.injured"),
			t("bulletin.families"), t("bulletin.houses_damaged"), t("bulletin.houses_destroyed"), t("bulletin.public_damaged"),
			t("bulletin.public_destroyed"), t("bulletin.livestock"), t("bulletin.loss")}}
	row := func(label string, x *Figures) []string {
		return []string{label, p.num(x.Incidents), p.num(x.Deaths), p.num(x.Missing), p.num(x.Injured), p.num(x.AffectedFamilies),
			p.num(x.HousesDamaged), p.num(x.HousesDestroyed), p.num(x.PublicDamaged), p.num(x.PublicDestroyed), p.num(x.LivestockLost),
			p.amount(x.EstimatedLoss)}
	}
	for i := range b.Types {
		tb.Rows = append(tb.Rows, row(b.Types[i].Label(p.lang), &b.Types[i].Figures))
	}
	tb.Footer = [][]string{row(t("bulletin.total"), &b.WardTotal)}
	f.Table(tb)
	f.Space(8)
}

// rest sets the infrastructure, the operations log, the advisories and
// the signatures.
func (b *Bulletin) rest(f *pdf.Flow, p printer) {
	t := p.T
	f.Paragraph(t("bulletin.infrastructure"), 12, true, pdf.Left)
	st := &pdf.Table{Size: 9, Columns: []pdf.Column{{Weight: 1}, {Weight: 2}}, Header: []string{t("bulletin.service"), t("bulletin.status")}}
	for _, s := range b.Services {
		status := t("bulletin.normal")
		if s.Disrupted {
			status = t("bulletin.disrupted", p.num(s.Incidents))
		}
		st.Rows = append(st.Rows, []string{t("bulletin.service." + s.Key), status})
	}
	f.Table(st)
	f.Space(8)

	f.Paragraph(t("bulletin.event_logs"), 12, true, pdf.Left)
	if len(b.EventLogs) == 0 {
		f.Paragraph(t("bulletin.event_logs_none"), 10, false, pdf.Left)
	} else {
		lt := &pdf.Table{Size: 8.5, Columns: []pdf.Column{{Weight: 1.4}, {Weight: 1.4}, {Weight: 5}},
			Header: []string{t("bulletin.when"), t("eventlog.type"), t("bulletin.description")}}
		for _, e := range b.EventLogs {
			lt.Rows = append(lt.Rows, []string{p.date(e.DateBS) + " " + p.num(e.Time), t("eventlog.type." + e.Type), e.Description})
		}
		f.Table(lt)
	}
	f.Space(8)

	f.Paragraph(t("bulletin.advisories"), 12, true, pdf.Left)
	if len(b.Advisories) == 0 {
		f.Paragraph(t("bulletin.advisories_none"), 10, false, pdf.Left)
	}
	for _, a := range b.Advisories {
		f.Paragraph("- "+a.Title+" ("+t("advisory.priority."+a.Priority)+"): "+a.Content, 10, false, pdf.Left)
	}
	f.Space(36)
	f.Paragraph(t("bulletin.prepared_by")+": ………………………          "+t("bulletin.approved_by")+": ………………………", 10, false, pdf.Left)
	f.Space(6)
	f.Paragraph(t("bulletin.generated")+": "+p.when(b.Generated), 8, false, pdf.Left)
}
