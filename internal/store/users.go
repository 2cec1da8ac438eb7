package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"leoc/internal/leoc"
)

const userColumns = `id, username, display_name, role, wards, can_unlock, see_all_personal, disabled, lang,
	failed_logins, locked_until, last_login_at, created_at, updated_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(r rowScanner, extra ...any) (*leoc.User, error) {
	var u leoc.User
	var role, wards string
	var lockedUntil, lastLogin sql.NullTime
	dest := append([]any{&u.ID, &u.Username, &u.DisplayName, &role, &wards, &u.CanUnlock, &u.SeeAllPersonal, &u.Disabled, &u.Lang,
		&u.FailedLogins, &lockedUntil, &lastLogin, &u.CreatedAt, &u.UpdatedAt}, extra...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	u.Role = leoc.Role(role)
	u.Wards = parseWards(wards)
	u.LockedUntil = lockedUntil.Time
	u.LastLoginAt = lastLogin.Time
	return &u, nil
}

func parseWards(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func formatWards(ws []int) string {
	ws = slices.Clone(ws)
	slices.Sort(ws)
	ws = slices.Compact(ws)
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = strconv.Itoa(w)
	}
	return strings.Join(parts, ",")
}

// userFields is the audit view of a user: never the password hash.
func userFields(u *leoc.User) map[string]any {
	return map[string]any{
		"username": u.Username, "display_name": u.DisplayName, "role": string(u.Role),
		"wards": formatWards(u.Wards), "can_unlock": u.CanUnlock, "see_all_personal": u.SeeAllPersonal,
		"disabled": u.Disabled, "lang": u.Lang,
	}
}

// validateUser checks the fields a person can set on an account.
func (t *Tx) validateUser(ctx context.Context, u *leoc.User) error {
	var v leoc.Validation
	v.Check(leoc.ValidUsername(u.Username), "username", "user.username_invalid")
	v.Check(u.Role.Valid(), "role", "user.role_invalid")
	v.Check(len([]rune(u.DisplayName)) <= 100, "display_name", "field.too_long", 100)
	v.Check(u.Lang == "" || u.Lang == "ne" || u.Lang == "en", "lang", "user.lang_invalid")
	if len(u.Wards) > 0 {
		known, err := t.wardNumbers(ctx)
		if err != nil {
			return err
		}
		for _, w := range u.Wards {
			if !slices.Contains(known, w) {
				v.Add("wards", "ward.unknown", w)
			}
		}
	}
	return v.Err()
}

// CreateUser adds an account with an already hashed password.
func (s *Store) CreateUser(ctx context.Context, actor Actor, u *leoc.User, passwordHash string) error {
	u.Username = leoc.NormalizeUsername(u.Username)
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.validateUser(ctx, u); err != nil {
			return err
		}
		now := s.Now()
		err := tx.queryRow(ctx, `INSERT INTO users (username, display_name, role, wards, can_unlock, see_all_personal, disabled, lang, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, u.DisplayName, string(u.Role), formatWards(u.Wards), u.CanUnlock, u.SeeAllPersonal, u.Disabled, u.Lang, passwordHash, now, now).Scan(&u.ID)
		if IsUnique(err) {
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("user.username_taken", u.Username),
				Fields: map[string]leoc.Msg{"username": leoc.M("user.username_taken", u.Username)}}
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		u.CreatedAt, u.UpdatedAt = now, now
		return tx.Audit(ctx, actor, "user.create", "user", strconv.FormatInt(u.ID, 10),
			map[string]any{"after": userFields(u)})
	})
}

// UpdateUser saves the editable fields of an account (not the password).
// Disabling an account ends its sessions and revokes nothing else: its API
// tokens stop working because the account is disabled.
func (s *Store) UpdateUser(ctx context.Context, actor Actor, u *leoc.User) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", u.ID))
		if err != nil {
			return notFound(err, "user.not_found")
		}
		u.Username = old.Username // usernames never change: the audit trail refers to them
		if err := tx.validateUser(ctx, u); err != nil {
			return err
		}
		if old.Role == leoc.RoleAdmin && (u.Role != leoc.RoleAdmin || u.Disabled) {
			if err := tx.ensureAnotherAdmin(ctx, u.ID); err != nil {
				return err
			}
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE users SET display_name = ?, role = ?, wards = ?, can_unlock = ?, see_all_personal = ?, disabled = ?, lang = ?,
			updated_at = ? WHERE id = ?`, u.DisplayName, string(u.Role), formatWards(u.Wards), u.CanUnlock, u.SeeAllPersonal, u.Disabled, u.Lang, now, u.ID); err != nil {
			return fmt.Errorf("store: update user: %w", err)
		}
		if u.Disabled && !old.Disabled {
			if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
				return fmt.Errorf("store: end sessions: %w", err)
			}
		}
		changes := Changes(userFields(old), userFields(u))
		if len(changes) == 0 {
			return nil
		}
		return tx.Audit(ctx, actor, "user.update", "user", strconv.FormatInt(u.ID, 10), map[string]any{"changes": changes})
	})
}

// ensureAnotherAdmin refuses to remove the last active admin: nobody could
// manage the system afterwards.
func (t *Tx) ensureAnotherAdmin(ctx context.Context, exceptID int64) error {
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = FALSE AND id <> ?", exceptID).Scan(&n); err != nil {
		return fmt.Errorf("store: count admins: %w", err)
	}
	if n == 0 {
		return leoc.Errorf(leoc.EConflict, "user.last_admin")
	}
	return nil
}

// SetPassword replaces a password hash and ends every session of the
// account (a changed password must log out a thief). With revokeTokens it
// also revokes the account's API tokens, which a thief may have made; the
// audit entry says how many.
func (s *Store) SetPassword(ctx context.Context, actor Actor, userID int64, passwordHash string, revokeTokens bool) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
			passwordHash, s.Now(), userID)
		if err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return leoc.Errorf(leoc.ENotFound, "user.not_found")
		}
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
		details := map[string]any{"tokens_revoked": 0, "tokens_kept": !revokeTokens}
		if revokeTokens {
			res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", s.Now(), userID)
			if err != nil {
				return fmt.Errorf("store: revoke tokens: %w", err)
			}
			n, _ := res.RowsAffected()
			details["tokens_revoked"] = n
		}
		return tx.Audit(ctx, actor, "user.password", "user", strconv.FormatInt(userID, 10), details)
	})
}

// User loads an account by id.
func (s *Store) User(ctx context.Context, id int64) (*leoc.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "user.not_found")
	}
	return u, nil
}

// UserByUsername loads an account by username.
func (s *Store) UserByUsername(ctx context.Context, username string) (*leoc.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", leoc.NormalizeUsername(username)))
	if err != nil {
		return nil, notFound(err, "user.not_found")
	}
	return u, nil
}

// UserCredentials loads an account and its password hash for a login.
func (s *Store) UserCredentials(ctx context.Context, username string) (*leoc.User, string, error) {
	var hash string
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE username = ?",
		leoc.NormalizeUsername(username)), &hash)
	if err != nil {
		return nil, "", notFound(err, "user.not_found")
	}
	return u, hash, nil
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]*leoc.User, error) {
	rows, err := s.query(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []*leoc.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts accounts; serve creates the first admin when it is 0.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// RecordLoginSuccess resets the failure count and stamps the login.
func (s *Store) RecordLoginSuccess(ctx context.Context, actor Actor, userID int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", s.Now(), userID); err != nil {
			return fmt.Errorf("store: record login: %w", err)
		}
		return tx.Audit(ctx, actor, "login.success", "user", strconv.FormatInt(userID, 10), nil)
	})
}

// SetUserLang saves a user's language preference. It is a preference, not
// an account change, so it is not audited.
func (s *Store) SetUserLang(ctx context.Context, userID int64, lang string) error {
	if lang != "" && lang != "ne" && lang != "en" {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"lang": leoc.M("user.lang_invalid")}}
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "UPDATE users SET lang = ? WHERE id = ?", lang, userID); err != nil {
			return fmt.Errorf("store: set language: %w", err)
		}
		return nil
	})
}
