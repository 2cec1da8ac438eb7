package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"

	"leoc/internal/bs"
	"leoc/internal/store"
)

// migrate creates the database when there is none, and brings its schema
// up to date.
func migrate(ctx context.Context, env Env, _ []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "database %s is at schema version %d\n", databaseDescription(cfg), v)
	return nil
}

func auditVerify(ctx context.Context, env Env, _ []string) error {
	return withStore(ctx, env, func(st *store.Store) error {
		problem, n, err := st.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if problem != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("audit trail BROKEN after checking %d entries: %s", n, problem)}
		}
		fmt.Fprintf(env.Stdout, "audit trail intact: %d entries verified\n", n)
		return nil
	})
}

// healthcheck calls /health at LEOC_ADDR, so a container needs no curl.
func healthcheck(ctx context.Context, env Env, _ []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	url := "http://" + displayAddr(cfg.Addr) + "/health"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{}).DialContext}}).Do(req)
	if err != nil {
		return &exitError{code: 1, msg: "unhealthy: " + err.Error()}
	}
	defer resp.Body.Close()
	var body struct{ Status, Version string }
	_ = json.NewDecoder(resp.Body).Decode(&body) // the status code decides; the body is informative
	if resp.StatusCode != http.StatusOK {
		return &exitError{code: 1, msg: fmt.Sprintf("unhealthy: %s answered %d", url, resp.StatusCode)}
	}
	fmt.Fprintf(env.Stdout, "healthy: %s (version %s)\n", body.Status, body.Version)
	return nil
}

// dateConvert converts dates given as arguments, or one per line from
// standard input, writing one result per line in the same order.
func dateConvert(toBS bool) func(ctx context.Context, env Env, args []string) error {
	return func(ctx context.Context, env Env, args []string) error {
		return convertDates(ctx, env, args, toBS)
	}
}

func convertDates(ctx context.Context, env Env, args []string, toBS bool) error {
	cal := effectiveCalendar(ctx, env)
	var failed int
	var err error
	if len(args) == 0 {
		failed, err = bs.ConvertLines(cal, env.Stdin, env.Stdout, toBS)
	} else {
		failed, err = bs.ConvertLines(cal, stringsReader(args), env.Stdout, toBS)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d date(s) could not be converted", failed)}
	}
	return nil
}
