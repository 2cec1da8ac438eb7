package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Checkpoint is a signed statement "the trail had Entries entries and its
// newest link was Head at time At". Printed on one line, it is meant to
// leave the database (a log file, a printout, an e-mail): with it, removing
// the newest entries and moving the head row is no longer invisible.
type Checkpoint struct {
	Entries int64
	Head    string
	At      time.Time
	Sig     []byte
}

const checkpointTag = "leoc-audit-checkpoint v1"

// message is exactly what is signed.
func (c Checkpoint) message() []byte {
	return fmt.Appendf(nil, "%s entries=%d head=%s at=%s", checkpointTag, c.Entries, c.Head, c.At.UTC().Format(time.RFC3339))
}

// String is the one-line form that ParseCheckpoints reads back.
func (c Checkpoint) String() string {
	return string(c.message()) + " sig=" + base64.RawURLEncoding.EncodeToString(c.Sig)
}

// checkpointLine finds checkpoints anywhere in a text: alone on a line, or
// inside a log line (text or JSON), since none of its characters is quoted.
var checkpointLine = regexp.MustCompile(`leoc-audit-checkpoint v1 entries=(\d+) head=([0-9a-f]{64}) at=(\S+) sig=([A-Za-z0-9_-]+)`)

// ParseCheckpoints reads every checkpoint in text, in order. A file with
// none is an error: verifying against nothing would look like success.
func ParseCheckpoints(text string) ([]Checkpoint, error) {
	var out []Checkpoint
	for _, m := range checkpointLine.FindAllStringSubmatch(text, -1) {
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("store: checkpoint %q: bad entry count", m[0])
		}
		at, err := time.Parse(time.RFC3339, m[3])
		if err != nil {
			return nil, fmt.Errorf("store: checkpoint %q: bad time", m[0])
		}
		sig, err := base64.RawURLEncoding.DecodeString(m[4])
		if err != nil {
			return nil, fmt.Errorf("store: checkpoint %q: bad signature encoding", m[0])
		}
		out = append(out, Checkpoint{Entries: n, Head: m[2], At: at, Sig: sig})
	}
	if len(out) == 0 {
		return nil, errors.New("store: no leoc-audit-checkpoint line found")
	}
	return out, nil
}

// auditEntity marks the entries about the trail itself (seal, checkpoint);
// the (entity, entity_id) index finds them without reading the whole trail.
const auditEntity = "audit_trail"

// Checkpoint appends an audit.checkpoint entry and returns the signed
// checkpoint of the trail including that entry, so the checkpoint is itself
// on record and the next one always covers a newer head.
func (s *Store) Checkpoint(ctx context.Context, actor Actor) (Checkpoint, error) {
	var c Checkpoint
	if s.audit == nil {
		return c, errNoAuditKeys
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.appendAudit(ctx, actor, "audit.checkpoint", auditEntity, "", nil)
		if err != nil {
			return err
		}
		c = Checkpoint{Entries: e.ID, Head: e.Hash, At: e.At.UTC().Truncate(time.Second)}
		c.Sig = ed25519.Sign(s.audit.sign, c.message())
		return nil
	})
	return c, err
}

// LastCheckpointAt is the time of the newest audit.checkpoint entry (zero
// when there is none); the server takes one at least daily.
func (s *Store) LastCheckpointAt(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := s.queryRow(ctx, "SELECT at FROM audit_log WHERE entity = ? AND action = 'audit.checkpoint' ORDER BY id DESC LIMIT 1", auditEntity).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: last checkpoint: %w", err)
	}
	return at, nil
}

// Seal is the outcome of SealLegacyAudit.
type Seal struct {
	Sealed       bool   // an audit.seal entry was written
	PlainEntries int64  // entries with plain links before it
	Problem      string // what the plain chain's own check found, if anything
}

// SealLegacyAudit upgrades a trail written before keyed links. When the
// newest entry has a plain SHA-256 link, it checks the plain chain, then
// appends an audit.seal entry with a keyed link. That link covers the plain
// head, so from then on nobody without the key can change the old entries
// unnoticed (verification names the seal as the first entry that no longer
// follows). A problem the plain chain already had is recorded in the seal and
// still reported by every verification: sealing never blesses it. On a trail
// that is empty or already keyed it does nothing.
func (s *Store) SealLegacyAudit(ctx context.Context, actor Actor) (Seal, error) {
	var out Seal
	if s.audit == nil {
		return out, errNoAuditKeys
	}
	kind, lastID, err := s.auditHeadKind(ctx)
	if err != nil || kind != "plain" {
		return out, err
	}
	p, err := s.verifyPlainPrefix(ctx)
	if err != nil {
		return out, err
	}
	details := map[string]any{"plain_entries": lastID, "plain_chain": "intact"}
	if p != "" {
		details["plain_chain"], out.Problem = p, p
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.appendAudit(ctx, actor, "audit.seal", auditEntity, "", details)
		return err
	})
	if err != nil {
		return out, err
	}
	out.Sealed, out.PlainEntries = true, lastID
	return out, nil
}

// AuditHeadKind tells how the newest entry is linked: "keyed", "plain", ""
// (neither: altered, or the configured key is not the one that wrote it) or
// "empty".
func (s *Store) AuditHeadKind(ctx context.Context) (string, error) {
	kind, _, err := s.auditHeadKind(ctx)
	return kind, err
}

func (s *Store) auditHeadKind(ctx context.Context) (string, int64, error) {
	if s.audit == nil {
		return "", 0, errNoAuditKeys
	}
	var e AuditEntry
	err := s.queryRow(ctx, `SELECT id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash
		FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "empty", 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: audit head: %w", err)
	}
	return s.audit.linkKind(&e), e.ID, nil
}

// verifyPlainPrefix checks a trail that has only plain links, as the old
// verification did, and describes the first problem ("" when intact).
func (s *Store) verifyPlainPrefix(ctx context.Context) (string, error) {
	rows, err := s.query(ctx, `SELECT id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return "", fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	var prevHash string
	var prevID int64
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return "", fmt.Errorf("store: scan audit: %w", err)
		}
		switch {
		case e.ID != prevID+1:
			return fmt.Sprintf("entry %d: removed", prevID+1), nil
		case plainAuditHash(&e) != e.Hash:
			return fmt.Sprintf("entry %d: altered", e.ID), nil
		case e.PrevHash != prevHash:
			return fmt.Sprintf("entry %d: reordered", e.ID), nil
		}
		prevHash, prevID = e.Hash, e.ID
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("store: verify audit: %w", err)
	}
	return "", nil
}
