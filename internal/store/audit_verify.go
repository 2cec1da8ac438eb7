package store

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
)

// AuditProblem describes the first place the trail breaks.
type AuditProblem struct {
	EntryID int64 // the first bad entry: altered, or the first one missing
	// Reason is one of: altered (content does not match its link, or the
	// link was made with another key), removed, reordered, rechained (a plain
	// SHA-256 link where a keyed one must be, or a link that differs from a
	// signed checkpoint), tail_removed (the head row says more entries were
	// written), truncated (a checkpoint saw more entries than there are),
	// unsealed (the newest entries have plain links).
	Reason string
	Detail string
}

func (p *AuditProblem) String() string {
	return fmt.Sprintf("audit entry %d: %s (%s)", p.EntryID, p.Reason, p.Detail)
}

// AuditReport sums up a verification.
type AuditReport struct {
	Entries     int   // entries read
	Plain       int   // entries with a plain SHA-256 link (the sealed part of an old trail)
	Checkpoints int   // signed checkpoints checked against the trail
	LastID      int64 // the newest entry
}

// sealActions are written only by the program, always with keyed links: a
// plain link on one of them proves that the trail was recomputed.
var sealActions = []string{"audit.seal", "audit.checkpoint"}

// VerifyAudit walks the whole trail in id order and reports the first entry
// that was altered, removed, reordered or re-chained; nil means intact. Every
// checkpoint given must carry this installation's signature; the entry it
// names must still have the link it recorded, and the trail must reach it
// (truncation back past the head is caught this way). It streams, so a large
// trail needs no memory.
func (s *Store) VerifyAudit(ctx context.Context, checkpoints ...Checkpoint) (*AuditProblem, AuditReport, error) {
	var rep AuditReport
	if s.audit == nil {
		return nil, rep, errNoAuditKeys
	}
	for _, c := range checkpoints {
		if !s.audit.VerifyCheckpoint(c) {
			return nil, rep, fmt.Errorf("store: the checkpoint %q is not signed by this installation's audit key", c.String())
		}
	}
	rep.Checkpoints = len(checkpoints)
	want := map[int64][]Checkpoint{}
	for _, c := range checkpoints {
		want[c.Entries] = append(want[c.Entries], c)
	}
	rows, err := s.query(ctx, `SELECT id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, rep, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	var prevHash string
	keyed := false
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return nil, rep, fmt.Errorf("store: scan audit: %w", err)
		}
		rep.Entries++
		kind := s.audit.linkKind(&e)
		if p := checkEntry(&e, kind, rep.LastID, prevHash, keyed); p != nil {
			return p, rep, nil
		}
		for _, c := range want[e.ID] {
			if c.Head != e.Hash {
				return &AuditProblem{EntryID: e.ID, Reason: "rechained", Detail: fmt.Sprintf(
					"the checkpoint of %s recorded another link for it: the trail up to here was rewritten", c.At.UTC().Format("2006-01-02 15:04:05Z"))}, rep, nil
			}
		}
		if kind == "keyed" {
			keyed = true
		} else {
			rep.Plain++
		}
		prevHash, rep.LastID = e.Hash, e.ID
	}
	if err := rows.Err(); err != nil {
		return nil, rep, fmt.Errorf("store: verify audit: %w", err)
	}
	if p := truncatedPast(checkpoints, rep.LastID); p != nil {
		return p, rep, nil
	}
	var headID int64
	var headHash string
	if err := s.queryRow(ctx, "SELECT last_id, last_hash FROM audit_head WHERE id = 1").Scan(&headID, &headHash); err != nil {
		return nil, rep, fmt.Errorf("store: audit head: %w", err)
	}
	if headID != rep.LastID || headHash != prevHash {
		return &AuditProblem{EntryID: rep.LastID + 1, Reason: "tail_removed", Detail: fmt.Sprintf("the trail ends at %d but %d entries were written", rep.LastID, headID)}, rep, nil
	}
	if rep.Entries > 0 && !keyed {
		return &AuditProblem{EntryID: rep.LastID, Reason: "unsealed", Detail: "no entry has a keyed link: either this trail was never opened by a leoc that seals it " +
			"(run leoc migrate once), or it was recomputed with plain SHA-256 by someone without the key"}, rep, nil
	}
	return nil, rep, nil
}

// checkEntry checks one entry, whose link is of the given kind, against the
// one before it.
func checkEntry(e *AuditEntry, kind string, prevID int64, prevHash string, keyedBefore bool) *AuditProblem {
	if e.ID != prevID+1 {
		return &AuditProblem{EntryID: prevID + 1, Reason: "removed", Detail: fmt.Sprintf("entries %d to %d are missing", prevID+1, e.ID-1)}
	}
	switch {
	case kind == "":
		return &AuditProblem{EntryID: e.ID, Reason: "altered", Detail: "its content does not match its link under this installation's audit key"}
	case kind == "plain" && keyedBefore:
		return &AuditProblem{EntryID: e.ID, Reason: "rechained", Detail: "a plain SHA-256 link after keyed ones: the trail from here was recomputed without the key"}
	case kind == "plain" && slices.Contains(sealActions, e.Action):
		return &AuditProblem{EntryID: e.ID, Reason: "rechained", Detail: e.Action + " is always written with a keyed link: the trail was recomputed without the key"}
	}
	if e.PrevHash != prevHash {
		return &AuditProblem{EntryID: e.ID, Reason: "reordered", Detail: "it does not follow the entry before it (that entry, or one before it, was changed, moved or removed)"}
	}
	return nil
}

// truncatedPast reports a trail that ends before the newest checkpoint.
func truncatedPast(checkpoints []Checkpoint, lastID int64) *AuditProblem {
	var newest *Checkpoint
	for i := range checkpoints {
		if newest == nil || checkpoints[i].Entries > newest.Entries {
			newest = &checkpoints[i]
		}
	}
	if newest == nil || newest.Entries <= lastID {
		return nil
	}
	return &AuditProblem{EntryID: lastID + 1, Reason: "truncated", Detail: fmt.Sprintf(
		"the checkpoint of %s saw %d entries; the trail ends at %d", newest.At.UTC().Format("2006-01-02 15:04:05Z"), newest.Entries, lastID)}
}

// VerifyCheckpoint reports whether c carries this installation's signature.
func (k *AuditKeys) VerifyCheckpoint(c Checkpoint) bool {
	return len(c.Sig) == ed25519.SignatureSize && ed25519.Verify(k.PublicKey(), c.message(), c.Sig)
}
