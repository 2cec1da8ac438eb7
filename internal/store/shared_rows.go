package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Rows every writer shares — the statistics cells of a day, ward and type,
// the item totals, the fund balance, the audit head — are written at the
// end of a transaction, and on PostgreSQL in as few round trips as the
// rules allow, because a writer holds each such row from its first write
// to its commit and every other writer of the row waits that long:
//
//  1. the statistics and the fund balance (queued with Tx.writeLast while
//     the transaction runs, in the order queued, with the writes of the
//     transaction's own rows that nothing reads again, such as a
//     distribution's members and items) and the read of the audit head, in
//     one pipeline;
//  2. the audit entries, numbered and chained after that head (their keyed
//     links are made in Go: the keys never touch the database), the head
//     moved, and the COMMIT, in a second pipeline.
//
// Before, a distribution sent some fifteen statements one by one after
// locking its first shared row, each waiting for the answer before the
// next, and the commit after them. The audit chain is exactly as before:
// one ordered chain, its entries written in the transaction of the change.
// On SQLite (one writer, no network) the same writes run one by one.

// lastWrite is one statement of those pipelines.
type lastWrite struct {
	q    string
	args []any
	// dest scans the one row the statement returns (nil: no row read).
	dest []any
	// check is given the rows a statement without dest changed.
	check func(rows int64) error
	// what names the write in its error.
	what string
	// wrap, when set, makes the error a failure is reported as.
	wrap func(error) error
}

// maxWriters is how many write transactions run at once on PostgreSQL.
// Every write that changes statistics, money or the audit trail queues on
// the same rows anyway; more writers in the database only add backends
// woken together for each released row lock (at 32 connections fewer
// creates per second and a longer tail than at a few), while Go's channel
// admits waiting writers in their order of arrival.
const maxWriters = 4

// maxLastWrites bounds the writes queued by a transaction that writes
// many records (the demo generator's); more are sent at once.
const maxLastWrites = 2000

// writeLast queues a write of shared rows for the end of the transaction.
// Its effect must not be read by the transaction before then, and nothing
// may depend on its answer but its own check.
func (t *Tx) writeLast(ctx context.Context, w lastWrite) error {
	t.last = append(t.last, w)
	if len(t.last) >= maxLastWrites {
		return t.flushLast(ctx)
	}
	return nil
}

// flushLast sends the queued writes now (before an audit entry that must
// be written at once, so the shared rows keep their one locking order).
func (t *Tx) flushLast(ctx context.Context) error {
	return t.run(ctx, t.takeLast())
}

func (t *Tx) takeLast() []lastWrite {
	ws := t.last
	t.last = nil
	return ws
}

// begin starts a write transaction: SQLite's BEGIN IMMEDIATE on its one
// writer connection, or on PostgreSQL a BEGIN on a connection of the pool
// that the transaction keeps until finish or rollback.
func (s *Store) begin(ctx context.Context) (*Tx, error) {
	if s.dialect != Postgres {
		sqltx, err := s.wdb.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("store: begin: %w", err)
		}
		return &Tx{tx: sqltx, sqlTx: sqltx, s: s}, nil
	}
	select {
	case s.writers <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("store: begin: %w", ctx.Err())
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		<-s.writers
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		conn.Close()
		<-s.writers
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	return &Tx{tx: conn, conn: conn, s: s}, nil
}

// end gives the connection back and admits the next writer, once.
func (t *Tx) end() error {
	if t.ended {
		return nil
	}
	t.ended = true
	err := t.conn.Close()
	<-t.s.writers
	return err
}

// finish writes the shared rows and the audit entries and commits.
func (t *Tx) finish(ctx context.Context) error {
	ws := t.takeLast()
	var head auditHead
	if len(t.audits) > 0 {
		ws = append(ws, t.readAuditHead(&head))
	}
	if err := t.run(ctx, ws); err != nil {
		return err
	}
	ws = t.auditWrites(&head)
	if t.conn == nil {
		if err := t.run(ctx, ws); err != nil {
			return err
		}
		if err := t.sqlTx.Commit(); err != nil {
			return fmt.Errorf("store: commit: %w", translate(err))
		}
		return nil
	}
	// A transaction that failed on a statement whose error was handled
	// answers COMMIT with ROLLBACK.
	committed := false
	var flushedAt string
	ws = append(ws,
		lastWrite{q: "SET LOCAL synchronous_commit = off"},
		lastWrite{q: "COMMIT", check: func(int64) error { committed = true; return nil }},
		lastWrite{q: cmp.Or(t.s.flushForTest, flushWAL), dest: []any{&flushedAt}, what: "commit: flush"},
	)
	if err := t.run(ctx, ws); err != nil {
		if committed {
			return errors.Join(fmt.Errorf("%w: %w", errNotKnownOnDisk, err), t.end())
		}
		return fmt.Errorf("store: commit: %w", translate(err))
	}
	if !committed {
		return errors.New("store: commit: the transaction was rolled back")
	}
	t.flushedAt = flushedAt
	return t.end()
}

// errNotKnownOnDisk: the COMMIT was answered, the flush after it was not
// (the connection lost in between). The change is committed, and may or
// may not survive a crash of the database at that moment.
var errNotKnownOnDisk = errors.New("store: committed, but not known to be on disk")

// flushWAL makes PostgreSQL write its log to disk up to at least the
// commit before it, and answers once it has: a transactional message in
// the log is a change, so its own implicit transaction (the pipeline's
// statements after COMMIT run in one, ended by the pipeline's Sync)
// commits synchronously, and a flush writes everything logged before it.
// Its answer is the message's position in the log.
//
// Why the COMMIT before it does not wait for the disk itself: a writer
// holds the rows every writer shares (the audit head, the fund balance,
// the statistics cells) until its commit is done, and a synchronous
// commit is done only when the disk has it. Every create then waited for
// one disk flush after another, in a queue (at 32 connections about 320
// creates a second, p99 200 ms). Committed with synchronous_commit off,
// the rows are free as soon as the commit is in the log; the flushes of
// many writers, waiting in flushWAL and no longer holding any row, are
// then done together by PostgreSQL's group flush. Nothing is answered to
// the client before its commit is on disk, and the log is one sequence,
// so a commit that is on disk has every commit before it on disk too: a
// crash loses nothing that was acknowledged, the audit chain is never cut
// in its middle, and the locks and guards are the ones they were. What
// changes: another reader may see a change a few hundred microseconds
// before it is on disk (as with synchronous_commit off, or a standby).
const flushWAL = "SELECT pg_logical_emit_message(true, 'leoc', 'flush')::text"

// rollback ends a failed transaction and returns err.
func (t *Tx) rollback(ctx context.Context, err error) error {
	if t.conn == nil {
		if rbErr := t.sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("store: rollback: %w", rbErr))
		}
		return err
	}
	defer t.end()
	// A connection still in the transaction (its context ended, or the
	// ROLLBACK failed) is closed by the pool instead of reused.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, rbErr := t.conn.ExecContext(rctx, "ROLLBACK"); rbErr != nil && ctx.Err() == nil {
		return errors.Join(err, fmt.Errorf("store: rollback: %w", rbErr))
	}
	return err
}

// run sends writes in order: on PostgreSQL as one pipeline (one round
// trip), on SQLite one by one.
func (t *Tx) run(ctx context.Context, ws []lastWrite) error {
	if len(ws) == 0 {
		return nil
	}
	for _, w := range ws {
		t.noteWrite(w.q)
	}
	if t.conn == nil {
		for _, w := range ws {
			if err := t.runOne(ctx, w); err != nil {
				return err
			}
		}
		return nil
	}
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: pipeline: unexpected driver connection %T", dc)
		}
		b := &pgx.Batch{}
		for _, w := range ws {
			b.Queue(t.s.rebind(w.q), w.args...)
		}
		br := c.Conn().SendBatch(ctx, b)
		for _, w := range ws {
			if err := readResult(br, w); err != nil {
				return errors.Join(err, br.Close())
			}
		}
		return br.Close()
	})
}

func readResult(br pgx.BatchResults, w lastWrite) error {
	if w.dest != nil {
		if err := br.QueryRow().Scan(w.dest...); err != nil {
			return w.fail(err)
		}
		return w.checked(1)
	}
	tag, err := br.Exec()
	if err != nil {
		return w.fail(err)
	}
	return w.checked(tag.RowsAffected())
}

func (t *Tx) runOne(ctx context.Context, w lastWrite) error {
	if w.dest != nil {
		if err := t.queryRow(ctx, w.q, w.args...).Scan(w.dest...); err != nil {
			return w.fail(err)
		}
		return w.checked(1)
	}
	res, err := t.exec(ctx, w.q, w.args...)
	if err != nil {
		return w.fail(err)
	}
	if w.check == nil {
		return nil
	}
	n, err := res.RowsAffected()
	if err != nil {
		return w.fail(err)
	}
	return w.check(n)
}

func (w lastWrite) checked(n int64) error {
	if w.check == nil {
		return nil
	}
	return w.check(n)
}

func (w lastWrite) fail(err error) error {
	what := w.what
	if what == "" {
		what = "write"
	}
	err = fmt.Errorf("store: %s: %w", what, translate(err))
	if w.wrap != nil {
		return w.wrap(err)
	}
	return err
}

// moveSharedRow queues the upsert that adds a change to one statistics row
// and, when the change takes something away, the delete of the row if that
// left it empty (del names the row and tests its emptiness).
func (t *Tx) moveSharedRow(ctx context.Context, what, upsert string, args []any, del string, delArgs []any, takesAway bool) error {
	b := &sharedRows{what: what, upsert: upsert, del: del}
	b.add(args, delArgs, takesAway)
	return t.moveSharedRows(ctx, b)
}

// sharedRows gathers the changes to many rows of one statistics table —
// each row's key different, in key order — for moveSharedRows, which
// writes them with one upsert of many rows instead of one upsert each: a
// distribution with three items changes three rows in each of six item
// tables, and on PostgreSQL every statement costs its own parse, bind and
// executor start on both sides of the connection.
type sharedRows struct {
	what, upsert, del string
	rows              [][]any // the upsert's values of each row
	dels              [][]any // the delete's of each row the change takes something away from
}

func (b *sharedRows) add(args, delArgs []any, takesAway bool) {
	b.rows = append(b.rows, args)
	if takesAway {
		b.dels = append(b.dels, delArgs)
	}
}

// item adds a quantity to one item row (key: the upsert's values before
// the quantity and count).
func (b *sharedRows) item(key, delKey []any, quantity, distributions int64) {
	if quantity == 0 && distributions == 0 {
		return
	}
	b.add(append(key, quantity, distributions), delKey, distributions < 0)
}

// moveSharedRows queues the upsert of b's rows, in the order added (the
// locking order), and then the delete of every row the change may have
// emptied.
func (t *Tx) moveSharedRows(ctx context.Context, b *sharedRows) error {
	if len(b.rows) == 0 {
		return nil
	}
	t.statsChanged = true
	q, args := b.upsert, b.rows[0]
	if len(b.rows) > 1 {
		q = manyRows(b.upsert, len(b.rows))
		args = make([]any, 0, len(b.rows)*len(b.rows[0]))
		for _, r := range b.rows {
			args = append(args, r...)
		}
	}
	if err := t.writeLast(ctx, lastWrite{q: q, args: args, what: b.what}); err != nil {
		return err
	}
	for _, d := range b.dels {
		if err := t.writeLast(ctx, lastWrite{q: b.del, args: d, what: b.what}); err != nil {
			return err
		}
	}
	return nil
}

// manyRowsCache keeps the statements manyRows made: a handful of tables
// times the few row counts a change has.
var manyRowsCache sync.Map // manyRowsKey → string

type manyRowsKey struct {
	q string
	n int
}

// manyRows turns "INSERT … VALUES (?, …, ?) ON CONFLICT …" into the same
// statement with n rows of values. The first parenthesis after VALUES is
// the row; it holds only placeholders.
func manyRows(q string, n int) string {
	k := manyRowsKey{q, n}
	if v, ok := manyRowsCache.Load(k); ok {
		return v.(string)
	}
	i := strings.Index(q, "VALUES (")
	if i < 0 {
		panic("store: manyRows: no VALUES in " + q)
	}
	start := i + len("VALUES ")
	end := start + strings.IndexByte(q[start:], ')') + 1
	row := q[start:end]
	if strings.Trim(row, "(?, )") != "" {
		panic("store: manyRows: the row is not only placeholders: " + row)
	}
	many := q[:start] + strings.Repeat(row+", ", n-1) + row + q[end:]
	manyRowsCache.Store(k, many)
	return many
}
