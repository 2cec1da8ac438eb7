package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"leoc/internal/notify"
	"leoc/internal/statscache"
	"leoc/internal/store"
)

// Statistics answers are cached in memory per normalised filter
// (internal/statscache). The filter already holds everything about the
// user that changes an answer — a ward-limited user's wards, the wards
// whose personal data a search may look into — and statistics are sums
// without personal data, so two users with the same filter are owed the
// same answer, and users with different limits never share one.
//
// The cache is emptied after every commit that changes statistics (the
// store's hook, in the writer's goroutine, before the writing request is
// answered), on every other replica by the change notice notify.Stats, and
// when the value lists change (their order and units are in the answers).
// Each time, the answers asked for in the last RefreshWindow are computed
// again in the background (statscache.Refresh), so that the readers after
// a write rarely wait for them — never served from before the write.

// statsCacheEntries bounds the cache; an answer is a few KB.
const statsCacheEntries = 512

func (s *Server) watchStatistics() {
	s.statsCache = statscache.New(statsCacheEntries)
	s.store.OnStatisticsChange(func(ctx context.Context) {
		s.statsCache.Invalidate()
		s.statsCache.Refresh()
		s.changed(ctx, notify.Stats)
	})
	forget := func(context.Context) {
		s.statsCache.Invalidate()
		s.statsCache.Refresh()
	}
	s.bus.Subscribe(notify.Stats, forget)
	s.bus.Subscribe(notify.Lists, forget)
}

// statsKey is a filter in one canonical spelling: sets sorted and without
// repeats, paging and sorting left out (they do not change statistics).
func statsKey(kind string, f store.RecordFilter, incident int64) string {
	var b strings.Builder
	b.WriteString(kind)
	ints := func(name string, v []int) {
		v = slices.Compact(slices.Sorted(slices.Values(v)))
		b.WriteString("|" + name + "=")
		for _, n := range v {
			b.WriteString(strconv.Itoa(n) + ",")
		}
	}
	ints("fy", f.FiscalYears)
	ints("ward", f.Wards)
	types := slices.Compact(slices.Sorted(slices.Values(f.Types)))
	b.WriteString("|type=" + strconv.Quote(strings.Join(types, "\x00")))
	b.WriteString("|from=" + f.From + "|to=" + f.To + "|q=" + strconv.Quote(f.Query))
	if f.SearchScoped {
		ints("search", f.SearchWards)
	}
	if incident != 0 {
		b.WriteString("|incident=" + strconv.FormatInt(incident, 10))
	}
	return b.String()
}

// incidentStats answers incident statistics from the cache.
func (s *Server) incidentStats(ctx context.Context, f store.RecordFilter) (*store.IncidentStats, error) {
	return statscache.Get(s.statsCache, statsKey("incidents", f, 0), func() (*store.IncidentStats, error) {
		return s.store.IncidentStats(context.WithoutCancel(ctx), f)
	})
}

// distributionStats answers distribution statistics from the cache.
func (s *Server) distributionStats(ctx context.Context, f store.DistributionFilter) (*store.DistributionStats, error) {
	return statscache.Get(s.statsCache, statsKey("distributions", f.RecordFilter, f.IncidentID), func() (*store.DistributionStats, error) {
		return s.store.DistributionStats(context.WithoutCancel(ctx), f)
	})
}

// cachedAnswer is an encoded statistics answer, plain and gzipped (most
// clients take gzip; compressing the same bytes for each of them would cost
// more than the rest of the request).
type cachedAnswer struct {
	plain, gzipped []byte
	// plainLength and gzippedLength are the Content-Length header values,
	// built once (full slices: a later Add copies).
	plainLength, gzippedLength []string
}

// cachedJSON answers a statistics API request with the encoded answer from
// the cache, built by build on a miss. (The computation is shared by every
// caller waiting for it, so it does not stop when this client goes away.)
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, key string, build func(ctx context.Context) (any, error)) {
	a, err := statscache.Get(s.statsCache, key, func() (*cachedAnswer, error) {
		v, err := build(context.WithoutCancel(r.Context()))
		if err != nil {
			return nil, err
		}
		b, err := encodeJSON(v)
		if err != nil {
			return nil, err
		}
		a := &cachedAnswer{plain: append(b, '\n')}
		if len(a.plain) >= compressMinBytes {
			var buf bytes.Buffer
			gz := gzipWriters.Get().(*gzip.Writer)
			defer gzipWriters.Put(gz)
			gz.Reset(&buf)
			if _, err := gz.Write(a.plain); err != nil {
				return nil, err
			}
			if err := gz.Close(); err != nil {
				return nil, err
			}
			a.gzipped = buf.Bytes()
			a.gzippedLength = []string{strconv.Itoa(len(a.gzipped))}[:1:1]
		}
		a.plainLength = []string{strconv.Itoa(len(a.plain))}[:1:1]
		return a, nil
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h["Content-Type"], h["Cache-Control"] = jsonContentType, noStore
	body, length := a.plain, a.plainLength
	if a.gzipped != nil {
		// The compress middleware leaves an answer with its own
		// Content-Encoding alone; Vary is added here as it would be there.
		addVary(h)
		if acceptsGzip(r) && r.Method != http.MethodHead {
			h["Content-Encoding"] = gzipEncoding
			body, length = a.gzipped, a.gzippedLength
		}
	}
	h["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		s.log.Debug("write JSON", "err", err)
	}
}

var gzipEncoding = []string{"gzip"}[:1:1]
