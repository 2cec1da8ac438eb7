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
	"leoc/internal/notify"
	"leoc/internal/store"
)

// cliActor marks command-line changes in the audit trail.
var cliActor = store.Actor{Username: "cli", IP: "local"}

// withStore loads the configuration, opens the existing database (never
// creating one) and runs fn.
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
	st, err := openExisting(ctx, cfg, slog.New(slog.NewTextHandler(env.Stderr, nil)), seal)
	if err != nil {
		return err
	}
	defer st.Close()
	// A running server keeps who its tokens and sessions belong to for a
	// few seconds; a command that changed users, tokens or sessions tells
	// the servers sharing LEOC_REDIS_URL at once (without Redis they
	// notice within those seconds).
	authChanged := false
	st.OnAuthChange(func(context.Context) { authChanged = true })
	err = fn(st)
	if authChanged {
		if _, aerr := announce(ctx, cfg, notify.Auth); aerr != nil {
			fmt.Fprintf(env.Stderr, "warning: the running servers were not told of the change (%v); they notice it within seconds\n", aerr)
		}
	}
	return err
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

// userAdd is "leoc user add".
func userAdd(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	username := fs.String("username", "", "the user's login name (required)")
	role := fs.String("role", "", "admin | officer | finance | viewer (required)")
	display := fs.String("display-name", "", "full name")
	wards := fs.String("wards", "", "comma-separated ward numbers the user is limited to")
	canUnlock := fs.Bool("can-unlock", false, "may unlock records (with the unlock key)")
	seeAll := fs.Bool("see-all-personal", false, "sees the personal data of households of every ward (docs/security.md)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input (required)")
	return func(ctx context.Context, env Env, _ []string) error {
		if *username == "" {
			return &usageError{msg: "user add: --username is required"}
		}
		if !*fromStdin {
			return &usageError{msg: "user add needs --password-stdin (the password is read from standard input)"}
		}
		u := &leoc.User{Username: leoc.NormalizeUsername(*username), Role: leoc.Role(*role), DisplayName: *display, CanUnlock: *canUnlock,
			SeeAllPersonal: *seeAll}
		for _, f := range strings.Split(*wards, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return &usageError{msg: fmt.Sprintf("--wards: %q is not a ward number", f)}
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
	}
}

// userPasswd is "leoc user passwd".
func userPasswd(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	username := fs.String("username", "", "the user's login name (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the new password from standard input (required)")
	return func(ctx context.Context, env Env, _ []string) error {
		if *username == "" {
			return &usageError{msg: "user passwd: --username is required"}
		}
		if !*fromStdin {
			return &usageError{msg: "user passwd needs --password-stdin"}
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
	}
}

// userEnable is "leoc user disable" (disable true) and "leoc user enable".
func userEnable(disable bool) func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	return userChange(func(u *leoc.User) string {
		u.Disabled = disable
		if disable {
			return "user %s disabled"
		}
		return "user %s enabled"
	})
}

// userChange is a user command that changes one account (audited as a
// user.update like every account change): change sets the field and
// returns the message printed after, with %s for the username.
func userChange(change func(u *leoc.User) string) func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	return func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
		username := fs.String("username", "", "the user's login name (required)")
		return func(ctx context.Context, env Env, _ []string) error {
			if *username == "" {
				return &usageError{msg: "--username is required"}
			}
			return withStore(ctx, env, func(st *store.Store) error {
				u, err := st.UserByUsername(ctx, *username)
				if err != nil {
					return describe(err)
				}
				done := change(u)
				if err := st.UpdateUser(ctx, cliActor, u); err != nil {
					return describe(err)
				}
				fmt.Fprintf(env.Stdout, done+"\n", u.Username)
				return nil
			})
		}
	}
}

// userUnlock is "leoc user unlock": it clears the sign-in throttle of an
// account from every address (audited).
func userUnlock(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	username := fs.String("username", "", "the user's login name (required)")
	return func(ctx context.Context, env Env, _ []string) error {
		if *username == "" {
			return &usageError{msg: "--username is required"}
		}
		return withStore(ctx, env, func(st *store.Store) error {
			n, err := st.UnlockLogin(ctx, cliActor, *username)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "sign-in throttle of %s cleared (%d counters)\n", leoc.NormalizeUsername(*username), n)
			return nil
		})
	}
}

// userSeeAll is "leoc user grant-personal" (grant true) and
// "revoke-personal".
func userSeeAll(grant bool) func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	return userChange(func(u *leoc.User) string {
		u.SeeAllPersonal = grant
		if grant {
			return "user %s now sees the personal data of every ward"
		}
		return "user %s sees personal data by role and wards only"
	})
}

// userList is "leoc user list".
func userList(ctx context.Context, env Env, _ []string) error {
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

// tokenCreate is "leoc token create".
func tokenCreate(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	user := fs.String("user", "", "username the token acts as (required)")
	name := fs.String("name", "", "what the token is for")
	return func(ctx context.Context, env Env, _ []string) error {
		if *user == "" {
			return &usageError{msg: "token create: --user is required"}
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
	}
}

// tokenRevoke is "leoc token revoke".
func tokenRevoke(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	id := fs.Int64("id", 0, "token id, from token list (required)")
	return func(ctx context.Context, env Env, _ []string) error {
		if *id <= 0 {
			return &usageError{msg: "token revoke: --id is required"}
		}
		return withStore(ctx, env, func(st *store.Store) error {
			if err := st.RevokeAPIToken(ctx, cliActor, *id); err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "token %d revoked\n", *id)
			return nil
		})
	}
}

// tokenList is "leoc token list".
func tokenList(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	user := fs.String("user", "", "only this user's tokens")
	return func(ctx context.Context, env Env, _ []string) error {
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
}

// unlockKeySet stores the argon2id hash of a new unlock key. Without
// --stdin it prompts twice on the terminal without echo.
func unlockKeySet(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	fromStdin := fs.Bool("stdin", false, "read the key from standard input instead of prompting")
	return func(ctx context.Context, env Env, _ []string) error {
		return setUnlockKey(ctx, env, *fromStdin)
	}
}

func setUnlockKey(ctx context.Context, env Env, fromStdin bool) error {
	var key string
	var err error
	if fromStdin {
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
		return "", &usageError{msg: "standard input is not a terminal: use --stdin to pipe the key in"}
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
