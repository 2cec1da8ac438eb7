package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"leoc/internal/leoc"
)

// The configurable lists. Their keys are stable identifiers that API clients
// and records use; the labels are what people read.
const (
	ListDisasterType  = "disaster_type"
	ListAllowanceType = "allowance_type"
	ListItemCategory  = "item_category"
	ListItemUnit      = "item_unit"
	// ListReliefItem is no longer a list of its own: since migration 0019
	// the relief items are the item catalogue (inventory_items), and
	// ListValues reads this name from the catalogue, so labels and units of
	// items are found in one place.
	ListReliefItem = "relief_item"
)

// Lists names every configurable list.
var Lists = []string{ListDisasterType, ListAllowanceType, ListContactCategory, ListItemCategory, ListItemUnit}

// ListValue is one value of a configurable list.
type ListValue struct {
	List     string `json:"list"`
	Key      string `json:"key"`
	LabelNe  string `json:"label_ne"`
	LabelEn  string `json:"label_en"`
	UnitNe   string `json:"unit_ne,omitempty"`
	UnitEn   string `json:"unit_en,omitempty"`
	Position int    `json:"position"`
}

// Label returns the label in lang ("ne" or "en").
func (v ListValue) Label(lang string) string {
	if lang == "en" {
		return v.LabelEn
	}
	return v.LabelNe
}

// Unit returns the unit in lang.
func (v ListValue) Unit(lang string) string {
	if lang == "en" {
		return v.UnitEn
	}
	return v.UnitNe
}

var listKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func (v *ListValue) validate() error {
	var val leoc.Validation
	v.Key = strings.TrimSpace(v.Key)
	v.LabelNe, v.LabelEn = strings.TrimSpace(v.LabelNe), strings.TrimSpace(v.LabelEn)
	v.UnitNe, v.UnitEn = strings.TrimSpace(v.UnitNe), strings.TrimSpace(v.UnitEn)
	val.Check(slices.Contains(Lists, v.List), "list", "list.unknown")
	val.Check(listKeyPattern.MatchString(v.Key), "key", "list.key_invalid")
	val.Check(v.LabelNe != "", "label_ne", "field.required")
	val.Check(v.LabelEn != "", "label_en", "field.required")
	for name, s := range map[string]string{"label_ne": v.LabelNe, "label_en": v.LabelEn, "unit_ne": v.UnitNe, "unit_en": v.UnitEn} {
		val.Check(utf8.RuneCountInString(s) <= 100, name, "field.too_long", 100)
	}
	return val.Err()
}

// ListValues returns the values of one list in display order.
func (s *Store) ListValues(ctx context.Context, list string) ([]ListValue, error) {
	if list == ListReliefItem {
		return s.catalogueValues(ctx, false)
	}
	rows, err := s.query(ctx, `SELECT list, key, label_ne, label_en, unit_ne, unit_en, position
		FROM list_values WHERE list = ? ORDER BY position, key`, list)
	if err != nil {
		return nil, fmt.Errorf("store: list values: %w", err)
	}
	defer rows.Close()
	var out []ListValue
	for rows.Next() {
		var v ListValue
		if err := rows.Scan(&v.List, &v.Key, &v.LabelNe, &v.LabelEn, &v.UnitNe, &v.UnitEn, &v.Position); err != nil {
			return nil, fmt.Errorf("store: scan list value: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SaveListValue adds a value or changes the labels of an existing one.
func (s *Store) SaveListValue(ctx context.Context, actor Actor, v ListValue) error {
	if err := v.validate(); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error { return tx.SaveListValue(ctx, actor, v) })
}

// SaveListValue saves a value inside a larger transaction (the legacy import
// adds the old lists' values it finds no key for).
func (t *Tx) SaveListValue(ctx context.Context, actor Actor, v ListValue) error {
	if err := v.validate(); err != nil {
		return err
	}
	tx := t
	var old ListValue
	err := tx.queryRow(ctx, `SELECT list, key, label_ne, label_en, unit_ne, unit_en, position FROM list_values WHERE list = ? AND key = ?`,
		v.List, v.Key).Scan(&old.List, &old.Key, &old.LabelNe, &old.LabelEn, &old.UnitNe, &old.UnitEn, &old.Position)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: load list value: %w", err)
	}
	if !exists && v.Position == 0 {
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(position), 0) + 1 FROM list_values WHERE list = ?", v.List).Scan(&v.Position); err != nil {
			return fmt.Errorf("store: list position: %w", err)
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO list_values (list, key, label_ne, label_en, unit_ne, unit_en, position) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (list, key) DO UPDATE SET label_ne = excluded.label_ne, label_en = excluded.label_en,
		unit_ne = excluded.unit_ne, unit_en = excluded.unit_en, position = excluded.position`,
		v.List, v.Key, v.LabelNe, v.LabelEn, v.UnitNe, v.UnitEn, v.Position); err != nil {
		return fmt.Errorf("store: save list value: %w", err)
	}
	details := map[string]any{"after": v}
	if exists {
		details = map[string]any{"changes": Changes(listFields(old), listFields(v))}
	}
	return tx.Audit(ctx, actor, "setting.list_save", v.List, v.Key, details)
}

func listFields(v ListValue) map[string]any {
	return map[string]any{"label_ne": v.LabelNe, "label_en": v.LabelEn, "unit_ne": v.UnitNe, "unit_en": v.UnitEn, "position": v.Position}
}

// DeleteListValue removes a value no record uses; otherwise the error says
// which registers use it and how often.
func (s *Store) DeleteListValue(ctx context.Context, actor Actor, list, key string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		var old ListValue
		if err := tx.queryRow(ctx, `SELECT list, key, label_ne, label_en, unit_ne, unit_en, position FROM list_values WHERE list = ? AND key = ?`,
			list, key).Scan(&old.List, &old.Key, &old.LabelNe, &old.LabelEn, &old.UnitNe, &old.UnitEn, &old.Position); err != nil {
			return notFound(err, "list.value_not_found")
		}
		var where leoc.MsgList
		for _, r := range s.registers {
			for _, u := range r.ListColumns {
				if u.List != list {
					continue
				}
				n, err := tx.count(ctx, "SELECT COUNT(*) FROM "+u.Table+" WHERE "+u.Column+" = ?", key)
				if err != nil {
					return err
				}
				if n > 0 {
					where = append(where, leoc.Usage(r.Name, n))
				}
			}
		}
		if len(where) > 0 {
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("setting.in_use", where)}
		}
		if _, err := tx.exec(ctx, "DELETE FROM list_values WHERE list = ? AND key = ?", list, key); err != nil {
			return fmt.Errorf("store: delete list value: %w", err)
		}
		return tx.Audit(ctx, actor, "setting.list_delete", list, key, map[string]any{"before": old})
	})
}
