package deploytest

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leoc/internal/loadgen"
	"leoc/internal/store/storetest"
)

func TestCrashLosesNoAcknowledgedRecordSQLite(t *testing.T) {
	testCrash(t, "LEOC_DATA_DIR="+filepath.Join(t.TempDir(), "data"))
}

func TestCrashLosesNoAcknowledgedRecordPostgres(t *testing.T) {
	testCrash(t, "LEOC_DATA_DIR="+filepath.Join(t.TempDir(), "data"), "LEOC_DATABASE_URL="+storetest.PostgresURL(t))
}

// testCrash kills leoc serve with SIGKILL three times while four clients
// create records, restarts it each time, and finds every record whose 201
// arrived present and intact. With SQLite's default synchronous=FULL (and
// PostgreSQL's commit), an acknowledged write is on disk before the answer.
func testCrash(t *testing.T, vars ...string) {
	addr := freeAddr(t, "127.0.0.1")
	base := "http://" + addr
	// The writers are as fast as the machine allows; LEOC_RATE_LIMIT's 600
	// a minute would answer them 429 and leave nothing to lose.
	env := leocEnv(append([]string{"LEOC_ADDR=" + addr, "LEOC_LOG_LEVEL=warn", "LEOC_RATE_LIMIT=off"}, vars...)...)
	run := func() *process {
		cmd := exec.Command(binary, "serve")
		cmd.Env = env
		p := start(t, cmd)
		waitHealthy(t, p, base)
		return p
	}
	p := run()
	c := loadgen.New(base, strings.TrimSpace(runLeoc(t, env, "token", "create", "--user", "admin")))
	var all []loadgen.Record
	for round := range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		w := loadgen.Start(ctx, c, 4, "crash round "+string(rune('A'+round)))
		target := w.Acked() + 30
		for w.Acked() < target {
			time.Sleep(5 * time.Millisecond)
		}
		p.kill(t) // mid-write: the clients are still sending
		cancel()
		acked, attempts := w.Stop()
		t.Logf("round %d: %d creates attempted, %d acknowledged before SIGKILL", round, attempts, len(acked))
		all = append(all, acked...)
		p = run()
	}
	ctx := context.Background()
	for _, r := range all {
		got, err := c.EventLog(ctx, r.ID)
		if err != nil || got != r.Description {
			t.Errorf("acknowledged record %d after SIGKILL: %q, %v (want %q)", r.ID, got, err, r.Description)
		}
	}
	if len(all) < 90 {
		t.Fatalf("only %d records acknowledged: the test proves little", len(all))
	}
}
