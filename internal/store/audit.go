package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Actor is who does something: the user and the client address that go into
// every audit entry.
type Actor struct {
	UserID   int64
	Username string
	IP       string
}

// SystemActor is used for changes the program makes by itself (seeding,
// command line without a user).
var SystemActor = Actor{Username: "system"}

// AuditEntry is one line of the append-only, hash-chained audit trail.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64
	Username string
	IP       string
	Action   string // e.g. login.success, user.update, record.unlock, setting.update
	Entity   string
	EntityID string
	Details  string // JSON
	PrevHash string
	Hash     string
}

// Change is the before and after value of one changed field.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Changes compares two flat field maps and returns the fields that differ.
func Changes(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, a := range after {
		b, ok := before[k]
		if !ok || fmt.Sprint(b) != fmt.Sprint(a) {
			out[k] = Change{Before: b, After: a}
		}
	}
	for k, b := range before {
		if _, ok := after[k]; !ok {
			out[k] = Change{Before: b, After: nil}
		}
	}
	return out
}

// Audit adds an entry to the transaction, so the change it describes and
// its record commit or fail together. details is marshalled to JSON now;
// the entry is written by WithTx after everything else the transaction
// does, just before the commit.
//
// Why last: every entry is numbered and chained to the one before it, so
// writing one locks the trail's head row until the commit. Written first
// or in the middle, that lock would make every other writer on PostgreSQL
// wait for this transaction's remaining statements too; written last, the
// writers wait only for the entry itself and the commit.
func (t *Tx) Audit(ctx context.Context, actor Actor, action, entity, entityID string, details any) error {
	if t.s.audit == nil {
		return errNoAuditKeys
	}
	d, err := auditDetails(details)
	if err != nil {
		return err
	}
	t.audits = append(t.audits, pendingAudit{actor, action, entity, entityID, d})
	return nil
}

// pendingAudit is an entry given to Tx.Audit, not yet written.
type pendingAudit struct {
	actor                             Actor
	action, entity, entityID, details string
}

// auditHead is the number and link of the last entry of the chain.
type auditHead struct {
	lastID   int64
	lastHash string
}

// readAuditHead reads the head row and locks it: entries are numbered and
// chained strictly in order, on PostgreSQL too where writers run in
// parallel.
func (t *Tx) readAuditHead(h *auditHead) lastWrite {
	q := "SELECT last_id, last_hash FROM audit_head WHERE id = 1"
	if t.s.dialect == Postgres {
		q += " FOR UPDATE"
	}
	return lastWrite{q: q, dest: []any{&h.lastID, &h.lastHash}, what: "audit head"}
}

// auditWrites numbers and chains the entries given to Audit after head, in
// the order given, and returns the statements that write them and move
// the head (none when there are no entries).
func (t *Tx) auditWrites(h *auditHead) []lastWrite {
	if len(t.audits) == 0 {
		return nil
	}
	var args []any
	for _, a := range t.audits {
		e := t.chainAudit(h, a.actor, a.action, a.entity, a.entityID, a.details)
		args = append(args, e.ID, e.At, e.UserID, e.Username, e.IP, e.Action, e.Entity, e.EntityID, e.Details, e.PrevHash, e.Hash)
	}
	t.audits = nil
	return []lastWrite{
		{q: auditInsert + strings.TrimSuffix(strings.Repeat(auditValues+", ", len(args)/11), ", "), args: args, what: "audit insert"},
		{q: "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", args: []any{h.lastID, h.lastHash}, what: "audit head update"},
	}
}

const (
	auditInsert = "INSERT INTO audit_log (id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash) VALUES "
	auditValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

// chainAudit makes the entry that follows head and moves head to it.
func (t *Tx) chainAudit(h *auditHead, actor Actor, action, entity, entityID, d string) *AuditEntry {
	e := AuditEntry{
		ID: h.lastID + 1, At: t.s.Now(), UserID: actor.UserID, Username: actor.Username, IP: actor.IP,
		Action: action, Entity: entity, EntityID: entityID, Details: d, PrevHash: h.lastHash,
	}
	e.Hash = t.s.audit.keyedAuditHash(&e)
	h.lastID, h.lastHash = e.ID, e.Hash
	return &e
}

func auditDetails(details any) (string, error) {
	if details == nil {
		return "{}", nil
	}
	b, err := json.Marshal(details)
	if err != nil {
		return "", fmt.Errorf("store: audit details: %w", err)
	}
	return string(b), nil
}

// errNoAuditKeys stops every write of a store that was opened without its
// audit keys: an entry with a forgeable link is worse than no write.
var errNoAuditKeys = errors.New("store: no audit key configured (SetAuditKeys)")

// appendAudit writes one entry at once (after those given to Audit before
// it) and returns it with its id and link: the checkpoint and the seal
// need the entry they write.
func (t *Tx) appendAudit(ctx context.Context, actor Actor, action, entity, entityID string, details any) (*AuditEntry, error) {
	if t.s.audit == nil {
		return nil, errNoAuditKeys
	}
	d, err := auditDetails(details)
	if err != nil {
		return nil, err
	}
	// The shared rows, the entries given before and this one, in that
	// order.
	var head auditHead
	if err := t.run(ctx, append(t.takeLast(), t.readAuditHead(&head))); err != nil {
		return nil, err
	}
	before := t.auditWrites(&head)
	e := t.chainAudit(&head, actor, action, entity, entityID, d)
	ws := append(before, lastWrite{q: auditInsert + auditValues, what: "audit insert",
		args: []any{e.ID, e.At, e.UserID, e.Username, e.IP, e.Action, e.Entity, e.EntityID, e.Details, e.PrevHash, e.Hash}},
		lastWrite{q: "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", args: []any{e.ID, e.Hash}, what: "audit head update"})
	if err := t.run(ctx, ws); err != nil {
		return nil, err
	}
	return e, nil
}

// Audit writes a single entry in its own transaction, for events that change
// nothing else (a failed login).
func (s *Store) Audit(ctx context.Context, actor Actor, action, entity, entityID string, details any) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.Audit(ctx, actor, action, entity, entityID, details) })
}

// AuditFilter selects audit entries for the audit page and API.
type AuditFilter struct {
	Action   string // prefix match: "login" finds login.success and login.failure
	Username string
	Entity   string
	EntityID string
	From, To time.Time // To is exclusive
	Page     int       // 1-based
	PerPage  int
	After    string  // as RecordFilter.After
	Keyset   *Keyset // as RecordFilter.Keyset
}

// ListAudit returns one page of entries, newest first, and the total.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	var conds []string
	var args []any
	if f.Action != "" {
		conds = append(conds, `action LIKE ? ESCAPE '\'`)
		args = append(args, escapeLike(f.Action)+"%")
	}
	if f.Username != "" {
		conds = append(conds, "username = ?")
		args = append(args, f.Username)
	}
	if f.Entity != "" {
		conds = append(conds, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		conds = append(conds, "entity_id = ?")
		args = append(args, f.EntityID)
	}
	if !f.From.IsZero() {
		conds = append(conds, "at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds = append(conds, "at < ?")
		args = append(args, f.To.UTC())
	}
	cond := ""
	if len(conds) > 0 {
		cond = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM audit_log"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit: %w", err)
	}
	var out []AuditEntry
	page := RecordFilter{Page: f.Page, PerPage: f.PerPage, After: f.After, Keyset: f.Keyset}
	w := &where{parts: conds, args: args}
	err := s.readPage(ctx, listPage{table: "audit_log", read: "id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash",
		w: w, order: " ORDER BY id DESC"}, page, func(r rowScanner) error {
		var e AuditEntry
		if err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return fmt.Errorf("store: scan audit: %w", err)
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// escapeLike makes user text literal inside a LIKE pattern.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// MaxPerPage caps list pages (the API convention allows at most 100).
const MaxPerPage = 100

func pageBounds(page, perPage int) (limit, offset int) {
	if perPage <= 0 {
		perPage = 50
	}
	perPage = min(perPage, MaxPerPage)
	page = max(page, 1)
	return perPage, (page - 1) * perPage
}
