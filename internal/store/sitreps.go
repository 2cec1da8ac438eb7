package store

import (
	"context"

	"leoc/internal/leoc"
)

// SitrepRegister plugs the situation reports into locking and settings.
var SitrepRegister = sitreps.Register

// SituationReports are the situation reports, newest first.
func (s *Store) SituationReports() Records[*leoc.SituationReport] { return sitreps.In(s) }

// sitreps declares how situation reports are kept. Every save freezes the
// figures of the report's (possibly corrected) day into it, in the write
// transaction; q searches the narrative.
var sitreps = Table[*leoc.SituationReport]{
	Register: Register{Name: "situation-reports", Table: "situation_reports"},
	Read: `id, date_bs, date_ad, fiscal_year, time_of_day, summary, weather, detailed_report, resources_deployed,
	next_update_bs, next_update_time, figures, ` + recordColumns,
	Write: []string{"date_bs", "date_ad", "fiscal_year", "time_of_day", "summary", "weather", "detailed_report",
		"resources_deployed", "next_update_bs", "next_update_time", "figures"},
	Scan: func(s *Store, r rowScanner) (*leoc.SituationReport, error) {
		var rep leoc.SituationReport
		dest := append(append([]any{&rep.ID}, datedDest(&rep.Dated)...), &rep.Time, &rep.Summary, &rep.Weather, &rep.DetailedReport,
			&rep.ResourcesDeployed, (*bsColumn)(&rep.NextUpdate.DateBS), &rep.NextUpdate.Time, jsonColumn[leoc.SitrepFigures]{&rep.Figures})
		if err := r.Scan(append(dest, recordDest(&rep.Record)...)...); err != nil {
			return nil, err
		}
		s.settle(&rep.Record)
		return &rep, nil
	},
	Args: func(rep *leoc.SituationReport) []any {
		return append(datedArgs(rep.Dated), rep.Time, rep.Summary, rep.Weather, rep.DetailedReport, rep.ResourcesDeployed,
			bsColumn(rep.NextUpdate.DateBS), rep.NextUpdate.Time, jsonColumn[leoc.SitrepFigures]{&rep.Figures})
	},
	Check: func(ctx context.Context, tx *Tx, _ *leoc.User, rep *leoc.SituationReport) error {
		return tx.s.freezeFigures(ctx, rep)
	},
	Dated:  true,
	Search: []string{"summary", "weather", "detailed_report", "resources_deployed"},
	Sort:   map[string]string{"date": "date_ad"},
	Order:  "date_ad DESC, time_of_day DESC, id DESC",
}

// CreateSituationReport adds a report inside a larger transaction with the
// figures it holds (the legacy import gives none, as for reports saved
// before figures were frozen).
func (t *Tx) CreateSituationReport(ctx context.Context, actor Actor, rep *leoc.SituationReport) error {
	return sitreps.insert(ctx, t, actor, rep)
}
