// Package store is the one store API every handler uses. It runs on two real
// back ends: SQLite (embedded default, pure-Go modernc driver) and PostgreSQL
// (pgx). Queries are written once with ? placeholders and rebound per dialect
// in one place; dialect branches stay inside this package.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"leoc/internal/leoc"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the SQL back end.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the database. Reads go through rdb; every write transaction goes
// through wdb. On SQLite wdb is a single connection that begins transactions
// with BEGIN IMMEDIATE, so writers queue on Go's side instead of failing with
// SQLITE_BUSY half-way through; on PostgreSQL both are the same pool.
type Store struct {
	rdb     *sql.DB
	wdb     *sql.DB
	dialect Dialect
	now     func() time.Time
	// audit holds the keys that link and sign the audit trail; they never
	// touch the database (SetAuditKeys).
	audit *AuditKeys
	// editWindow is how long a saved record stays open (LEOC_EDIT_WINDOW);
	// 0, the default, locks records on save.
	editWindow time.Duration
	// cursorAEAD seals list cursors (SetCursorKey); a random key until set.
	cursorAEAD cipher.AEAD
	// searchCap is how many matches a search counts (maxSearchTotal).
	searchCap int
	// commonCap is how many matches make a search's words common
	// (commonMatches).
	commonCap int
	// hideWordsForTest makes PostgreSQL match every searched word without
	// its index, as a common word is (commonWordsPG).
	hideWordsForTest bool
	// flushForTest replaces the flush after a PostgreSQL commit (flushWAL)
	// in a test.
	flushForTest  string
	searchSamples searchSamples

	// registers are plugged in while the program is set up (AddRegister)
	// and only read afterwards.
	registers []Register

	// statsHooks are called after a commit that changed statistics
	// (OnStatisticsChange).
	statsHooks statsHooks
	// authHooks are called after a commit that wrote users, API tokens or
	// sessions (OnAuthChange; the same mechanism).
	authHooks statsHooks
	// rules keeps what records are validated against (rules_cache.go).
	rules rulesCache
	// reads keeps SQLite's read queries prepared (read_statements.go).
	reads readStatements
	// writes keeps SQLite's write statements prepared on the writer
	// connection (read_statements.go).
	writes readStatements
	// writers admits write transactions on PostgreSQL, first come first
	// served (shared_rows.go); nil on SQLite, whose one writer connection
	// queues them.
	writers chan struct{}
}

// Dialect reports the back end.
func (s *Store) Dialect() Dialect { return s.dialect }

// ParseURL tells the dialect of a database URL and the driver's DSN for it.
// Accepted: sqlite:///abs/path, sqlite://rel/path, a plain file path,
// postgres://… and postgresql://….
func ParseURL(raw string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return "", "", fmt.Errorf("store: bad PostgreSQL URL: %w", err)
		}
		return Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite://"):
		return SQLite, strings.TrimPrefix(raw, "sqlite://"), nil
	case strings.Contains(raw, "://"):
		return "", "", fmt.Errorf("store: unsupported database URL scheme in %q (use sqlite:// or postgres://)", redactURL(raw))
	case raw == "":
		return "", "", errors.New("store: empty database URL")
	default:
		return SQLite, raw, nil
	}
}

// Option adjusts how Open connects.
type Option func(*openOptions)

type openOptions struct {
	sqliteSynchronous string
}

// SQLiteSynchronous sets SQLite's synchronous pragma: "full" (the default)
// or "normal". With FULL every commit waits until the write-ahead log is on
// disk, so an acknowledged relief payment or fund entry survives a power
// cut; NORMAL is faster but a power cut (not a crash of LEOC) may lose the
// last commits. PostgreSQL ignores it.
func SQLiteSynchronous(mode string) Option {
	return func(o *openOptions) { o.sqliteSynchronous = mode }
}

// Open connects to the database at rawURL. It does not migrate; call Migrate.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	dialect, dsn, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	o := openOptions{sqliteSynchronous: "full"}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Store{dialect: dialect, now: time.Now, searchCap: maxSearchTotal, commonCap: commonMatches}
	// The built-in registers; tests and later registers add theirs the same way.
	s.registers = builtinRegisters()
	if err := s.randomCursorKey(); err != nil {
		return nil, err
	}
	switch dialect {
	case SQLite:
		err = s.openSQLite(dsn, o.sqliteSynchronous)
	case Postgres:
		err = s.openPostgres(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openSQLite(path, synchronous string) error {
	if path == "" {
		return errors.New("store: empty SQLite path")
	}
	sync := strings.ToUpper(synchronous)
	if sync != "FULL" && sync != "NORMAL" {
		return fmt.Errorf("store: SQLite synchronous mode %q: use full or normal", synchronous)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: create database directory: %w", err)
		}
	}
	// busy_timeout comes first so the other pragmas already wait for locks.
	// synchronous is FULL unless configured: the database holds the fund
	// ledger, and with WAL and NORMAL a power cut can lose commits that were
	// already acknowledged.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(" + sync + ")"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	r.SetMaxIdleConns(max(4, runtime.NumCPU()))
	s.wdb, s.rdb = w, r
	return nil
}

func (s *Store) openPostgres(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.wdb, s.rdb = db, db
	s.writers = make(chan struct{}, maxWriters)
	return nil
}

// SQLiteSynchronousMode reports the synchronous pragma of the connection
// that writes ("FULL", "NORMAL", …), "" on PostgreSQL.
func (s *Store) SQLiteSynchronousMode(ctx context.Context) (string, error) {
	if s.dialect != SQLite {
		return "", nil
	}
	var v int
	if err := s.wdb.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&v); err != nil {
		return "", fmt.Errorf("store: read synchronous pragma: %w", err)
	}
	if names := []string{"OFF", "NORMAL", "FULL", "EXTRA"}; v >= 0 && v < len(names) {
		return names[v], nil
	}
	return strconv.Itoa(v), nil
}

// Ping checks that the database answers; /ready uses it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.wdb.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if s.rdb != s.wdb {
		if err := s.rdb.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping: %w", err)
		}
	}
	return nil
}

// Pools names the connection pools, for the pool metrics on /metrics:
// "write" and "read" on SQLite, "postgres" on PostgreSQL.
func (s *Store) Pools() map[string]*sql.DB {
	if s.rdb == s.wdb {
		return map[string]*sql.DB{string(s.dialect): s.wdb}
	}
	return map[string]*sql.DB{"write": s.wdb, "read": s.rdb}
}

// Close closes both pools.
func (s *Store) Close() error {
	err := errors.Join(s.reads.close(), s.writes.close(), s.wdb.Close())
	if s.rdb != s.wdb {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// SetClock replaces the clock; tests use it for timeouts and lockouts.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// SetEditWindow sets how long after it is first saved a record stays open
// to corrections without the unlock key (LEOC_EDIT_WINDOW). It is set while
// the program starts, before any request is served.
func (s *Store) SetEditWindow(d time.Duration) { s.editWindow = max(d, 0) }

// EditWindow reports the edit window in force.
func (s *Store) EditWindow() time.Duration { return s.editWindow }

// settle gives a record just read its lock in force now.
func (s *Store) settle(r *leoc.Record) { r.SettleLock(s.Now(), s.editWindow) }

// Now is the store's clock, in UTC and truncated to microseconds so that
// values read back from PostgreSQL equal what was written.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// rebind turns ? placeholders into $1, $2… for PostgreSQL. Queries in this
// package never contain a literal question mark.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	return factsOf(q).postgres
}

// Tx is a write transaction. Its methods are the building blocks that store
// operations combine so that a change and its audit entry commit together.
type Tx struct {
	tx txConn
	s  *Store
	// conn is the PostgreSQL connection the transaction runs on (nil on
	// SQLite): its commit is sent in one pipeline with the last writes
	// (shared_rows.go).
	conn *sql.Conn
	// sqlTx is SQLite's transaction (nil on PostgreSQL).
	sqlTx *sql.Tx
	// last are the writes of rows every writer shares, sent just before
	// the audit entries (Tx.writeLast).
	last []lastWrite
	// flushedAt is where in PostgreSQL's log the flush after the commit
	// was written (flushWAL): everything before it is on disk.
	flushedAt string
	// ended: the PostgreSQL connection is given back and the writer's
	// place released (Tx.end), which must happen exactly once.
	ended bool
	// stmts caches prepared statements by query after BulkWrite (nil
	// otherwise).
	stmts map[string]*sql.Stmt
	// kept are the store's prepared write statements (Store.writes) as
	// this transaction uses them, by query (SQLite).
	kept map[string]*sql.Stmt
	// audits are the audit entries of the transaction, written last
	// (Tx.Audit).
	audits []pendingAudit
	// statsChanged is set by every write of maintained statistics, so the
	// statistics hooks run after the commit.
	statsChanged bool
	// authChanged is set by every write of users, api_tokens or sessions
	// (noteWrite), so the authentication hooks run after the commit.
	authChanged bool
	// rulesChanged is set by every write of the tables the validation
	// rules come from (noteWrite); the kept rules are dropped after the
	// commit.
	rulesChanged bool
}

// BulkWrite prepares the transaction for writing tens of thousands of
// records (the legacy import). On SQLite it prepares each distinct query
// once and reuses it, because parsing a statement costs about as much as
// running it (pgx caches prepared statements per connection already), and
// it lets the writer connection cache up to 256 MB of pages: a transaction
// whose changes outgrow the default 2 MB cache spills pages and re-reads
// them, which makes a large import slower than linear. (The cache size
// stays with the writer connection; the command line process that imports
// ends afterwards.) Statements prepared in a transaction close with it.
func (t *Tx) BulkWrite(ctx context.Context) error {
	if t.s.dialect != SQLite || t.stmts != nil {
		return nil
	}
	t.stmts = map[string]*sql.Stmt{}
	if _, err := t.tx.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
		return fmt.Errorf("store: bulk write: %w", err)
	}
	return nil
}

// prepared is the cached statement of q, nil when statements are not
// reused or q cannot be prepared (then it runs unprepared and fails there
// with its own error).
func (t *Tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if t.stmts == nil {
		if st := t.kept[q]; st != nil {
			return st
		}
		st := t.s.writeStmt(q)
		if st == nil {
			return nil
		}
		// The statement as used by this transaction, once per text: a long
		// transaction would otherwise collect one per statement it runs.
		st = t.sqlTx.StmtContext(ctx, st)
		if t.kept == nil {
			t.kept = map[string]*sql.Stmt{}
		}
		t.kept[q] = st
		return st
	}
	if st, ok := t.stmts[q]; ok {
		return st
	}
	st, err := t.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	t.stmts[q] = st
	return st
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.noteWrite(q)
	q = t.s.rebind(q)
	if st := t.prepared(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	t.noteWrite(q)
	q = t.s.rebind(q)
	if st := t.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.noteWrite(q)
	q = t.s.rebind(q)
	if st := t.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

// Dialect reports the back end, for the rare query that differs.
func (t *Tx) Dialect() Dialect { return t.s.dialect }

// Exec runs a statement in the transaction; registers outside this package
// (and tests) use it.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.exec(ctx, q, args...)
}

// QueryRow runs a query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.queryRow(ctx, q, args...)
}

// txConn is what a transaction's statements run on: SQLite's *sql.Tx, or
// on PostgreSQL the *sql.Conn on which WithTx began the transaction.
type txConn interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, q string) (*sql.Stmt, error)
}

// WithTx runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise, so nothing is ever half written.
func (s *Store) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	// A panic in fn (recovered further up, by the HTTP server) must not
	// keep the transaction open: on PostgreSQL it would hold one of the
	// maxWriters places for ever.
	defer func() {
		if p := recover(); p != nil {
			_ = tx.rollback(context.WithoutCancel(ctx), errors.New("store: panic in a transaction"))
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		return tx.rollback(ctx, err)
	}
	if err := tx.finish(ctx); err != nil {
		if errors.Is(err, errNotKnownOnDisk) {
			// Committed: what it changed must be forgotten by the caches
			// all the same.
			s.afterCommit(ctx, tx)
			return err
		}
		return tx.rollback(ctx, err)
	}
	if s.dialect == SQLite {
		s.prepareWanted()
	}
	s.afterCommit(ctx, tx)
	return nil
}

// afterCommit tells what a committed transaction changed to those who keep
// a copy of it.
func (s *Store) afterCommit(ctx context.Context, tx *Tx) {
	if tx.rulesChanged {
		s.rules.forget()
	}
	if tx.statsChanged {
		s.statsHooks.call(ctx)
	}
	if tx.authChanged {
		s.authHooks.call(ctx)
	}
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.readStmt(q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.rdb.QueryRowContext(ctx, s.rebind(q), args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.readStmt(q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.rdb.QueryContext(ctx, s.rebind(q), args...)
}

// QueryRow runs a read-only query; registers outside this package use it.
func (s *Store) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.queryRow(ctx, q, args...)
}

// RedactURL is a database URL without its password, for messages.
func RedactURL(raw string) string { return redactURL(raw) }

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
