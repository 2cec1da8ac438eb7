package server

import (
	"context"
	"encoding/json"
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

// statsCacheEntries bounds the cache; an answer is a few KB.
const statsCacheEntries = 512

func (s *Server) watchStatistics() {
	s.statsCache = statscache.New(statsCacheEntries)
	s.store.OnStatisticsChange(func(ctx context.Context) {
		s.statsCache.Invalidate()
		s.changed(ctx, notify.Stats)
	})
	forget := func(context.Context) { s.statsCache.Invalidate() }
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

// cachedJSON answers a statistics API request with the encoded answer from
// the cache, built by build on a miss. (The computation is shared by every
// caller waiting for it, so it does not stop when this client goes away.)
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, key string, build func(ctx context.Context) (any, error)) {
	b, err := statscache.Get(s.statsCache, key, func() ([]byte, error) {
		v, err := build(context.WithoutCancel(r.Context()))
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		return append(b, '\n'), err
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h["Content-Type"], h["Cache-Control"] = jsonContentType, noStore
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write JSON", "err", err)
	}
}
