package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// DistributionRegister plugs the relief distribution register into locking,
// ward limits and settings.
var DistributionRegister = Register{Name: "distributions", Table: "distributions", WardColumn: "ward",
	ListColumns: []ListColumn{
		{List: ListDisasterType, Table: "distributions", Column: "disaster_type"},
		{List: ListAllowanceType, Table: "distributions", Column: "allowance_type"},
	}}

// distributionFields are the written columns, in the order of distributionArgs.
var distributionFields = []string{
	"household_name", "household_id", "household_key", "father_name", "father_key", "name_key", "phone", "search_text",
	"incident_id", "disaster_type", "disaster_date_bs", "scope_key", "dup_key", "override_reason",
	"date_bs", "date_ad", "fiscal_year", "ward", "tole", "place", "latitude", "longitude", "shelter",
	"members_count", "male", "female", "children", "pregnant", "infant_mothers", "deaths",
	"ssf_enrolled", "allowance_type", "poverty_card", "bank_holder", "bank_account", "bank_name", "cash", "status", "notes",
	"received_by", "warehouse_id",
}

// distributionRead are the columns read back (the derived keys are not), in
// the order of distributionScan: the row's own values, then the coordinates
// and times, then the children. On SQLite the row's own values are one JSON
// array that the database builds (rowColumn): a page of 50 rows of 44
// columns was 2,200 values the driver handed over one by one — each
// sqlite3_column_* call takes the connection's mutex, each text is a copy
// and an interface value — where 50 strings of JSON are read in Go as
// slices of themselves. On PostgreSQL they stay columns: pgx hands them
// over cheaply, and json_build_array cost the server more (0.7 ms a page
// in EXPLAIN ANALYZE, 4 December 2026) than it saved in Go. Coordinates
// stay columns on both because PostgreSQL writes a float in JSON by
// extra_float_digits, which a session may lower; times because the
// drivers parse them.
var distributionRead = []string{
	"id", "household_name", "household_id", "father_name", "phone", "incident_id", "disaster_type", "disaster_date_bs",
	"override_reason", "date_bs", "date_ad", "fiscal_year", "ward", "tole", "place", "shelter",
	"pregnant", "infant_mothers", "deaths", "ssf_enrolled", "allowance_type", "poverty_card",
	"bank_holder", "bank_account", "bank_name", "cash", "status", "notes",
	"received_by", "warehouse_id", "locked", "version", "created_by", "updated_by",
}

// distributionColumns are what distributionScan reads: the row, its
// metadata and its members, harms and items (distribution_children.go).
func (s *Store) distributionColumns() string {
	if s.dialect == Postgres {
		return distributionColumnsPostgres
	}
	return distributionColumnsSQLite
}

var (
	distributionColumnsSQLite   = rowColumn(distributionRead) + ", latitude, longitude, created_at, updated_at, " + childColumns(SQLite)
	distributionColumnsPostgres = strings.Join(distributionRead, ", ") + ", latitude, longitude, created_at, updated_at, " + childColumns(Postgres)
)

func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

func distributionArgs(d *leoc.Distribution) []any {
	var lat, lon any
	if d.Coords != nil {
		lat, lon = d.Coords.Latitude, d.Coords.Longitude
	}
	disasterDate := ""
	if !d.DisasterDate.IsZero() {
		disasterDate = d.DisasterDate.String()
	}
	return []any{
		d.HouseholdName, d.HouseholdID, leoc.HouseholdKey(d.HouseholdID), d.FatherName, leoc.FoldText(d.FatherName),
		leoc.FoldText(d.HouseholdName), d.Phone, d.SearchText(),
		nullable(d.IncidentID), d.DisasterType, disasterDate, d.ScopeKey(), nullable(d.DuplicateKey()), d.OverrideReason,
		d.DateBS.String(), dateText(d.DateAD), d.FiscalYear.Start, d.Ward, d.Tole, d.Place, lat, lon, d.Shelter,
		len(d.Members), d.Male(), d.Female(), d.Children(), d.Pregnant, d.InfantMothers, d.Deaths,
		d.SSFEnrolled, nullable(d.AllowanceType), d.PovertyCard, d.BankHolder, d.BankAccount, d.BankName, int64(d.Cash), d.Status, d.Notes,
		d.ReceivedBy, nullable(d.WarehouseID),
	}
}

// distributionScan reads rows of distributionColumns into one reused
// distribution. The columns are scanned as the driver gives them (an *any
// each, as the statistics rows are) and the row's JSON array read here:
// database/sql converts into an *int, a *bool or a sql.Null* through
// reflection.
type distributionScan struct {
	s    *Store // settles the lock of each record read
	d    leoc.Distribution
	row  *sumRow
	f    rowFields
	kids childArrays
}

func (s *Store) newDistributionScan() *distributionScan {
	n := len(distributionRead)
	if s.dialect == SQLite {
		n = 1
	}
	return &distributionScan{s: s, row: newSumRow(n + 4 + 3), f: rowFields{json: s.dialect == SQLite}}
}

func (sc *distributionScan) scan(r rowScanner) (*leoc.Distribution, error) {
	if err := r.Scan(sc.row.dest...); err != nil {
		return nil, err
	}
	v, d, f := sc.row, &sc.d, &sc.f
	v.err = nil
	var disasterDate, dateBS, dateAD string
	m := &d.Record
	next, err := f.read(v, &sc.kids, func() {
		d.ID, d.HouseholdName, d.HouseholdID, d.FatherName, d.Phone = f.int(), f.text(), f.text(), f.text(), f.text()
		d.IncidentID, d.DisasterType, disasterDate = f.int(), f.text(), f.text()
		d.OverrideReason, dateBS, dateAD = f.text(), f.text(), f.text()
		d.FiscalYear.Start, d.Ward, d.Tole, d.Place = int(f.int()), int(f.int()), f.text(), f.text()
		d.Shelter = f.text()
		d.Pregnant, d.InfantMothers, d.Deaths = int(f.int()), int(f.int()), int(f.int())
		d.SSFEnrolled, d.AllowanceType, d.PovertyCard = f.bool(), f.text(), f.bool()
		d.BankHolder, d.BankAccount, d.BankName = f.text(), f.text(), f.text()
		d.Cash, d.Status, d.Notes = leoc.Money(f.int()), f.text(), f.text()
		d.ReceivedBy, d.WarehouseID = f.text(), f.int()
		m.Locked, m.Version, m.CreatedBy, m.UpdatedBy = f.bool(), int(f.int()), f.text(), f.text()
	})
	if err != nil {
		return nil, fmt.Errorf("store: distribution %d: %w", d.ID, err)
	}
	d.DisasterDate = storedDateOrZero(disasterDate)
	d.Coords = nil
	if lat, ok := v.float(next); ok {
		if lon, ok := v.float(next + 1); ok {
			d.Coords = &leoc.Coordinates{Latitude: lat, Longitude: lon}
		}
	}
	m.CreatedAt, m.UpdatedAt = v.time(next+2), v.time(next+3)
	if v.err != nil {
		return nil, fmt.Errorf("store: distribution %d: %w", d.ID, v.err)
	}
	if d.DateBS, err = storedDate(dateBS); err != nil {
		return nil, fmt.Errorf("store: distribution %d has a bad date %q: %w", d.ID, dateBS, err)
	}
	if d.DateAD, err = time.Parse(time.DateOnly, dateAD); err != nil {
		return nil, fmt.Errorf("store: distribution %d has a bad AD date %q: %w", d.ID, dateAD, err)
	}
	if err := sc.kids.children(d, v.text(next+4), v.text(next+5), v.text(next+6)); err != nil {
		return nil, fmt.Errorf("store: distribution %d: %w", d.ID, err)
	}
	m.OpenUntil = time.Time{} // settled anew: it is not stored
	sc.s.settle(&d.Record)
	return d, nil
}

func storedDateOrZero(s string) (d bs.Date) {
	if s == "" {
		return d
	}
	d, _ = storedDate(s)
	return d
}

// loadDistributionRules reads what a distribution is validated against
// (DistributionRules keeps it).
func (s *Store) loadDistributionRules(ctx context.Context) (leoc.DistributionRules, error) {
	r := leoc.DistributionRules{Units: map[string][]string{}}
	ir, err := s.IncidentRules(ctx)
	if err != nil {
		return r, err
	}
	r.Types, r.Wards = ir.Types, ir.Wards
	allowances, err := s.ListValues(ctx, ListAllowanceType)
	if err != nil {
		return r, err
	}
	for _, a := range allowances {
		r.Allowances = append(r.Allowances, a.Key)
	}
	items, err := s.DistributableItems(ctx)
	if err != nil {
		return r, err
	}
	for _, it := range items {
		var units []string
		for _, u := range []string{it.UnitNe, it.UnitEn} {
			if u != "" && !slices.Contains(units, u) {
				units = append(units, u)
			}
		}
		r.Units[it.Key] = units
	}
	return r, nil
}

// DuplicateWarning says that another distribution for the same disaster has
// the same phone, or the same name and father's name: perhaps the same
// household under another identity number. It is shown, not refused.
type DuplicateWarning struct {
	Kind           string // "phone" or "name"
	DistributionID int64
}

// DuplicateDistribution is the cause of the conflict when a household
// already received relief for the same disaster: the existing record.
type DuplicateDistribution struct{ ExistingID int64 }

func (e *DuplicateDistribution) Error() string {
	return fmt.Sprintf("household already has distribution %d for this disaster", e.ExistingID)
}

func duplicateError(id int64) error {
	return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("distribution.duplicate", id),
		Fields: map[string]leoc.Msg{"household_id": leoc.M("distribution.duplicate", id)}, Err: &DuplicateDistribution{ExistingID: id}}
}

// CreateDistribution adds a distribution, locked, with its child rows, its
// fund expenditure (refused when the balance is short), its statistics and
// its audit entry, all in one transaction.
func (s *Store) CreateDistribution(ctx context.Context, actor Actor, u *leoc.User, d *leoc.Distribution) ([]DuplicateWarning, error) {
	var warnings []DuplicateWarning
	err := s.WithTx(ctx, func(tx *Tx) error {
		var err error
		warnings, err = tx.CreateDistribution(ctx, actor, u, d)
		return err
	})
	return warnings, s.afterDistributionWrite(ctx, d, err)
}

// afterDistributionWrite turns a unique violation of the duplicate key (a
// race the check inside the transaction could not see) into the same
// conflict, with the record that won.
func (s *Store) afterDistributionWrite(ctx context.Context, d *leoc.Distribution, err error) error {
	if err == nil || !IsUnique(err) || d.DuplicateKey() == "" {
		return err
	}
	var id int64
	if qerr := s.queryRow(ctx, "SELECT id FROM distributions WHERE dup_key = ?", d.DuplicateKey()).Scan(&id); qerr != nil {
		return errors.Join(err, qerr)
	}
	return duplicateError(id)
}

// CreateDistribution adds a distribution inside a larger transaction (the
// demo generator batches them).
func (t *Tx) CreateDistribution(ctx context.Context, actor Actor, u *leoc.User, d *leoc.Distribution) ([]DuplicateWarning, error) {
	if !u.CanWriteWard(d.Ward) {
		return nil, leoc.Errorf(leoc.EForbidden, "record.other_ward", d.Ward)
	}
	if err := t.prepareDistribution(ctx, u, d, 0); err != nil {
		return nil, err
	}
	t.s.stamp(&d.Record, actor)
	q := "INSERT INTO distributions (" + strings.Join(distributionFields, ", ") + ", " + recordColumns + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(distributionFields)+6), ", ") + ") RETURNING id"
	args := append(distributionArgs(d), d.Locked, d.Version, d.CreatedAt, d.CreatedBy, d.UpdatedAt, d.UpdatedBy)
	if err := t.queryRow(ctx, q, args...).Scan(&d.ID); err != nil {
		return nil, distributionWriteError("create", err)
	}
	t.s.settle(&d.Record)
	if err := t.writeDistributionChildren(ctx, d, false); err != nil {
		return nil, err
	}
	if err := t.syncDistributionStock(ctx, actor, nil, d); err != nil {
		return nil, err
	}
	if err := t.syncCashEntry(ctx, actor, nil, d); err != nil {
		return nil, err
	}
	if err := t.adjustDistributionStats(ctx, nil, d); err != nil {
		return nil, err
	}
	// The rows every writer shares are written last and in one order — the
	// statistics above, the fund balance here, the audit head at the commit
	// (Tx.writeLast, Tx.Audit) — so that concurrent writers on PostgreSQL
	// wait for each other only for the last two round trips and cannot
	// deadlock.
	if d.Cash > 0 {
		if err := t.moveBalanceLast(ctx, -d.Cash); err != nil {
			return nil, err
		}
	}
	// Imported history brings no warnings of its own: the old system's
	// possible duplicates are in the import's report.
	var warnings []DuplicateWarning
	if !importingHistory(ctx) {
		var err error
		if warnings, err = t.duplicateWarnings(ctx, d); err != nil {
			return nil, err
		}
	}
	details := map[string]any{"after": d.Fields()}
	if len(warnings) > 0 {
		details["warnings"] = warnings
	}
	return warnings, t.Audit(ctx, actor, "record.create", DistributionRegister.Name, strconv.FormatInt(d.ID, 10), details)
}

// prepareDistribution checks what needs the database: the incident (whose
// type and date the distribution takes), the override permission, and the
// duplicate rule. self is the distribution being updated (0 on create).
func (t *Tx) prepareDistribution(ctx context.Context, u *leoc.User, d *leoc.Distribution, self int64) error {
	if d.IncidentID != 0 {
		var typ, date string
		err := t.queryRow(ctx, "SELECT type, date_bs FROM incidents WHERE id = ?", d.IncidentID).Scan(&typ, &date)
		if errors.Is(err, sql.ErrNoRows) {
			return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
				Fields: map[string]leoc.Msg{"incident_id": leoc.M("distribution.incident_unknown")}}
		}
		if err != nil {
			return fmt.Errorf("store: distribution incident: %w", err)
		}
		d.DisasterType = typ
		d.DisasterDate = storedDateOrZero(date)
	}
	if d.WarehouseID != 0 {
		if err := t.checkDistributionWarehouse(ctx, d.WarehouseID); err != nil {
			return err
		}
	}
	if d.OverrideReason != "" && !u.Can(leoc.PermUnlock) {
		return &leoc.Error{Code: leoc.EForbidden, Message: leoc.M("distribution.override_not_allowed"),
			Fields: map[string]leoc.Msg{"override_reason": leoc.M("distribution.override_not_allowed")}}
	}
	if key := d.DuplicateKey(); key != "" {
		var existing int64
		err := t.queryRow(ctx, "SELECT id FROM distributions WHERE dup_key = ? AND id <> ?", key, self).Scan(&existing)
		if err == nil {
			return duplicateError(existing)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: duplicate check: %w", err)
		}
	}
	return nil
}

func distributionWriteError(op string, err error) error {
	if IsForeignKey(err) {
		return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("incident.setting_gone"), Err: err}
	}
	return fmt.Errorf("store: %s distribution: %w", op, err)
}

// writeDistributionChildren writes members, harms and items; on update the
// old rows are replaced wholesale. On create nothing in the transaction
// reads them again, so their inserts go in the first pipeline with the
// shared rows (Tx.writeLast) rather than a round trip each while the writer
// holds its place; an update reads the saved distribution back, so writes
// them at once.
func (t *Tx) writeDistributionChildren(ctx context.Context, d *leoc.Distribution, replace bool) error {
	insert := func(into string, rows [][]any, wrap func(error) error) error {
		if !replace {
			return t.insertRowsLast(ctx, into, rows, wrap)
		}
		err := t.insertRows(ctx, into, rows)
		if err != nil && wrap != nil {
			return wrap(err)
		}
		return err
	}
	if replace {
		for _, table := range []string{"distribution_members", "distribution_harms", "distribution_items"} {
			if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE distribution_id = ?", d.ID); err != nil {
				return fmt.Errorf("store: replace %s: %w", table, err)
			}
		}
	}
	var rows [][]any
	for i, m := range d.Members {
		rows = append(rows, []any{d.ID, i, m.Name, m.Relation, m.Age, m.Sex})
	}
	if err := insert("distribution_members (distribution_id, position, name, relation, age, sex)", rows, nil); err != nil {
		return err
	}
	rows = nil
	for i, h := range d.Harms {
		rows = append(rows, []any{d.ID, i, h.Member, h.Harm, h.Severity})
	}
	if err := insert("distribution_harms (distribution_id, position, member, harm, severity)", rows, nil); err != nil {
		return err
	}
	rows = nil
	for i, it := range d.Items {
		rows = append(rows, []any{d.ID, i, it.Item, it.Quantity, it.Unit})
	}
	return insert("distribution_items (distribution_id, position, item, quantity, unit)", rows,
		func(err error) error { return distributionWriteError("write items of", err) })
}

// insertRows writes rows with one multi-row INSERT.
func (t *Tx) insertRows(ctx context.Context, into string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	q, args := insertStatement(into, rows)
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("store: insert %s: %w", into, translate(err))
	}
	return nil
}

// insertRowsLast queues the multi-row INSERT of rows for the end of the
// transaction (Tx.writeLast), for rows the transaction does not read
// again; wrap, when set, makes the error its failure is reported as.
func (t *Tx) insertRowsLast(ctx context.Context, into string, rows [][]any, wrap func(error) error) error {
	if len(rows) == 0 {
		return nil
	}
	q, args := insertStatement(into, rows)
	return t.writeLast(ctx, lastWrite{q: q, args: args, what: "insert " + into, wrap: wrap})
}

func insertStatement(into string, rows [][]any) (string, []any) {
	mark := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	args := make([]any, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		args = append(args, r...)
	}
	return "INSERT INTO " + into + " VALUES " + strings.TrimSuffix(strings.Repeat(mark+", ", len(rows)), ", "), args
}

// duplicateWarnings finds other distributions of the same disaster with the
// same phone, or the same name and father's name.
func (t *Tx) duplicateWarnings(ctx context.Context, d *leoc.Distribution) ([]DuplicateWarning, error) {
	return duplicateWarnings(ctx, t.query, d)
}

// DistributionWarnings lists the possible duplicates of a saved
// distribution, for its detail page.
func (s *Store) DistributionWarnings(ctx context.Context, d *leoc.Distribution) ([]DuplicateWarning, error) {
	return duplicateWarnings(ctx, s.query, d)
}

func duplicateWarnings(ctx context.Context, query queryFunc, d *leoc.Distribution) ([]DuplicateWarning, error) {
	father := leoc.FoldText(d.FatherName)
	rows, err := query(ctx, `SELECT id, phone FROM distributions WHERE scope_key = ? AND id <> ?
		AND ((phone <> '' AND phone = ?) OR (father_key <> '' AND name_key = ? AND father_key = ?)) ORDER BY id LIMIT 10`,
		d.ScopeKey(), d.ID, d.Phone, leoc.FoldText(d.HouseholdName), father)
	if err != nil {
		return nil, fmt.Errorf("store: duplicate warnings: %w", err)
	}
	defer rows.Close()
	var out []DuplicateWarning
	for rows.Next() {
		var w DuplicateWarning
		var phone string
		if err := rows.Scan(&w.DistributionID, &phone); err != nil {
			return nil, fmt.Errorf("store: duplicate warnings: %w", err)
		}
		w.Kind = "name"
		if d.Phone != "" && phone == d.Phone {
			w.Kind = "phone"
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (t *Tx) loadDistribution(ctx context.Context, id int64) (*leoc.Distribution, error) {
	d, err := t.s.newDistributionScan().scan(t.queryRow(ctx, "SELECT "+t.s.distributionColumns()+" FROM distributions WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	c := *d
	return &c, nil
}

// Distribution loads one distribution with its members, harms and items.
func (s *Store) Distribution(ctx context.Context, id int64) (*leoc.Distribution, error) {
	d, err := s.newDistributionScan().scan(s.queryRow(ctx, "SELECT "+s.distributionColumns()+" FROM distributions WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	c := *d
	return &c, nil
}

type queryFunc func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

// UpdateDistribution saves an unlocked distribution if nobody saved it since
// version d.Version was loaded; its cash entry and the balance move with it.
func (s *Store) UpdateDistribution(ctx context.Context, actor Actor, u *leoc.User, d *leoc.Distribution) ([]DuplicateWarning, error) {
	var warnings []DuplicateWarning
	err := s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, DistributionRegister, d.ID, u); err != nil {
			return err
		}
		if !u.CanWriteWard(d.Ward) {
			return leoc.Errorf(leoc.EForbidden, "record.other_ward", d.Ward)
		}
		old, err := tx.loadDistribution(ctx, d.ID)
		if err != nil {
			return err
		}
		if err := tx.prepareDistribution(ctx, u, d, d.ID); err != nil {
			return err
		}
		set := strings.Join(distributionFields, " = ?, ") + " = ?"
		if err := tx.updateVersioned(ctx, "distributions", d.ID, d.Version, actor, set, distributionArgs(d)...); err != nil {
			if leoc.ErrorCode(err) == leoc.EConflict {
				return err
			}
			return distributionWriteError("update", err)
		}
		if err := tx.writeDistributionChildren(ctx, d, true); err != nil {
			return err
		}
		if err := tx.syncDistributionStock(ctx, actor, old, d); err != nil {
			return err
		}
		if err := tx.syncCashEntry(ctx, actor, old, d); err != nil {
			return err
		}
		if err := tx.adjustDistributionStats(ctx, old, d); err != nil {
			return err
		}
		// Shared rows last: see CreateDistribution.
		if delta := d.Cash - old.Cash; delta != 0 {
			if err := tx.moveBalanceLast(ctx, -delta); err != nil {
				return err
			}
		}
		if warnings, err = tx.duplicateWarnings(ctx, d); err != nil {
			return err
		}
		saved, err := tx.loadDistribution(ctx, d.ID)
		if err != nil {
			return err
		}
		*d = *saved
		details := map[string]any{"changes": Changes(old.Fields(), d.Fields())}
		if d.OverrideReason != "" && old.OverrideReason != d.OverrideReason {
			details["override_reason"] = d.OverrideReason
		}
		return tx.Audit(ctx, actor, "record.update", DistributionRegister.Name, strconv.FormatInt(d.ID, 10), details)
	})
	return warnings, s.afterDistributionWrite(ctx, d, err)
}

// DeleteDistribution removes an unlocked distribution: its cash goes back
// into the fund (its expenditure entry is removed, the audit trail keeps
// it) and its statistics are taken out. Its files stay until an admin
// purges them.
func (s *Store) DeleteDistribution(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, DistributionRegister, id, u); err != nil {
			return err
		}
		old, err := tx.loadDistribution(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.syncCashEntry(ctx, actor, old, nil); err != nil {
			return err
		}
		if err := tx.syncDistributionStock(ctx, actor, old, nil); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM distributions WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: delete distribution: %w", err)
		}
		if err := tx.adjustDistributionStats(ctx, old, nil); err != nil {
			return err
		}
		if old.Cash > 0 { // shared rows last: see CreateDistribution
			if err := tx.moveBalanceLast(ctx, old.Cash); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, actor, "record.delete", DistributionRegister.Name, strconv.FormatInt(id, 10), map[string]any{"before": old.Fields()})
	})
}
