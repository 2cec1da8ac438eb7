package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"leoc/internal/leoc"
)

// The map's points: only what a marker and its popup need, read in one
// query per layer with no joins, so that 100,000 distributions answer in
// well under the 200 ms the map allows (see docs/map.md). Records without
// coordinates are not points; the ward figures of the choropleth count
// them from the statistics instead.

// IncidentPoint is one incident on the map.
type IncidentPoint struct {
	ID       int64
	DateBS   string
	Type     string
	Ward     int
	Lat, Lon float64
	Deaths   int64
	Missing  int64
	Injured  int64
	// AffectedHouseholds is the number of households affected.
	AffectedHouseholds int64
}

// DistributionPoint is one distribution on the map. HouseholdName is
// personal data: the caller masks it (and drops the point, whose position is
// the household's too) with the list rules. The text fields are the
// driver's buffers, valid only during the call that receives them: copying
// 100,000 names into strings that are thrown away at once is most of the
// time such an answer would take.
type DistributionPoint struct {
	ID            int64
	DateBS        []byte
	Type          []byte
	Ward          int
	Lat, Lon      float64
	HouseholdName []byte
	Cash          leoc.Money
}

// IncidentPoints lists the incidents of the filter that have coordinates,
// by id. Paging and sorting in f are ignored.
func (s *Store) IncidentPoints(ctx context.Context, f RecordFilter) ([]IncidentPoint, error) {
	w := s.incidentWhere(f)
	w.add("latitude IS NOT NULL")
	rows, err := s.query(ctx, "SELECT id, date_bs, type, ward, latitude, longitude, deaths, missing, injured, affected_households FROM incidents"+w.sql()+" ORDER BY id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: incident points: %w", err)
	}
	defer rows.Close()
	var out []IncidentPoint
	for rows.Next() {
		var p IncidentPoint
		if err := rows.Scan(&p.ID, &p.DateBS, &p.Type, &p.Ward, &p.Lat, &p.Lon, &p.Deaths, &p.Missing, &p.Injured, &p.AffectedHouseholds); err != nil {
			return nil, fmt.Errorf("store: incident points: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: incident points: %w", err)
	}
	return out, nil
}

// DistributionPoints lists the distributions of the filter that have
// coordinates, by id, calling each for every one so that 100,000 points are
// never held twice. Paging and sorting in f are ignored.
//
// The rows are read in parts: the distributions' id span is cut into parts
// consecutive ranges, each read by its own query on its own connection in
// its own goroutine, and each(part, p) is called from that part's goroutine
// with the rows of the range in id order, so part 0's rows come before part
// 1's. The driver's row loop is most of the time a large map answer takes
// and uses one core; reading two halves at once uses two (docs/map.md).
// each must not share state across parts without locking; p's buffers are
// reused by the next row of its part. Rows written while the parts are read
// may show in one part and not in another, as with any two reads.
func (s *Store) DistributionPoints(ctx context.Context, f DistributionFilter, parts int, each func(part int, p *DistributionPoint)) error {
	parts = max(parts, 1)
	var lo, hi sql.NullInt64
	if parts > 1 {
		// MIN and MAX of the primary key are index look-ups, not scans.
		if err := s.queryRow(ctx, "SELECT MIN(id), MAX(id) FROM distributions").Scan(&lo, &hi); err != nil {
			return fmt.Errorf("store: distribution points: %w", err)
		}
		if !lo.Valid || hi.Int64-lo.Int64 < int64(parts) {
			parts = 1 // too few to be worth it
		}
	}
	if parts == 1 {
		return s.distributionPointRange(ctx, f, 0, 0, func(p *DistributionPoint) { each(0, p) })
	}
	step := (hi.Int64 - lo.Int64 + 1) / int64(parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		// The first part is open below and the last open above, so that
		// the parts cover every id, also one added since the span was read.
		var from, to int64
		if i > 0 {
			from = lo.Int64 + int64(i)*step
		}
		if i < parts-1 {
			to = lo.Int64 + int64(i+1)*step
		}
		wg.Go(func() {
			errs[i] = s.distributionPointRange(ctx, f, from, to, func(p *DistributionPoint) { each(i, p) })
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

var unitSeparator = []byte{0x1f}

// distributionPointRange reads the points with from <= id < to; a bound of
// 0 is no bound (ids start at 1).
func (s *Store) distributionPointRange(ctx context.Context, f DistributionFilter, from, to int64, each func(*DistributionPoint)) error {
	w := s.distributionWhere(f)
	w.add("latitude IS NOT NULL")
	if from != 0 {
		w.add("id >= ?", from)
	}
	if to != 0 {
		w.add("id < ?", to)
	}
	// The three text columns come as one, separated by the unit separator
	// (0x1F): the driver's cost is per column (a lock and an allocation
	// each), and a date and a type key never hold one. The name is last
	// and takes the rest, so even a name with one in it is read whole.
	sep := "char(31)" // SQLite
	if s.dialect == Postgres {
		sep = "chr(31)"
	}
	rows, err := s.query(ctx, "SELECT id, date_bs || "+sep+" || disaster_type || "+sep+" || household_name, ward, latitude, longitude, cash FROM distributions"+w.sql()+" ORDER BY id", w.args...)
	if err != nil {
		return fmt.Errorf("store: distribution points: %w", err)
	}
	defer rows.Close()
	var p DistributionPoint
	var texts sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&p.ID, &texts, &p.Ward, &p.Lat, &p.Lon, &p.Cash); err != nil {
			return fmt.Errorf("store: distribution points: %w", err)
		}
		var ok1, ok2 bool
		p.DateBS, texts, ok1 = bytes.Cut(texts, unitSeparator)
		p.Type, p.HouseholdName, ok2 = bytes.Cut(texts, unitSeparator)
		if !ok1 || !ok2 {
			return fmt.Errorf("store: distribution points: distribution %d: a separator in its date or type", p.ID)
		}
		each(&p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: distribution points: %w", err)
	}
	return nil
}

// DataVersion changes whenever any record, setting or list changes: every
// write appends to the audit trail in its own transaction, so the trail's
// last id is a version of everything the map shows. The map's ETag is
// built from it without building the answer, which is what makes a 304
// cheap.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	if err := s.queryRow(ctx, "SELECT MAX(id) FROM audit_log").Scan(&id); err != nil {
		return 0, fmt.Errorf("store: data version: %w", err)
	}
	return id.Int64, nil
}
