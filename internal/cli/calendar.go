package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/notify"
	"leoc/internal/store"
)

// calendarImport is "leoc calendar import FILE": a newer official
// month-length table into the database (every server of the deployment
// then uses it).
func calendarImport(ctx context.Context, env Env, args []string) error {
	b, err := env.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("read %s: %w", args[0], err)
	}
	body := string(b)
	newCal, err := bs.Load(strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s is not a valid calendar table: %w", args[0], err)
	}
	return withStore(ctx, env, func(st *store.Store) error {
		old, err := st.Calendar(ctx)
		if err != nil {
			return err
		}
		changed := changedYears(old, newCal)
		if err := st.SetCalendarTable(ctx, cliActor, body); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "calendar table imported: BS %d–%d, official through %d\n", newCal.FirstYear(), newCal.LastYear(), newCal.OfficialThrough())
		told, err := announceFromEnv(ctx, env, notify.Calendar)
		if err != nil {
			fmt.Fprintf(env.Stderr, "warning: the running servers were not told (%v); restart them to use the new table\n", err)
		} else if told {
			fmt.Fprintln(env.Stdout, "the servers sharing LEOC_REDIS_URL use the new table from now on")
		}
		if len(changed) > 0 {
			// Stored BS dates of these years now mean other AD days.
			restart := ", restart the servers to use the new table"
			if told {
				restart = ""
			}
			fmt.Fprintf(env.Stderr, "warning: month lengths changed for BS %s; records dated in those years keep their BS date%s\n",
				strings.Join(changed, ", "), restart)
		}
		return nil
	})
}

// calendarExport is "leoc calendar export": the table in force.
func calendarExport(ctx context.Context, env Env, _ []string) error {
	return withStore(ctx, env, func(st *store.Store) error {
		body, err := st.CalendarTable(ctx)
		if err != nil {
			return err
		}
		t := bs.DefaultTable()
		if body != "" {
			u, err := bs.ParseTable(strings.NewReader(body))
			if err != nil {
				return err
			}
			if t, err = t.Merge(u); err != nil {
				return err
			}
		}
		_, err = t.WriteTo(env.Stdout)
		return err
	})
}

// changedYears lists the years whose month lengths differ between two
// calendars.
func changedYears(a, b *bs.Calendar) []string {
	var out []string
	for y := max(a.FirstYear(), b.FirstYear()); y <= min(a.LastYear(), b.LastYear()); y++ {
		for m := 1; m <= 12; m++ {
			da, _ := a.DaysInMonth(y, m)
			db, _ := b.DaysInMonth(y, m)
			if da != db {
				out = append(out, fmt.Sprint(y))
				break
			}
		}
	}
	return out
}

// effectiveCalendar is the calendar of the configured database when one
// exists, else the built-in one: `leoc date` must agree with the server, but
// converting a date should not create a database as a side effect.
func effectiveCalendar(ctx context.Context, env Env) *bs.Calendar {
	cfg, err := loadConfig(env)
	if err != nil {
		return bs.Default()
	}
	if cfg.Driver() == "sqlite" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return bs.Default()
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.SQLiteSynchronous(cfg.SQLiteSynchronous))
	if err != nil {
		return bs.Default()
	}
	defer st.Close()
	cal, err := st.Calendar(ctx)
	if err != nil {
		return bs.Default()
	}
	return cal
}
