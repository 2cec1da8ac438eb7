package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// readStatements keeps the read queries of SQLite prepared. The modernc
// driver parses every query text anew, and for the hottest reads (the
// session or API token behind every request, the statistics) parsing cost
// as much as running them; a *sql.Stmt is prepared once per connection of
// the read pool and reused. PostgreSQL needs none of this: pgx caches
// prepared statements per connection itself.
//
// Query texts built from filters vary (one placeholder per ward asked
// for); the first maxReadStatements distinct texts are kept, the rest run
// unprepared as before.
//
// The same type keeps the statements of write transactions prepared on
// SQLite's one writer connection (Store.writes): a distribution's create
// spent a quarter of its CPU parsing its forty statements. A statement
// cannot be prepared on that connection while a transaction holds it, so
// a text first seen in a transaction runs unprepared there and is prepared
// after the commit (prepareWanted); the transactions after it use it.
type readStatements struct {
	mu     sync.RWMutex
	byText map[string]*sql.Stmt
	closed bool
	// wanted are write statements seen in a transaction, to prepare after
	// it; refused ones do not prepare (kept so as not to try again).
	wanted, refused map[string]bool
}

const maxReadStatements = 256

// readStmt returns q prepared on the read pool, or nil when it is not kept
// (PostgreSQL, the cache full, or q does not prepare — the caller's plain
// query then reports the error).
func (s *Store) readStmt(q string) *sql.Stmt {
	if s.dialect != SQLite {
		return nil
	}
	c := &s.reads
	c.mu.RLock()
	st, ok := c.byText[q]
	full := len(c.byText) >= maxReadStatements
	c.mu.RUnlock()
	if ok || full {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.byText[q]; ok || c.closed || len(c.byText) >= maxReadStatements {
		return st
	}
	// Not the request's context: the statement outlives the request.
	st, err := s.rdb.PrepareContext(context.Background(), q)
	if err != nil {
		return nil
	}
	if c.byText == nil {
		c.byText = map[string]*sql.Stmt{}
	}
	c.byText[q] = st
	return st
}

// writeStmt returns q prepared on SQLite's writer connection, or nil (then
// q is noted to be prepared after the transaction: prepareWanted).
func (s *Store) writeStmt(q string) *sql.Stmt {
	if s.dialect != SQLite {
		return nil
	}
	c := &s.writes
	c.mu.RLock()
	st, ok := c.byText[q]
	known := ok || c.wanted[q] || c.refused[q] || len(c.byText)+len(c.wanted)+len(c.refused) >= maxReadStatements
	c.mu.RUnlock()
	if known {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed && len(c.byText)+len(c.wanted)+len(c.refused) < maxReadStatements {
		if c.wanted == nil {
			c.wanted = map[string]bool{}
		}
		c.wanted[q] = true
	}
	return nil
}

// prepareWanted prepares the write statements the last transactions ran
// unprepared, on the writer connection while it is free: it waits for it
// at most a moment, and what it could not prepare stays wanted.
func (s *Store) prepareWanted() {
	c := &s.writes
	c.mu.RLock()
	n := len(c.wanted)
	c.mu.RUnlock()
	if n == 0 {
		return
	}
	c.mu.Lock()
	texts := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		texts = append(texts, q)
	}
	c.mu.Unlock()
	for _, q := range texts {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		st, err := s.wdb.PrepareContext(ctx, q)
		busy := ctx.Err() != nil
		cancel()
		if err != nil && busy {
			return // the writer was busy; the next commit tries again
		}
		c.mu.Lock()
		delete(c.wanted, q)
		switch {
		case c.closed || c.byText[q] != nil:
			if err == nil {
				st.Close()
			}
		case err == nil:
			if c.byText == nil {
				c.byText = map[string]*sql.Stmt{}
			}
			c.byText[q] = st
		default:
			if c.refused == nil {
				c.refused = map[string]bool{}
			}
			c.refused[q] = true
		}
		c.mu.Unlock()
	}
}

func (c *readStatements) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var first error
	for _, st := range c.byText {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
	}
	c.byText = nil
	return first
}
