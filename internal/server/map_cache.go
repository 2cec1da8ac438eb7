package server

import (
	"net/http"
	"strconv"
	"sync"
)

// mapCache keeps the last few large map answers, gzipped, by their ETag.
// The ETag holds the data version (the audit trail's head), the query, the
// language and the user, so an entry can only ever be served for exactly
// the data it was built from: any write moves the version on and the old
// entries are simply never asked for again (and fall out as new ones come).
// That holds across replicas too, since the version is read from the
// database on every request. A map page opened by several people, or
// reopened, then costs a copy of bytes instead of a walk over 100,000
// distributions.
type mapCache struct {
	mu      sync.Mutex
	entries map[string][]byte
	order   []string // oldest first
}

// mapCacheEntries bounds the cache: each entry is at most a few MB (the
// whole municipality's distributions gzip to under 3 MB).
const mapCacheEntries = 8

func (c *mapCache) get(etag string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.entries[etag]
	return b, ok
}

func (c *mapCache) put(etag string, gz []byte) {
	if etag == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string][]byte, mapCacheEntries)
	}
	if _, ok := c.entries[etag]; ok {
		return
	}
	if len(c.order) == mapCacheEntries {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	c.entries[etag] = gz
	c.order = append(c.order, etag)
}

// clear empties the cache (benchmarks measure the build with it).
func (c *mapCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.order = nil, nil
}

// serveCached answers from the cache when this exact answer (the ETag
// mapETag just set) was built before and the client takes gzip.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request) bool {
	if !acceptsGzip(r) {
		return false
	}
	gz, ok := s.mapCache.get(w.Header().Get("ETag"))
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", "application/geo+json; charset=utf-8")
	addVary(h)
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(gz)))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(gz); err != nil {
		s.log.Debug("write map data", "err", err, "request_id", state(r).id)
	}
	return true
}
