package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"leoc/internal/bs"
)

// migrate creates the database when there is none, and brings its schema
// up to date; it lists the records the household-key migration found to be
// the same household, for a person to resolve.
func migrate(ctx context.Context, env Env, _ []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(env.Stderr, nil)), true)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "database %s is at schema version %d\n", databaseDescription(cfg), v)
	collisions, err := st.HouseholdKeyCollisions(ctx)
	if err != nil {
		return err
	}
	if len(collisions) > 0 {
		fmt.Fprintf(env.Stdout, "household keys: %d records are the same household as another record and need a person to resolve them (also in the audit trail as household_key.collision):\n", len(collisions))
		for _, c := range collisions {
			fmt.Fprintf(env.Stdout, "  %s\n", c)
		}
	}
	return nil
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
