package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"leoc/internal/auth"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// cliActor marks command-line changes in the audit trail.
var cliActor = store.Actor{Username: "cli", IP: "local"}

// withStore loads the configuration, opens the database and runs fn.
func withStore(ctx context.Context, env Env, fn func(st *store.Store) error) error {
	return withStoreSealing(ctx, env, true, fn)
}

// withStoreSealing is withStore; seal false leaves an old plain trail as it
// is (audit verify only reads).
func withStoreSealing(ctx context.Context, env Env, seal bool, fn func(st *store.Store) error) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(env.Stderr, nil)), seal)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

// describe renders a domain error for the console in English, the
// console's language, with one line per field.
func describe(err error) error {
	e, ok := leoc.AsError(err)
	if !ok {
		return err
	}
	cat, cerr := i18n.Load()
	if cerr != nil {
		return errors.Join(err, cerr)
	}
	msg := cat.Msg("en", e.Message)
	for k, m := range e.Fields {
		msg += "\n  " + k + ": " + cat.Msg("en", m)
	}
	return errors.New(msg)
}

// passwordProblem explains a refused password or key in words.
func passwordProblem(what, secret, username string) error {
	k := leoc.CheckPassword(secret, username)
	if k == "" {
		return nil
	}
	return describe(&leoc.Error{Code: leoc.EInvalid, Message: leoc.M("password.refused", what), Fields: map[string]leoc.Msg{what: leoc.M(k, leoc.PasswordMinLen)}})
}

func userCommand(ctx context.Context, sub string, args []string, env Env) error {
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	username := fs.String("username", "", "username")
	role := fs.String("role", "", "admin | officer | finance | viewer")
	display := fs.String("display-name", "", "full name")
	wards := fs.String("wards", "", "comma-separated ward numbers the user is limited to")
	canUnlock := fs.Bool("can-unlock", false, "may unlock records (with the unlock key)")
	seeAll := fs.Bool("see-all-personal", false, "sees the personal data of households of every ward (docs/security.md)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error()}
	}
	needUser := func() error {
		if *username == "" {
			return &usageError{"--username is required"}
		}
		return nil
	}
	switch sub {
	case "add":
		if err := needUser(); err != nil {
			return err
		}
		if !*fromStdin {
			return &usageError{"user add needs --password-stdin (the password is read from standard input)"}
		}
		u := &leoc.User{Username: leoc.NormalizeUsername(*username), Role: leoc.Role(*role), DisplayName: *display, CanUnlock: *canUnlock,
			SeeAllPersonal: *seeAll}
		for _, f := range strings.Split(*wards, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return &usageError{fmt.Sprintf("--wards: %q is not a ward number", f)}
			}
			u.Wards = append(u.Wards, n)
		}
		password, err := readSecretLine(env.Stdin)
		if err != nil {
			return err
		}
		if err := passwordProblem("password", password, u.Username); err != nil {
			return err
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			if err := st.CreateUser(ctx, cliActor, u, hash); err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "user %s created (id %d, role %s)\n", u.Username, u.ID, u.Role)
			return nil
		})
	case "passwd":
		if err := needUser(); err != nil {
			return err
		}
		if !*fromStdin {
			return &usageError{"user passwd needs --password-stdin"}
		}
		password, err := readSecretLine(env.Stdin)
		if err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			u, err := st.UserByUsername(ctx, *username)
			if err != nil {
				return describe(err)
			}
			if err := passwordProblem("password", password, u.Username); err != nil {
				return err
			}
			hash, err := auth.HashPassword(password)
			if err != nil {
				return err
			}
			if err := st.SetPassword(ctx, cliActor, u.ID, hash, true); err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "password of %s changed; its sessions have ended and its API tokens are revoked\n", u.Username)
			return nil
		})
	case "disable", "enable":
		if err := needUser(); err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			u, err := st.UserByUsername(ctx, *username)
			if err != nil {
				return describe(err)
			}
			u.Disabled = sub == "disable"
			if err := st.UpdateUser(ctx, cliActor, u); err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "user %s %sd\n", u.Username, sub)
			return nil
		})
	case "unlock":
		if err := needUser(); err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			n, err := st.UnlockLogin(ctx, cliActor, *username)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "sign-in throttle of %s cleared (%d counters)\n", leoc.NormalizeUsername(*username), n)
			return nil
		})
	case "grant-personal", "revoke-personal":
		// Audited as a user.update like every account change.
		if err := needUser(); err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			u, err := st.UserByUsername(ctx, *username)
			if err != nil {
				return describe(err)
			}
			u.SeeAllPersonal = sub == "grant-personal"
			if err := st.UpdateUser(ctx, cliActor, u); err != nil {
				return describe(err)
			}
			if u.SeeAllPersonal {
				fmt.Fprintf(env.Stdout, "user %s now sees the personal data of every ward\n", u.Username)
			} else {
				fmt.Fprintf(env.Stdout, "user %s sees personal data by role and wards only\n", u.Username)
			}
			return nil
		})
	case "list":
		return withStore(ctx, env, func(st *store.Store) error {
			users, err := st.Users(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tWARDS\tSTATUS\tNAME")
			for _, u := range users {
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				ws := "all"
				if len(u.Wards) > 0 {
					ws = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(u.Wards)), ","), "[]")
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.Role, ws, status, u.DisplayName)
			}
			return tw.Flush()
		})
	}
	return &usageError{"user needs one of: add, passwd, disable, enable, unlock, grant-personal, revoke-personal, list"}
}

func tokenCommand(ctx context.Context, sub string, args []string, env Env) error {
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	user := fs.String("user", "", "username the token acts as")
	name := fs.String("name", "", "what the token is for")
	id := fs.Int64("id", 0, "token id (see token list)")
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error()}
	}
	switch sub {
	case "create":
		if *user == "" {
			return &usageError{"--user is required"}
		}
		return withStore(ctx, env, func(st *store.Store) error {
			u, err := st.UserByUsername(ctx, *user)
			if err != nil {
				return describe(err)
			}
			if u.Disabled {
				return fmt.Errorf("user %s is disabled", u.Username)
			}
			token, err := auth.NewAPIToken()
			if err != nil {
				return err
			}
			t := &store.APIToken{UserID: u.ID, Name: *name, Prefix: token[:len(auth.APITokenPrefix)+6]}
			if err := st.CreateAPIToken(ctx, cliActor, t, auth.TokenHash(token)); err != nil {
				return describe(err)
			}
			// Only the token on stdout, so scripts can capture it.
			fmt.Fprintln(env.Stdout, token)
			fmt.Fprintf(env.Stderr, "token %d created for %s; it is shown only this once\n", t.ID, u.Username)
			return nil
		})
	case "revoke":
		if *id <= 0 {
			return &usageError{"--id is required"}
		}
		return withStore(ctx, env, func(st *store.Store) error {
			if err := st.RevokeAPIToken(ctx, cliActor, *id); err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "token %d revoked\n", *id)
			return nil
		})
	case "list":
		return withStore(ctx, env, func(st *store.Store) error {
			var uid int64
			if *user != "" {
				u, err := st.UserByUsername(ctx, *user)
				if err != nil {
					return describe(err)
				}
				uid = u.ID
			}
			toks, err := st.APITokens(ctx, uid)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSER\tNAME\tPREFIX\tCREATED\tSTATUS")
			for _, t := range toks {
				status := "active"
				if !t.RevokedAt.IsZero() {
					status = "revoked"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\n", t.ID, t.Username, t.Name, t.Prefix, t.CreatedAt.Format("2006-01-02 15:04"), status)
			}
			return tw.Flush()
		})
	}
	return &usageError{"token needs one of: create, revoke, list"}
}

// unlockKeySet stores the argon2id hash of a new unlock key. Without
// --stdin it prompts twice on the terminal without echo.
func unlockKeySet(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("unlock-key set", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fromStdin := fs.Bool("stdin", false, "read the key from standard input")
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error()}
	}
	var key string
	var err error
	if *fromStdin {
		key, err = readSecretLine(env.Stdin)
	} else {
		key, err = promptTwice(env, "New unlock key: ")
	}
	if err != nil {
		return err
	}
	if err := passwordProblem("unlock_key", key, ""); err != nil {
		return err
	}
	hash, err := auth.HashPassword(key)
	if err != nil {
		return err
	}
	return withStore(ctx, env, func(st *store.Store) error {
		if err := st.SetUnlockKey(ctx, cliActor, hash); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "unlock key set")
		return nil
	})
}

func promptTwice(env Env, prompt string) (string, error) {
	f, ok := env.Stdin.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", &usageError{"standard input is not a terminal: use --stdin to pipe the key in"}
	}
	read := func(p string) (string, error) {
		fmt.Fprint(env.Stderr, p)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		return string(b), err
	}
	a, err := read(prompt)
	if err != nil {
		return "", err
	}
	b, err := read("Repeat: ")
	if err != nil {
		return "", err
	}
	if a != b {
		return "", errors.New("the two entries differ")
	}
	return a, nil
}
