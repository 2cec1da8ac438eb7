package store

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"leoc/internal/leoc"
)

// Constraint failures are translated into domain errors at the store
// boundary, the same way for both drivers.
var (
	errUnique     = errors.New("unique constraint")
	errForeignKey = errors.New("foreign key constraint")
)

// SQLite extended result codes (sqlite3.h).
const (
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// translate marks unique and foreign-key violations so callers can turn them
// into a 409 with a message; other errors pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return errors.Join(errUnique, err)
		case sqliteConstraintForeignKey:
			return errors.Join(errForeignKey, err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return errors.Join(errUnique, err)
		case "23503":
			return errors.Join(errForeignKey, err)
		}
	}
	return err
}

// IsUnique reports whether err is a unique-constraint violation.
func IsUnique(err error) bool { return errors.Is(translate(err), errUnique) }

// IsForeignKey reports whether err is a foreign-key violation.
func IsForeignKey(err error) bool { return errors.Is(translate(err), errForeignKey) }

// notFound maps sql.ErrNoRows to a domain 404 with the given message key.
func notFound(err error, key string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return &leoc.Error{Code: leoc.ENotFound, Message: leoc.M(key), Err: err}
	}
	return err
}
