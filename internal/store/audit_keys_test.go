package store_test

import (
	"fmt"
	"strings"
	"testing"

	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func lastAuditID(t *testing.T, s *store.Store) int64 {
	t.Helper()
	var id int64
	if err := s.QueryRow(ctx, "SELECT MAX(id) FROM audit_log").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func writeEntries(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := range n {
		if err := s.Audit(ctx, admin, "test.event", "thing", fmt.Sprint(i), map[string]any{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
}

func wantProblem(t *testing.T, p *store.AuditProblem, err error, id int64, reason string) {
	t.Helper()
	if err != nil || p == nil || p.EntryID != id || p.Reason != reason {
		t.Fatalf("got %+v, %v; want entry %d %s", p, err, id, reason)
	}
}

// An attacker who edits an entry and recomputes the links after it, with
// plain SHA-256 (what the old chain was) or with a key of their own, is
// caught at the edited entry.
func TestAuditKeyedLinksCatchRechaining(t *testing.T) {
	for _, tc := range []struct {
		name   string
		keys   func(t *testing.T) *store.AuditKeys
		reason string
	}{
		{"plain sha-256", func(*testing.T) *store.AuditKeys { return nil }, "rechained"},
		{"wrong key", func(t *testing.T) *store.AuditKeys {
			k, err := store.DeriveAuditKeys([]byte("an attacker's own key of 32+ bytes......"))
			if err != nil {
				t.Fatal(err)
			}
			return k
		}, "altered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, s *store.Store) {
				writeEntries(t, s, 5)
				target := lastAuditID(t, s) - 2
				dropGuards(t, s)
				exec(t, s, `UPDATE audit_log SET details = '{"n":99}' WHERE id = ?`, target)
				if err := s.RechainForTest(ctx, target, 0, tc.keys(t)); err != nil {
					t.Fatal(err)
				}
				p, _, err := s.VerifyAudit(ctx)
				wantProblem(t, p, err, target, tc.reason)
			})
		})
	}
}

// Recomputing the whole trail with plain SHA-256 leaves no keyed entry.
func TestAuditWholeTrailRechainedIsUnsealed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		writeEntries(t, s, 3)
		dropGuards(t, s)
		if err := s.RechainForTest(ctx, 1, 0, nil); err != nil {
			t.Fatal(err)
		}
		p, _, err := s.VerifyAudit(ctx)
		wantProblem(t, p, err, lastAuditID(t, s), "unsealed")
	})
}

// Removing the newest entries and moving the head row cannot be seen in the
// database alone; a signed checkpoint taken before shows it.
func TestAuditCheckpointCatchesTruncation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		writeEntries(t, s, 3)
		cp, err := s.Checkpoint(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Entries != lastAuditID(t, s) {
			t.Fatalf("checkpoint covers %d entries, trail has %d", cp.Entries, lastAuditID(t, s))
		}
		writeEntries(t, s, 2)
		if p, rep, err := s.VerifyAudit(ctx, cp); p != nil || err != nil || rep.Checkpoints != 1 {
			t.Fatalf("intact trail with checkpoint: %+v %+v %v", p, rep, err)
		}
		// Back past the checkpoint's head: the two after it and two before.
		dropGuards(t, s)
		keep := cp.Entries - 2
		exec(t, s, "DELETE FROM audit_log WHERE id > ?", keep)
		var h string
		must.OK(t, s.QueryRow(ctx, "SELECT hash FROM audit_log WHERE id = ?", keep).Scan(&h))
		exec(t, s, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", keep, h)
		if p, _, err := s.VerifyAudit(ctx); p != nil || err != nil {
			t.Fatalf("without a checkpoint the truncated trail looks whole: %+v %v", p, err)
		}
		p, _, err := s.VerifyAudit(ctx, cp)
		wantProblem(t, p, err, keep+1, "truncated")
	})
}

// The worst case without outside evidence: the whole trail recomputed with
// plain SHA-256, the checkpoint entries renamed, and a restart that seals the
// forgery as an old trail. Only a checkpoint kept outside the database shows
// it, at the entry it covered.
func TestAuditCheckpointCatchesResealedForgery(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		writeEntries(t, s, 2)
		cp, err := s.Checkpoint(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		writeEntries(t, s, 1)
		dropGuards(t, s)
		exec(t, s, "UPDATE audit_log SET action = 'test.event', details = '{}' WHERE action LIKE 'audit.%'")
		if err := s.RechainForTest(ctx, 1, 0, nil); err != nil {
			t.Fatal(err)
		}
		if seal, err := s.SealLegacyAudit(ctx, store.SystemActor); err != nil || !seal.Sealed {
			t.Fatalf("reseal: %+v %v", seal, err)
		}
		if p, _, err := s.VerifyAudit(ctx); p != nil || err != nil {
			t.Fatalf("without a checkpoint the resealed forgery looks whole: %+v %v", p, err)
		}
		p, _, err := s.VerifyAudit(ctx, cp)
		wantProblem(t, p, err, cp.Entries, "rechained")
	})
}

// A checkpoint entry is always written with a keyed link; a plain one proves
// a recomputed trail even when it comes first.
func TestAuditPlainCheckpointEntryIsRechained(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		cp, err := s.Checkpoint(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		writeEntries(t, s, 1)
		dropGuards(t, s)
		if err := s.RechainForTest(ctx, 1, cp.Entries, nil); err != nil {
			t.Fatal(err)
		}
		p, _, err := s.VerifyAudit(ctx)
		wantProblem(t, p, err, cp.Entries, "rechained")
	})
}

func TestAuditCheckpointSignatureAndParsing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		cp, err := s.Checkpoint(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		line := cp.String()
		if strings.Contains(line, "\n") || !strings.HasPrefix(line, "leoc-audit-checkpoint v1 entries=") {
			t.Fatalf("checkpoint line %q", line)
		}
		// Read back alone, from a text log line and from a JSON log line.
		for _, text := range []string{line + "\n", `time=2026-01-29T10:00:00Z level=INFO msg="audit checkpoint" checkpoint="` + line + `"`,
			`{"time":"2026-01-29T10:00:00Z","level":"INFO","msg":"audit checkpoint","checkpoint":"` + line + `"}`} {
			got, err := store.ParseCheckpoints(text)
			if err != nil || len(got) != 1 || got[0].String() != line {
				t.Fatalf("parse %q: %v %v", text, got, err)
			}
		}
		if _, err := store.ParseCheckpoints("nothing here"); err == nil {
			t.Fatal("a file without checkpoints was accepted")
		}
		// A checkpoint with a bumped count no longer matches its signature.
		forged := cp
		forged.Entries += 100
		if _, _, err := s.VerifyAudit(ctx, forged); err == nil || !strings.Contains(err.Error(), "not signed") {
			t.Fatalf("forged checkpoint: %v", err)
		}
		other := must.Get(store.DeriveAuditKeys([]byte("another installation's secret, 32+ bytes")))(t)
		if other.VerifyCheckpoint(cp) {
			t.Fatal("another key verified the checkpoint")
		}
	})
}

// A trail from before keyed links is verified, sealed with a keyed entry
// that covers its head, and stays checkable: changing an old entry and
// recomputing the old plain chain is caught at the seal.
func TestAuditLegacyTrailIsSealed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		writeEntries(t, s, 4)
		dropGuards(t, s)
		// What a database written by an older leoc looks like.
		if err := s.RechainForTest(ctx, 1, 0, nil); err != nil {
			t.Fatal(err)
		}
		old := lastAuditID(t, s)
		if kind, err := s.AuditHeadKind(ctx); kind != "plain" || err != nil {
			t.Fatalf("head kind %q %v", kind, err)
		}
		seal, err := s.SealLegacyAudit(ctx, store.SystemActor)
		if err != nil || !seal.Sealed || seal.PlainEntries != old || seal.Problem != "" {
			t.Fatalf("seal: %+v %v", seal, err)
		}
		again, err := s.SealLegacyAudit(ctx, store.SystemActor)
		if err != nil || again.Sealed {
			t.Fatalf("a sealed trail was sealed again: %+v %v", again, err)
		}
		writeEntries(t, s, 1)
		p, rep, err := s.VerifyAudit(ctx)
		if p != nil || err != nil || rep.Plain != int(old) {
			t.Fatalf("sealed trail: %+v %+v %v", p, rep, err)
		}
		exec(t, s, `UPDATE audit_log SET details = '{"n":99}' WHERE id = 2`)
		if err := s.RechainForTest(ctx, 2, old, nil); err != nil {
			t.Fatal(err)
		}
		p, _, err = s.VerifyAudit(ctx)
		wantProblem(t, p, err, old+1, "reordered")
	})
}

// A seal records, and never hides, a break the old chain already had.
func TestAuditSealKeepsAnOldBreakVisible(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		writeEntries(t, s, 3)
		dropGuards(t, s)
		if err := s.RechainForTest(ctx, 1, 0, nil); err != nil {
			t.Fatal(err)
		}
		exec(t, s, `UPDATE audit_log SET username = 'mallory' WHERE id = 2`)
		seal, err := s.SealLegacyAudit(ctx, store.SystemActor)
		if err != nil || !seal.Sealed || seal.Problem != "entry 2: altered" {
			t.Fatalf("seal: %+v %v", seal, err)
		}
		p, _, err := s.VerifyAudit(ctx)
		wantProblem(t, p, err, 2, "altered")
	})
}

func TestStoreWithoutAuditKeysRefusesWrites(t *testing.T) {
	s, err := store.Open(ctx, storetest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "audit key") {
		t.Fatalf("migrate (which seeds and audits) without keys: %v", err)
	}
}
