package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// householdKeysStep names the data migration that recomputed every stored
// household key with leoc.HouseholdKey. A later change of that rule needs a
// new name (and the same step run again).
const householdKeysStep = "household_keys_v2"

// HouseholdKeyCollision is a record that the household key shows to be the
// same household as another record of its register (for distributions: of
// the same disaster). It was reported, not merged: the record keeps KeptKey
// as its duplicate key until a person resolves it (corrects the number,
// deletes the record or records it again with an override reason).
type HouseholdKeyCollision struct {
	Register     string // "distributions" or "beneficiaries"
	RecordID     int64
	OtherID      int64 // the record that holds HouseholdKey
	HouseholdID  string
	HouseholdKey string
	KeptKey      string
	DetectedAt   time.Time
}

func (c HouseholdKeyCollision) String() string {
	return fmt.Sprintf("%s %d (%q) is the same household as %s %d (key %s); it keeps its old key %q until corrected",
		strings.TrimSuffix(c.Register, "s"), c.RecordID, c.HouseholdID, strings.TrimSuffix(c.Register, "s"), c.OtherID, c.HouseholdKey, c.KeptKey)
}

// HouseholdKeyCollisions lists the collisions found when the keys were
// recomputed, oldest first; `leoc migrate` prints them and serve logs them.
func (s *Store) HouseholdKeyCollisions(ctx context.Context) ([]HouseholdKeyCollision, error) {
	rows, err := s.query(ctx, `SELECT register, record_id, other_id, household_id, household_key, kept_key, detected_at
		FROM household_key_collisions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: household key collisions: %w", err)
	}
	defer rows.Close()
	var out []HouseholdKeyCollision
	for rows.Next() {
		var c HouseholdKeyCollision
		if err := rows.Scan(&c.Register, &c.RecordID, &c.OtherID, &c.HouseholdID, &c.HouseholdKey, &c.KeptKey, &c.DetectedAt); err != nil {
			return nil, fmt.Errorf("store: household key collisions: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// keyedRow is one stored record as the rekeying sees it: its unique key
// within a scope (the disaster of a distribution, the allowance of a
// beneficiary), the old value and the recomputed one.
type keyedRow struct {
	id                 int64
	householdID        string
	scope              string // uniqueness is per scope
	oldKey, newKey     string // the unique key (dup_key, id_key); "" when none (an override)
	oldHouse, newHouse string // the household key itself
	final              string
	collidesWith       int64
}

// assignKeys gives every row its final unique key without ever merging two
// rows: rows whose key does not change keep it; changed rows take their new
// key in id order while it is free; a row whose new key is already held is a
// collision and keeps its old key (or, if even that is now held, a marked
// key no rule produces).
func assignKeys(rows []*keyedRow) (collisions []*keyedRow) {
	holder := map[[2]string]int64{}
	for _, r := range rows {
		if r.oldKey == r.newKey && r.newKey != "" {
			r.final = r.newKey
			holder[[2]string{r.scope, r.newKey}] = r.id
		}
	}
	for _, r := range rows {
		if r.oldKey == r.newKey || r.newKey == "" {
			r.final = r.newKey
			continue
		}
		k := [2]string{r.scope, r.newKey}
		if id, taken := holder[k]; taken {
			r.collidesWith = id
			collisions = append(collisions, r)
			continue
		}
		r.final = r.newKey
		holder[k] = r.id
	}
	for _, r := range collisions {
		r.final = r.oldKey
		if _, taken := holder[[2]string{r.scope, r.oldKey}]; taken {
			r.final = r.oldKey + "#collision-" + strconv.FormatInt(r.id, 10)
		}
		holder[[2]string{r.scope, r.final}] = r.id
	}
	return collisions
}

// rekeyHouseholds is the data migration household_keys_v2: it recomputes
// the stored household keys of distributions and beneficiaries with
// leoc.HouseholdKey, rebuilds the distinct-household statistics, and reports
// (table household_key_collisions and one audit entry each) the records that
// now turn out to be the same household. It runs once, in one transaction;
// concurrent migrators on PostgreSQL wait for each other.
func (s *Store) rekeyHouseholds(ctx context.Context) error {
	// Every start comes here: a plain read answers "done" without taking
	// the lock below.
	var done int
	if err := s.wdb.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM data_migrations WHERE name = ?"), householdKeysStep).Scan(&done); err != nil {
		return fmt.Errorf("store: check data migration: %w", err)
	}
	if done > 0 {
		return nil
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if s.dialect == Postgres {
			if _, err := tx.exec(ctx, "LOCK TABLE data_migrations IN EXCLUSIVE MODE"); err != nil {
				return fmt.Errorf("store: lock data_migrations: %w", err)
			}
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM data_migrations WHERE name = ?", householdKeysStep).Scan(&n); err != nil {
			return fmt.Errorf("store: check data migration: %w", err)
		}
		if n > 0 {
			return nil
		}
		dists, err := tx.rekeyDistributions(ctx)
		if err != nil {
			return err
		}
		bens, err := tx.rekeyBeneficiaries(ctx)
		if err != nil {
			return err
		}
		now := s.Now()
		var all []HouseholdKeyCollision
		for _, c := range append(dists.collisions, bens.collisions...) {
			c.DetectedAt = now
			all = append(all, c)
			if _, err := tx.exec(ctx, `INSERT INTO household_key_collisions (register, record_id, other_id, household_id, household_key, kept_key, detected_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Register, c.RecordID, c.OtherID, c.HouseholdID, c.HouseholdKey, c.KeptKey, now); err != nil {
				return fmt.Errorf("store: record household key collision: %w", err)
			}
			if err := tx.Audit(ctx, SystemActor, "household_key.collision", c.Register, strconv.FormatInt(c.RecordID, 10), map[string]any{
				"same_household_as": c.OtherID, "household_id": c.HouseholdID, "household_key": c.HouseholdKey, "kept_key": c.KeptKey,
			}); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("distributions rekeyed: %d, beneficiaries rekeyed: %d, collisions: %d", dists.changed, bens.changed, len(all))
		if dists.changed+bens.changed > 0 {
			if err := tx.Audit(ctx, SystemActor, "household_key.rekey", "household_keys", householdKeysStep, map[string]any{
				"distributions": dists.changed, "beneficiaries": bens.changed, "collisions": len(all),
			}); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, "INSERT INTO data_migrations (name, applied_at, summary) VALUES (?, ?, ?)", householdKeysStep, now, summary); err != nil {
			return fmt.Errorf("store: record data migration: %w", err)
		}
		return nil
	})
}

type rekeyResult struct {
	changed    int
	collisions []HouseholdKeyCollision
}

func (t *Tx) rekeyDistributions(ctx context.Context) (rekeyResult, error) {
	var res rekeyResult
	type distRow struct {
		keyedRow
		name, father, phone string
		dup                 sql.NullString
	}
	rows, err := t.query(ctx, `SELECT id, household_id, household_key, scope_key, dup_key, household_name, father_name, phone
		FROM distributions ORDER BY id`)
	if err != nil {
		return res, fmt.Errorf("store: rekey distributions: %w", err)
	}
	var all []*distRow
	for rows.Next() {
		d := &distRow{}
		if err := rows.Scan(&d.id, &d.householdID, &d.oldHouse, &d.scope, &d.dup, &d.name, &d.father, &d.phone); err != nil {
			rows.Close()
			return res, fmt.Errorf("store: rekey distributions: %w", err)
		}
		d.newHouse = leoc.HouseholdKey(d.householdID)
		if d.dup.Valid { // NULL: recorded again on purpose, outside the duplicate check
			d.oldKey, d.newKey = d.dup.String, d.scope+"|"+d.newHouse
		}
		all = append(all, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("store: rekey distributions: %w", err)
	}
	keyed := make([]*keyedRow, len(all))
	for i, d := range all {
		keyed[i] = &d.keyedRow
	}
	for _, c := range assignKeys(keyed) {
		res.collisions = append(res.collisions, HouseholdKeyCollision{Register: "distributions", RecordID: c.id, OtherID: c.collidesWith,
			HouseholdID: c.householdID, HouseholdKey: c.newHouse, KeptKey: c.final})
	}
	var changed []*distRow
	for _, d := range all {
		if d.oldHouse != d.newHouse || d.oldKey != d.final {
			changed = append(changed, d)
		}
	}
	res.changed = len(changed)
	if len(changed) == 0 {
		return res, nil
	}
	members, err := t.memberNames(ctx)
	if err != nil {
		return res, err
	}
	// Free the unique keys first, so that two rows may swap keys. (Not to
	// NULL: a CHECK ties NULL to an override reason. Real keys start with
	// "i:" or "t:".)
	for _, d := range changed {
		if d.dup.Valid && d.oldKey != d.final {
			if _, err := t.exec(ctx, "UPDATE distributions SET dup_key = ? WHERE id = ?", "#rekey-"+strconv.FormatInt(d.id, 10), d.id); err != nil {
				return res, fmt.Errorf("store: rekey distribution %d: %w", d.id, err)
			}
		}
	}
	for _, d := range changed {
		dist := leoc.Distribution{HouseholdName: d.name, FatherName: d.father, HouseholdID: d.householdID, Phone: d.phone, Members: members[d.id]}
		var dup any
		if d.dup.Valid {
			dup = d.final
		}
		if _, err := t.exec(ctx, "UPDATE distributions SET household_key = ?, dup_key = ?, search_text = ? WHERE id = ?",
			d.newHouse, dup, dist.SearchText(), d.id); err != nil {
			return res, fmt.Errorf("store: rekey distribution %d: %w", d.id, translate(err))
		}
	}
	// The distinct households per cell, counted again under the new keys —
	// after any statistics this transaction queued (Tx.writeLast), which
	// the recount must not see applied twice.
	if err := t.flushLast(ctx); err != nil {
		return res, err
	}
	for _, q := range []string{
		"DELETE FROM distribution_households",
		`INSERT INTO distribution_households (fiscal_year, ward, disaster_type, household_key, distributions)
			SELECT fiscal_year, ward, disaster_type, household_key, COUNT(*) FROM distributions
			GROUP BY fiscal_year, ward, disaster_type, household_key`,
		`UPDATE distribution_stats SET households = (SELECT COUNT(*) FROM distribution_households h
			WHERE h.fiscal_year = distribution_stats.fiscal_year AND h.ward = distribution_stats.ward
			AND h.disaster_type = distribution_stats.disaster_type)`,
	} {
		if _, err := t.exec(ctx, q); err != nil {
			return res, fmt.Errorf("store: recount distribution households: %w", err)
		}
	}
	return res, t.recountDayHouseholds(ctx)
}

// memberNames reads the member names of every distribution (for the search
// text), in order.
func (t *Tx) memberNames(ctx context.Context) (map[int64][]leoc.Member, error) {
	rows, err := t.query(ctx, "SELECT distribution_id, name FROM distribution_members ORDER BY distribution_id, position")
	if err != nil {
		return nil, fmt.Errorf("store: rekey distribution members: %w", err)
	}
	defer rows.Close()
	out := map[int64][]leoc.Member{}
	for rows.Next() {
		var id int64
		var m leoc.Member
		if err := rows.Scan(&id, &m.Name); err != nil {
			return nil, fmt.Errorf("store: rekey distribution members: %w", err)
		}
		out[id] = append(out[id], m)
	}
	return out, rows.Err()
}

func (t *Tx) rekeyBeneficiaries(ctx context.Context) (rekeyResult, error) {
	var res rekeyResult
	type benRow struct {
		keyedRow
		name, phone string
	}
	rows, err := t.query(ctx, "SELECT id, id_number, id_key, allowance_type, name, phone FROM beneficiaries ORDER BY id")
	if err != nil {
		return res, fmt.Errorf("store: rekey beneficiaries: %w", err)
	}
	var all []*benRow
	for rows.Next() {
		b := &benRow{}
		if err := rows.Scan(&b.id, &b.householdID, &b.oldKey, &b.scope, &b.name, &b.phone); err != nil {
			rows.Close()
			return res, fmt.Errorf("store: rekey beneficiaries: %w", err)
		}
		b.newKey = leoc.HouseholdKey(b.householdID)
		b.oldHouse, b.newHouse = b.oldKey, b.newKey
		all = append(all, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("store: rekey beneficiaries: %w", err)
	}
	keyed := make([]*keyedRow, len(all))
	for i, b := range all {
		keyed[i] = &b.keyedRow
	}
	for _, c := range assignKeys(keyed) {
		res.collisions = append(res.collisions, HouseholdKeyCollision{Register: "beneficiaries", RecordID: c.id, OtherID: c.collidesWith,
			HouseholdID: c.householdID, HouseholdKey: c.newKey, KeptKey: c.final})
	}
	var changed []*benRow
	for _, b := range all {
		if b.oldKey != b.final || b.oldKey != b.newKey {
			changed = append(changed, b)
		}
	}
	res.changed = len(changed)
	// Free the unique keys first ('#' never appears in a key).
	for _, b := range changed {
		if _, err := t.exec(ctx, "UPDATE beneficiaries SET id_key = ? WHERE id = ?", "#"+strconv.FormatInt(b.id, 10), b.id); err != nil {
			return res, fmt.Errorf("store: rekey beneficiary %d: %w", b.id, err)
		}
	}
	for _, b := range changed {
		ben := leoc.Beneficiary{Name: b.name, IDNumber: b.householdID, Phone: b.phone}
		if _, err := t.exec(ctx, "UPDATE beneficiaries SET id_key = ?, search = ? WHERE id = ?", b.final, ben.SearchText(), b.id); err != nil {
			return res, fmt.Errorf("store: rekey beneficiary %d: %w", b.id, translate(err))
		}
	}
	return res, nil
}
