package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// IncidentRegister plugs the incident register into locking, ward limits
// and settings.
var IncidentRegister = Register{Name: "incidents", Table: "incidents", WardColumn: "ward",
	ListColumns: []ListColumn{{List: ListDisasterType, Table: "incidents", Column: "type"}}}

// figureColumns are the incident's figures in leoc order: the counts, then
// the flags. They are columns of both incidents and incident_stats.
var (
	countColumns  = leoc.IncidentCountNames()
	flagColumns   = leoc.IncidentFlagNames()
	figureColumns = slices.Concat(countColumns, flagColumns)
)

// incidentFields are the written columns, in the order of incidentArgs.
var incidentFields = slices.Concat(
	[]string{"date_bs", "date_ad", "fiscal_year", "time_of_day", "type", "ward", "tole", "latitude", "longitude", "description"},
	figureColumns,
	[]string{"agriculture_damage", "estimated_loss", "rescue_operations"},
)

var incidentColumns = "id, " + strings.Join(incidentFields, ", ") + ", " + recordColumns

func incidentArgs(inc *leoc.Incident) []any {
	var lat, lon any
	if inc.Coords != nil {
		lat, lon = inc.Coords.Latitude, inc.Coords.Longitude
	}
	args := make([]any, 0, len(incidentFields)+6)
	args = append(args, inc.DateBS.String(), dateText(inc.DateAD), inc.FiscalYear.Start, inc.Time, inc.Type, inc.Ward, inc.Tole,
		lat, lon, inc.Description)
	for _, n := range inc.Counts {
		args = append(args, n)
	}
	for _, f := range inc.Flags {
		args = append(args, f)
	}
	return append(args, inc.AgricultureDamage, int64(inc.EstimatedLoss), inc.RescueOperations)
}

// incidentScan reads rows of incidentColumns into one reused Incident, so
// an export of 100,000 rows allocates per row only what the driver does.
type incidentScan struct {
	s              *Store // settles the lock of each record read
	inc            leoc.Incident
	dateBS, dateAD string
	lat, lon       sql.NullFloat64
	dest           []any
}

func (s *Store) newIncidentScan() *incidentScan {
	sc := &incidentScan{s: s}
	inc := &sc.inc
	sc.dest = append(sc.dest, &inc.ID, &sc.dateBS, &sc.dateAD, &inc.FiscalYear.Start, &inc.Time, &inc.Type, &inc.Ward, &inc.Tole,
		&sc.lat, &sc.lon, &inc.Description)
	for i := range inc.Counts {
		sc.dest = append(sc.dest, &inc.Counts[i])
	}
	for i := range inc.Flags {
		sc.dest = append(sc.dest, &inc.Flags[i])
	}
	sc.dest = append(sc.dest, &inc.AgricultureDamage, (*int64)(&inc.EstimatedLoss), &inc.RescueOperations)
	sc.dest = append(sc.dest, recordDest(&inc.Record)...)
	return sc
}

func (sc *incidentScan) scan(r rowScanner) (*leoc.Incident, error) {
	if err := r.Scan(sc.dest...); err != nil {
		return nil, err
	}
	inc := &sc.inc
	var err error
	if inc.DateBS, err = storedDate(sc.dateBS); err != nil {
		return nil, fmt.Errorf("store: incident %d has a bad date %q: %w", inc.ID, sc.dateBS, err)
	}
	if inc.DateAD, err = time.Parse(time.DateOnly, sc.dateAD); err != nil {
		return nil, fmt.Errorf("store: incident %d has a bad AD date %q: %w", inc.ID, sc.dateAD, err)
	}
	inc.Coords = nil
	if sc.lat.Valid && sc.lon.Valid {
		inc.Coords = &leoc.Coordinates{Latitude: sc.lat.Float64, Longitude: sc.lon.Float64}
	}
	sc.s.settle(&inc.Record)
	return inc, nil
}

// scanIncident reads one row into a new Incident.
func (s *Store) scanIncident(r rowScanner) (*leoc.Incident, error) {
	inc, err := s.newIncidentScan().scan(r)
	if err != nil {
		return nil, err
	}
	c := *inc
	return &c, nil
}

// loadIncidentRules reads what an incident is validated against
// (IncidentRules keeps it).
func (s *Store) loadIncidentRules(ctx context.Context) (leoc.IncidentRules, error) {
	var r leoc.IncidentRules
	types, err := s.ListValues(ctx, ListDisasterType)
	if err != nil {
		return r, err
	}
	for _, t := range types {
		r.Types = append(r.Types, t.Key)
	}
	wards, err := s.Wards(ctx)
	if err != nil {
		return r, err
	}
	for _, w := range wards {
		r.Wards = append(r.Wards, w.Number)
	}
	r.Plausibility, err = s.Plausibility(ctx)
	return r, err
}

// CreateIncident adds an incident, locked, with its operations-log entry
// and its share of the statistics, all in one transaction. u must be
// allowed to write the incident's ward.
func (s *Store) CreateIncident(ctx context.Context, actor Actor, u *leoc.User, inc *leoc.Incident) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateIncidents(ctx, actor, u, []*leoc.Incident{inc}) })
}

// CreateIncidents adds incidents inside a larger transaction, each exactly
// as CreateIncident does; the demo generator creates thousands per
// transaction through here.
func (t *Tx) CreateIncidents(ctx context.Context, actor Actor, u *leoc.User, incs []*leoc.Incident) error {
	b := &incidentBatch{labels: map[string]string{}}
	if len(incs) > 1 && t.s.dialect == SQLite {
		// Parsing the 60-column insert and the statistics upsert costs as
		// much as running them; prepare them once for the batch. (pgx
		// already caches prepared statements per connection.)
		var err error
		if b.insert, err = t.tx.PrepareContext(ctx, incidentInsert); err != nil {
			return fmt.Errorf("store: prepare incident insert: %w", err)
		}
		defer b.insert.Close()
		if b.upsert, err = t.tx.PrepareContext(ctx, statsUpsert); err != nil {
			return fmt.Errorf("store: prepare statistics upsert: %w", err)
		}
		defer b.upsert.Close()
	}
	for _, inc := range incs {
		if err := t.createIncident(ctx, actor, u, inc, b); err != nil {
			return err
		}
	}
	return nil
}

// incidentBatch is what the creates of one transaction share: prepared
// statements (nil when not prepared) and the labels of the disaster types.
type incidentBatch struct {
	insert, upsert *sql.Stmt
	labels         map[string]string
}

var incidentInsert = "INSERT INTO incidents (" + strings.Join(incidentFields, ", ") + ", " + recordColumns + ") VALUES (" +
	strings.TrimSuffix(strings.Repeat("?, ", len(incidentFields)+6), ", ") + ") RETURNING id"

func (t *Tx) createIncident(ctx context.Context, actor Actor, u *leoc.User, inc *leoc.Incident, b *incidentBatch) error {
	if !u.CanWriteWard(inc.Ward) {
		return leoc.Errorf(leoc.EForbidden, "record.other_ward", inc.Ward)
	}
	t.s.stamp(&inc.Record, actor)
	args := append(incidentArgs(inc), inc.Locked, inc.Version, inc.CreatedAt, inc.CreatedBy, inc.UpdatedAt, inc.UpdatedBy)
	var row *sql.Row
	if b.insert != nil {
		row = b.insert.QueryRowContext(ctx, args...)
	} else {
		row = t.queryRow(ctx, incidentInsert, args...)
	}
	if err := row.Scan(&inc.ID); err != nil {
		return incidentWriteError("create", err)
	}
	t.s.settle(&inc.Record)
	if err := t.adjustIncidentStats(ctx, b.upsert, nil, inc); err != nil {
		return err
	}
	if !importingHistory(ctx) {
		if err := t.logIncident(ctx, actor, inc, b.labels); err != nil {
			return err
		}
	}
	return t.Audit(ctx, actor, "record.create", IncidentRegister.Name, strconv.FormatInt(inc.ID, 10), map[string]any{"after": inc.Fields()})
}

// incidentWriteError names a settings value removed while the incident was
// being saved (the foreign keys catch it), and wraps anything else.
func incidentWriteError(op string, err error) error {
	if IsForeignKey(err) {
		return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("incident.setting_gone"), Err: err}
	}
	return fmt.Errorf("store: %s incident: %w", op, err)
}

// logIncident writes the operations-log entry that every new incident gets
// ("incident report"), in Nepali like the rest of the stored record.
func (t *Tx) logIncident(ctx context.Context, actor Actor, inc *leoc.Incident, labels map[string]string) error {
	label, ok := labels[inc.Type]
	if !ok {
		if err := t.queryRow(ctx, "SELECT label_ne FROM list_values WHERE list = ? AND key = ?", ListDisasterType, inc.Type).Scan(&label); err != nil {
			return fmt.Errorf("store: incident type label: %w", err)
		}
		labels[inc.Type] = label
	}
	ward := "वडा नं. " + bs.DevanagariDigits(strconv.Itoa(inc.Ward))
	location := ward
	if inc.Tole != "" {
		location += ", " + inc.Tole
	}
	desc := fmt.Sprintf("विपद् घटना दर्ता नं. %s: %s, %s", bs.DevanagariDigits(strconv.FormatInt(inc.ID, 10)), label, location)
	if inc.Description != "" {
		desc += "\n" + truncateRunes(inc.Description, 3500)
	}
	e := &leoc.EventLog{Dated: inc.Dated, Time: inc.Time, Type: "incident_report", Description: desc,
		Location: truncateRunes(location, 200), Status: "active", IncidentID: inc.ID, Ward: inc.Ward}
	return t.CreateEventLog(ctx, actor, e)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func (t *Tx) loadIncident(ctx context.Context, id int64) (*leoc.Incident, error) {
	inc, err := t.s.scanIncident(t.queryRow(ctx, "SELECT "+incidentColumns+" FROM incidents WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return inc, nil
}

// Incident loads one incident.
func (s *Store) Incident(ctx context.Context, id int64) (*leoc.Incident, error) {
	inc, err := s.scanIncident(s.queryRow(ctx, "SELECT "+incidentColumns+" FROM incidents WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return inc, nil
}

// UpdateIncident saves an unlocked incident if nobody saved it since the
// client loaded version inc.Version; the save locks it again. A ward
// secretary may neither change another ward's incident nor move one of
// theirs to another ward.
func (s *Store) UpdateIncident(ctx context.Context, actor Actor, u *leoc.User, inc *leoc.Incident) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, IncidentRegister, inc.ID, u); err != nil {
			return err
		}
		if !u.CanWriteWard(inc.Ward) {
			return leoc.Errorf(leoc.EForbidden, "record.other_ward", inc.Ward)
		}
		old, err := tx.loadIncident(ctx, inc.ID)
		if err != nil {
			return err
		}
		set := strings.Join(incidentFields, " = ?, ") + " = ?"
		if err := tx.updateVersioned(ctx, "incidents", inc.ID, inc.Version, actor, set, incidentArgs(inc)...); err != nil {
			if leoc.ErrorCode(err) == leoc.EConflict {
				return err
			}
			return incidentWriteError("update", err)
		}
		if err := tx.adjustIncidentStats(ctx, nil, old, inc); err != nil {
			return err
		}
		saved, err := tx.loadIncident(ctx, inc.ID)
		if err != nil {
			return err
		}
		*inc = *saved
		return tx.Audit(ctx, actor, "record.update", IncidentRegister.Name, strconv.FormatInt(inc.ID, 10),
			map[string]any{"changes": Changes(old.Fields(), inc.Fields())})
	})
}

// DeleteIncident removes an unlocked incident and its share of the
// statistics; its content stays in the audit trail and its operations-log
// entry stays in the log, which is history.
func (s *Store) DeleteIncident(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, IncidentRegister, id, u); err != nil {
			return err
		}
		old, err := tx.loadIncident(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM incidents WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: delete incident: %w", err)
		}
		if err := tx.adjustIncidentStats(ctx, nil, old, nil); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "record.delete", IncidentRegister.Name, strconv.FormatInt(id, 10), map[string]any{"before": old.Fields()})
	})
}

// IncidentSorts are the sort keys of the incident list.
var IncidentSorts = []string{"date", "ward", "type", "deaths", "loss"}

var incidentSort = map[string]string{"ward": "ward", "type": "type", "deaths": "deaths", "loss": "estimated_loss"}

// incidentOrder sorts by date (with time and id, as the indexes hold them)
// unless another whitelisted key is asked for.
func incidentOrder(f RecordFilter) string {
	dir := " DESC"
	if f.Asc {
		dir = " ASC"
	}
	byDate := "date_ad" + dir + ", time_of_day" + dir + ", id" + dir
	if col, ok := incidentSort[f.Sort]; ok {
		return " ORDER BY " + col + dir + ", " + byDate
	}
	return " ORDER BY " + byDate
}

func (s *Store) incidentWhere(f RecordFilter) *where {
	var w where
	s.common(&w, f, "ward", "tole", "description")
	return &w
}

// onlyKeyFilters reports whether a filter uses only what the statistics
// rows are keyed by, so they can answer it.
func onlyKeyFilters(f RecordFilter) bool {
	return f.From == "" && f.To == "" && strings.TrimSpace(f.Query) == ""
}

// Incidents lists one page of incidents and the total. The total of a
// filter by fiscal year, ward and type comes from the statistics rows, so
// it costs nothing however many incidents there are.
func (s *Store) Incidents(ctx context.Context, f RecordFilter) ([]*leoc.Incident, int, error) {
	if err := s.prepareSearch(ctx, &f, "incidents", leoc.NormalizeText); err != nil {
		return nil, 0, err
	}
	w := s.incidentWhere(f)
	total, err := s.countIncidents(ctx, f, w)
	if err != nil {
		return nil, 0, err
	}
	limit, _ := pageBounds(f.Page, f.PerPage)
	out := make([]*leoc.Incident, 0, limit)
	err = s.readPage(ctx, listPage{table: "incidents", read: incidentColumns, w: w, order: incidentOrder(f)}, f, func(r rowScanner) error {
		inc, err := s.scanIncident(r)
		out = append(out, inc)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func (s *Store) countIncidents(ctx context.Context, f RecordFilter, w *where) (int, error) {
	if searching(f) {
		total, capped, err := s.countSearch(ctx, "incidents", w, rowOrder(f, incidentOrder(f)), f.indexed.of(w), nil)
		reportCapped(f, capped)
		return total, err
	}
	q := "SELECT COUNT(*) FROM incidents" + w.sql()
	if onlyKeyFilters(f) {
		q = "SELECT COALESCE(CAST(SUM(incidents) AS BIGINT), 0) FROM incident_stats" + w.sql()
	}
	var total int
	if err := s.queryRow(ctx, q, w.args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("store: count incidents: %w", err)
	}
	return total, nil
}

// EachIncident calls fn for every incident the filter selects (all pages),
// in list order, streaming from the database: fn gets the same *Incident
// each time, overwritten row by row, and must not keep it.
func (s *Store) EachIncident(ctx context.Context, f RecordFilter, fn func(*leoc.Incident) error) error {
	w := s.incidentWhere(f)
	rows, err := s.query(ctx, "SELECT "+incidentColumns+" FROM incidents"+w.sql()+incidentOrder(f), w.args...)
	if err != nil {
		return fmt.Errorf("store: export incidents: %w", err)
	}
	defer rows.Close()
	sc := s.newIncidentScan()
	for rows.Next() {
		inc, err := sc.scan(rows)
		if err != nil {
			return fmt.Errorf("store: export incidents: %w", err)
		}
		if err := fn(inc); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: export incidents: %w", err)
	}
	return nil
}
