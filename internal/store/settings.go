package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"leoc/internal/leoc"
)

// Settings are the office's own details, printed on every report.
type Settings struct {
	MunicipalityNe string `json:"municipality_ne"`
	MunicipalityEn string `json:"municipality_en"`
	OfficeNe       string `json:"office_ne"`
	OfficeEn       string `json:"office_en"`
	AddressNe      string `json:"address_ne"`
	AddressEn      string `json:"address_en"`
	LeocNameNe     string `json:"leoc_name_ne"`
	LeocNameEn     string `json:"leoc_name_en"`
}

func (st *Settings) fields() map[string]*string {
	return map[string]*string{
		"municipality_ne": &st.MunicipalityNe, "municipality_en": &st.MunicipalityEn,
		"office_ne": &st.OfficeNe, "office_en": &st.OfficeEn,
		"address_ne": &st.AddressNe, "address_en": &st.AddressEn,
		"leoc_name_ne": &st.LeocNameNe, "leoc_name_en": &st.LeocNameEn,
	}
}

func (st *Settings) flat() map[string]any {
	out := map[string]any{}
	for k, p := range st.fields() {
		out[k] = *p
	}
	return out
}

// Validate checks lengths and that nothing required is empty.
func (st *Settings) Validate() error {
	var v leoc.Validation
	for k, p := range st.fields() {
		*p = strings.TrimSpace(*p)
		v.Check(*p != "", k, "field.required")
		v.Check(utf8.RuneCountInString(*p) <= 200, k, "field.too_long", 200)
	}
	return v.Err()
}

// Settings loads the office details.
func (s *Store) Settings(ctx context.Context) (*Settings, error) {
	rows, err := s.query(ctx, "SELECT key, value FROM settings")
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	st := &Settings{}
	f := st.fields()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: scan setting: %w", err)
		}
		if p, ok := f[k]; ok {
			*p = v
		}
	}
	return st, rows.Err()
}

// UpdateSettings saves the office details and audits what changed.
func (s *Store) UpdateSettings(ctx context.Context, actor Actor, st *Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	old, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.putSettings(ctx, st); err != nil {
			return err
		}
		changes := Changes(old.flat(), st.flat())
		if len(changes) == 0 {
			return nil
		}
		return tx.Audit(ctx, actor, "setting.update", "settings", "office", map[string]any{"changes": changes})
	})
}

func (t *Tx) putSettings(ctx context.Context, st *Settings) error {
	now := t.s.Now()
	for k, p := range st.fields() {
		_, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, k, *p, now)
		if err != nil {
			return fmt.Errorf("store: save setting %s: %w", k, err)
		}
	}
	return nil
}

// Ward is one ward of the municipality.
type Ward struct {
	Number int    `json:"number"`
	NameNe string `json:"name_ne"`
	NameEn string `json:"name_en"`
	// Population is the ward's population when known (0 = not known); an
	// incident counting more people than this asks for confirmation.
	Population int64 `json:"population"`
}

// Wards lists the wards by number.
func (s *Store) Wards(ctx context.Context) ([]Ward, error) {
	rows, err := s.query(ctx, "SELECT number, name_ne, name_en FROM wards ORDER BY number")
	if err != nil {
		return nil, fmt.Errorf("store: wards: %w", err)
	}
	defer rows.Close()
	var out []Ward
	for rows.Next() {
		var w Ward
		if err := rows.Scan(&w.Number, &w.NameNe, &w.NameEn); err != nil {
			return nil, fmt.Errorf("store: scan ward: %w", err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: wards: %w", err)
	}
	p, err := s.Plausibility(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Population = p.Population[out[i].Number]
	}
	return out, nil
}

func (t *Tx) wardNumbers(ctx context.Context) ([]int, error) {
	rows, err := t.query(ctx, "SELECT number FROM wards ORDER BY number")
	if err != nil {
		return nil, fmt.Errorf("store: wards: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: scan ward: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (w *Ward) validate() error {
	var v leoc.Validation
	w.NameNe, w.NameEn = strings.TrimSpace(w.NameNe), strings.TrimSpace(w.NameEn)
	v.Check(w.Number >= 1 && w.Number <= 99, "number", "ward.number_invalid")
	v.Check(w.NameNe != "", "name_ne", "field.required")
	v.Check(w.NameEn != "", "name_en", "field.required")
	v.Check(utf8.RuneCountInString(w.NameNe) <= 100, "name_ne", "field.too_long", 100)
	v.Check(utf8.RuneCountInString(w.NameEn) <= 100, "name_en", "field.too_long", 100)
	v.Check(w.Population >= 0, "population", "field.negative")
	v.Check(w.Population <= MaxWardPopulation, "population", "number.too_large", leoc.Grouped(MaxWardPopulation))
	return v.Err()
}

// SaveWard adds a ward or renames an existing one.
func (s *Store) SaveWard(ctx context.Context, actor Actor, w Ward) error {
	if err := w.validate(); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var old Ward
		err := tx.queryRow(ctx, "SELECT number, name_ne, name_en FROM wards WHERE number = ?", w.Number).Scan(&old.Number, &old.NameNe, &old.NameEn)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: load ward: %w", err)
		}
		var pop string
		err = tx.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", wardPopulationKey+strconv.Itoa(w.Number)).Scan(&pop)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: load ward population: %w", err)
		}
		old.Population, _ = strconv.ParseInt(pop, 10, 64) // absent or odd = not known
		if _, err := tx.exec(ctx, `INSERT INTO wards (number, name_ne, name_en) VALUES (?, ?, ?)
			ON CONFLICT (number) DO UPDATE SET name_ne = excluded.name_ne, name_en = excluded.name_en`, w.Number, w.NameNe, w.NameEn); err != nil {
			return fmt.Errorf("store: save ward: %w", err)
		}
		if err := tx.putIntSetting(ctx, wardPopulationKey+strconv.Itoa(w.Number), w.Population); err != nil {
			return err
		}
		details := map[string]any{"after": w}
		if exists {
			details = map[string]any{"changes": Changes(map[string]any{"name_ne": old.NameNe, "name_en": old.NameEn, "population": old.Population},
				map[string]any{"name_ne": w.NameNe, "name_en": w.NameEn, "population": w.Population})}
		}
		return tx.Audit(ctx, actor, "setting.ward_save", "ward", strconv.Itoa(w.Number), details)
	})
}

// DeleteWard removes a ward nobody uses. When records or accounts refer to
// it the error says where.
func (s *Store) DeleteWard(ctx context.Context, actor Actor, number int) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		var old Ward
		if err := tx.queryRow(ctx, "SELECT number, name_ne, name_en FROM wards WHERE number = ?", number).Scan(&old.Number, &old.NameNe, &old.NameEn); err != nil {
			return notFound(err, "ward.not_found")
		}
		where, err := tx.wardUsage(ctx, number)
		if err != nil {
			return err
		}
		if len(where) > 0 {
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("setting.in_use", where)}
		}
		if _, err := tx.exec(ctx, "DELETE FROM wards WHERE number = ?", number); err != nil {
			return fmt.Errorf("store: delete ward: %w", err)
		}
		if err := tx.putIntSetting(ctx, wardPopulationKey+strconv.Itoa(number), 0); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "setting.ward_delete", "ward", strconv.Itoa(number), map[string]any{"before": old})
	})
}

// wardUsage describes where a ward is used, e.g. "users (ram, sita),
// incidents (3)", as messages the reader's language translates.
func (t *Tx) wardUsage(ctx context.Context, number int) (leoc.MsgList, error) {
	var where leoc.MsgList
	rows, err := t.query(ctx, "SELECT username, wards FROM users WHERE wards <> '' ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("store: ward usage: %w", err)
	}
	var names []string
	for rows.Next() {
		var name, wards string
		if err := rows.Scan(&name, &wards); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: ward usage: %w", err)
		}
		for _, w := range parseWards(wards) {
			if w == number {
				names = append(names, name)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ward usage: %w", err)
	}
	if len(names) > 0 {
		where = append(where, leoc.M("setting.usage_users", strings.Join(names, ", ")))
	}
	for _, r := range t.s.registers {
		if r.WardColumn == "" {
			continue
		}
		n, err := t.count(ctx, "SELECT COUNT(*) FROM "+r.Table+" WHERE "+r.WardColumn+" = ?", number)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			where = append(where, leoc.Usage(r.Name, n))
		}
	}
	return where, nil
}

func (t *Tx) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := t.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}
