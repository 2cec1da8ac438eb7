package server

import (
	"strings"
	"testing"
	"time"

	"leoc/internal/must"
	"leoc/internal/store"
)

// The running server signs a checkpoint at least daily and logs it, so it
// exists outside the database; the logged line verifies the trail.
func TestServerTakesDailyCheckpoints(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		ctx := t.Context()
		if !e.s.checkpointIfDue(ctx) {
			t.Fatal("no checkpoint on a trail that never had one")
		}
		e.clock.Add(23 * time.Hour)
		if e.s.checkpointIfDue(ctx) {
			t.Fatal("a second checkpoint within a day")
		}
		e.clock.Add(2 * time.Hour)
		if !e.s.checkpointIfDue(ctx) {
			t.Fatal("no checkpoint after more than a day")
		}
		cps, err := store.ParseCheckpoints(e.logs.String())
		if err != nil || len(cps) != 2 {
			t.Fatalf("checkpoints in the log: %d %v\n%s", len(cps), err, e.logs)
		}
		if p, rep, err := e.st.VerifyAudit(ctx, cps...); p != nil || err != nil || rep.Checkpoints != 2 {
			t.Fatalf("verify against the logged checkpoints: %+v %+v %v", p, rep, err)
		}
		_, n := must.Get2(e.st.ListAudit(ctx, store.AuditFilter{Action: "audit.checkpoint"}))(t)
		if n != 2 || !strings.Contains(e.logs.String(), "audit checkpoint") {
			t.Fatalf("%d checkpoint entries", n)
		}
	})
}
