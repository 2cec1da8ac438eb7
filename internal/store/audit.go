package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
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

// hashAuditEntry chains an entry to its predecessor. Every field is length
// prefixed so that moving text from one field to the next changes the hash.
func hashAuditEntry(e *AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{
		e.PrevHash, strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.UserID, 10), e.Username, e.IP, e.Action, e.Entity, e.EntityID, e.Details,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry inside the transaction, so the change it describes
// and its record commit or fail together. details is marshalled to JSON.
func (t *Tx) Audit(ctx context.Context, actor Actor, action, entity, entityID string, details any) error {
	d := "{}"
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("store: audit details: %w", err)
		}
		d = string(b)
	}
	// Lock the head row: entries are numbered and chained strictly in order,
	// on PostgreSQL too where writers run in parallel.
	q := "SELECT last_id, last_hash FROM audit_head WHERE id = 1"
	if t.s.dialect == Postgres {
		q += " FOR UPDATE"
	}
	var lastID int64
	var lastHash string
	if err := t.queryRow(ctx, q).Scan(&lastID, &lastHash); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	e := AuditEntry{
		ID: lastID + 1, At: t.s.Now(), UserID: actor.UserID, Username: actor.Username, IP: actor.IP,
		Action: action, Entity: entity, EntityID: entityID, Details: d, PrevHash: lastHash,
	}
	e.Hash = hashAuditEntry(&e)
	if _, err := t.exec(ctx, `INSERT INTO audit_log (id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At, e.UserID, e.Username, e.IP, e.Action, e.Entity, e.EntityID, e.Details, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", e.ID, e.Hash); err != nil {
		return fmt.Errorf("store: audit head update: %w", err)
	}
	return nil
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
}

// ListAudit returns one page of entries, newest first, and the total.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	var where []string
	var args []any
	if f.Action != "" {
		where = append(where, `action LIKE ? ESCAPE '\'`)
		args = append(args, escapeLike(f.Action)+"%")
	}
	if f.Username != "" {
		where = append(where, "username = ?")
		args = append(args, f.Username)
	}
	if f.Entity != "" {
		where = append(where, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = ?")
		args = append(args, f.EntityID)
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, f.To.UTC())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM audit_log"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit: %w", err)
	}
	limit, offset := pageBounds(f.Page, f.PerPage)
	rows, err := s.query(ctx, `SELECT id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash
		FROM audit_log`+cond+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return nil, 0, fmt.Errorf("store: scan audit: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list audit: %w", err)
	}
	return out, total, nil
}

// AuditProblem describes the first place the chain breaks.
type AuditProblem struct {
	EntryID int64  // the entry found altered, or the one after a gap
	Reason  string // altered | removed | reordered | tail_removed
	Detail  string
}

func (p *AuditProblem) String() string {
	return fmt.Sprintf("audit entry %d: %s (%s)", p.EntryID, p.Reason, p.Detail)
}

// VerifyAudit walks the whole chain in id order and reports the first entry
// that was altered, removed or reordered; nil means the trail is intact. It
// reads in a streaming fashion, so a large trail needs no memory.
func (s *Store) VerifyAudit(ctx context.Context) (*AuditProblem, int, error) {
	rows, err := s.query(ctx, `SELECT id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, 0, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	var prevHash string
	var prevID int64
	n := 0
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return nil, n, fmt.Errorf("store: scan audit: %w", err)
		}
		n++
		switch {
		case e.ID != prevID+1:
			return &AuditProblem{EntryID: prevID + 1, Reason: "removed", Detail: fmt.Sprintf("entries %d to %d are missing", prevID+1, e.ID-1)}, n, nil
		case hashAuditEntry(&e) != e.Hash:
			return &AuditProblem{EntryID: e.ID, Reason: "altered", Detail: "its content does not match its hash"}, n, nil
		case e.PrevHash != prevHash:
			return &AuditProblem{EntryID: e.ID, Reason: "reordered", Detail: "it does not follow the entry before it"}, n, nil
		}
		prevHash, prevID = e.Hash, e.ID
	}
	if err := rows.Err(); err != nil {
		return nil, n, fmt.Errorf("store: verify audit: %w", err)
	}
	var headID int64
	var headHash string
	if err := s.queryRow(ctx, "SELECT last_id, last_hash FROM audit_head WHERE id = 1").Scan(&headID, &headHash); err != nil {
		return nil, n, fmt.Errorf("store: audit head: %w", err)
	}
	if headID != prevID || headHash != prevHash {
		return &AuditProblem{EntryID: prevID + 1, Reason: "tail_removed", Detail: fmt.Sprintf("the trail ends at %d but %d entries were written", prevID, headID)}, n, nil
	}
	return nil, n, nil
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
