package store

import (
	"context"
	"database/sql"
	"sync"
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
type readStatements struct {
	mu     sync.RWMutex
	byText map[string]*sql.Stmt
	closed bool
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
