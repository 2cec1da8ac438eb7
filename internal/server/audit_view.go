package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"leoc/internal/store"
)

// The audit trail as a person reads it: the action in the reader's language,
// each change as "field: old → new" with the field's label from the
// catalogs, and a link to the record. The stored entry (and the JSON API)
// keep the machine codes; this is only how the page shows them.

// auditActions are the action codes the program writes. A test walks the Go
// sources and fails when a code is written that is missing here, and another
// when one of these lacks its label ("audit.action.<code>") in a catalog.
var auditActions = []string{
	"audit.checkpoint", "audit.seal",
	"bulletin.generate", "bulletin.sitrep_number",
	"file.purge", "file.upload",
	"household_key.collision", "household_key.rekey",
	"login.failure", "login.success", "logout",
	"password.failure",
	"record.bulk_create", "record.create", "record.delete", "record.import", "record.lock", "record.unlock", "record.update",
	"setting.boundary_import", "setting.calendar_import", "setting.list_delete", "setting.list_save",
	"setting.seed", "setting.unlock_key", "setting.update", "setting.ward_delete", "setting.ward_polygons_import", "setting.ward_save",
	"stock.approve", "stock.receive",
	"token.create", "token.revoke",
	"unlock.failure",
	"user.create", "user.password", "user.unlock", "user.update",
}

// auditEntities are the entity names entries refer to, for the register
// filter: the registers, then the other things the trail records.
func (s *Server) auditEntities() []string {
	var out []string
	for _, r := range s.store.Registers() {
		out = append(out, r.Name)
	}
	return append(out, "user", "api_token", "settings", "ward")
}

// fieldPrefix is the catalog prefix of a register's field labels.
var fieldPrefix = map[string]string{
	"incidents": "incident", "distributions": "distribution", "funds": "fund", "event-logs": "eventlog",
	"situation-reports": "sitrep", "advisories": "advisory", "beneficiaries": "beneficiary",
	"user": "user", "settings": "settings", "ward": "ward", "api_token": "token",
	"inventory_items": "inventory_item", "warehouses": "warehouse",
}

// auditRow is one entry ready for the page.
type auditRow struct {
	store.AuditEntry
	ActionLabel string
	EntityLabel string
	Link        string // the record's page, "" when there is none
	Changes     []auditChange
	Fields      []auditChange // a created or deleted record's content (shown folded)
	Notes       []auditChange // other details: reason, warnings…
}

// auditChange is one field: Old → New (Old empty for a note).
type auditChange struct {
	Label    string
	Old, New string
}

// auditFieldLabel finds the label of a field of an entity: the register's
// form label ("incident.f.ward", "eventlog.location"), else the audit
// catalog's own ("audit.field.<name>"), else the field's name.
func (s *Server) auditFieldLabel(lang, entity, field string) string {
	var keys []string
	if p, ok := fieldPrefix[entity]; ok {
		keys = append(keys, p+".f."+field, p+"."+field)
	}
	keys = append(keys, "audit.field."+field)
	for _, k := range keys {
		if s.cat.Has(lang, k) {
			return s.cat.T(lang, k)
		}
	}
	return field
}

// auditRows turns stored entries into rows in the reader's language.
func (s *Server) auditRows(p *page, entries []store.AuditEntry) []auditRow {
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		row := auditRow{AuditEntry: e, ActionLabel: p.T("audit.action." + e.Action), EntityLabel: s.auditEntityLabel(p, e.Entity)}
		if _, ok := s.store.Register(e.Entity); ok && e.EntityID != "" && e.Action != "record.delete" {
			row.Link = "/" + e.Entity + "/" + e.EntityID
		} else if e.Entity == "user" && e.EntityID != "" && p.Can("manage_users") {
			row.Link = "/users/" + e.EntityID
		}
		var details map[string]json.RawMessage
		if err := json.Unmarshal([]byte(e.Details), &details); err != nil {
			row.Notes = append(row.Notes, auditChange{Label: p.T("audit.details"), New: e.Details})
			rows = append(rows, row)
			continue
		}
		for _, k := range sortedKeys(details) {
			raw := details[k]
			switch k {
			case "changes":
				var ch map[string]store.Change
				if json.Unmarshal(raw, &ch) == nil {
					for _, f := range sortedKeys(ch) {
						row.Changes = append(row.Changes, auditChange{Label: s.auditFieldLabel(p.Lang, e.Entity, f),
							Old: s.auditValue(p, ch[f].Before), New: s.auditValue(p, ch[f].After)})
					}
					continue
				}
			case "after", "before":
				var fields map[string]any
				if json.Unmarshal(raw, &fields) == nil {
					for _, f := range sortedKeys(fields) {
						if v := s.auditValue(p, fields[f]); v != "" && v != "—" {
							c := auditChange{Label: s.auditFieldLabel(p.Lang, e.Entity, f), New: v}
							if k == "before" {
								c.Old, c.New = v, ""
							}
							row.Fields = append(row.Fields, c)
						}
					}
					continue
				}
			}
			var v any
			if json.Unmarshal(raw, &v) == nil {
				row.Notes = append(row.Notes, auditChange{Label: s.auditFieldLabel(p.Lang, e.Entity, k), New: s.auditValue(p, v)})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) auditEntityLabel(p *page, entity string) string {
	if entity == "" {
		return ""
	}
	if k := "audit.entity." + entity; s.cat.Has(p.Lang, k) {
		return p.T(k)
	}
	return entity
}

// auditValue writes one stored value for people: numbers in the page's
// digits, yes/no for booleans, lists and objects compactly.
func (s *Server) auditValue(p *page, v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case bool:
		if v {
			return p.T("audit.yes")
		}
		return p.T("audit.no")
	case float64:
		return p.digits(strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", v), "0"), "."))
	case string:
		if v == "" {
			return "—"
		}
		return v
	case []any:
		if len(v) == 0 {
			return "—"
		}
		parts := make([]string, 0, len(v))
		for _, x := range v {
			parts = append(parts, s.auditValue(p, x))
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		parts := make([]string, 0, len(v))
		for _, k := range sortedKeys(v) {
			if x := s.auditValue(p, v[k]); x != "—" {
				parts = append(parts, k+": "+x)
			}
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
