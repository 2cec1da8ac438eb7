// Package demo fills a database with realistic made-up records for manual
// testing, demonstrations and benchmarks. Everything goes through the store's
// own write paths, so demo records are exactly what real ones would be:
// locked, audited, logged in the operations log and counted in the
// statistics. They are created by the user "demo", so they can be told apart.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Actor is who demo records are created by.
var Actor = store.Actor{Username: "demo", IP: "local"}

// Options says how much to make.
type Options struct {
	Incidents int
	Seed      uint64    // the same seed makes the same data set
	Now       time.Time // "today"; incidents fall in the four fiscal years up to it
	// Batch is how many incidents are created per transaction (default 500).
	Batch int
	// Progress, when set, is called after every transaction.
	Progress func(done int)
}

// Incidents creates o.Incidents incidents spread over the current and the
// three previous fiscal years, in batches of one transaction each.
func Incidents(ctx context.Context, st *store.Store, cal *bs.Calendar, o Options) error {
	if o.Incidents <= 0 {
		return nil
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	g, err := newGenerator(ctx, st, cal, o)
	if err != nil {
		return err
	}
	creator := &leoc.User{Username: Actor.Username, Role: leoc.RoleAdmin}
	for done := 0; done < o.Incidents; {
		n := min(o.Batch, o.Incidents-done)
		batch := make([]*leoc.Incident, n)
		for i := range batch {
			if batch[i], err = g.incident(); err != nil {
				return err
			}
		}
		err := st.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateIncidents(ctx, Actor, creator, batch) })
		if err != nil {
			return fmt.Errorf("demo: incidents %d–%d: %w", done+1, done+n, err)
		}
		done += n
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	return nil
}

type generator struct {
	rng       *rand.Rand
	cal       *bs.Calendar
	rules     leoc.IncidentRules
	first     bs.Date // 1 Shrawan three fiscal years back
	days      int     // from first to today, inclusive
	typeTable [12][]weighted
}

type weighted struct {
	key    string
	weight int
}

func newGenerator(ctx context.Context, st *store.Store, cal *bs.Calendar, o Options) (*generator, error) {
	rules, err := st.IncidentRules(ctx)
	if err != nil {
		return nil, err
	}
	if len(rules.Types) == 0 || len(rules.Wards) == 0 {
		return nil, fmt.Errorf("demo: the settings need at least one disaster type and one ward")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	today, err := cal.Today(o.Now)
	if err != nil {
		return nil, fmt.Errorf("demo: today: %w", err)
	}
	g := &generator{rng: rand.New(rand.NewPCG(o.Seed, 0x1e0c)), cal: cal, rules: rules}
	g.first = bs.FiscalYear{Start: bs.FiscalYearOf(today).Start - 3}.First()
	days, err := cal.DaysBetween(g.first, today)
	if err != nil {
		return nil, fmt.Errorf("demo: date range: %w", err)
	}
	g.days = days + 1
	for m := range 12 {
		for i, w := range typeWeights[m] {
			if i < len(seasonTypes) && slices.Contains(rules.Types, seasonTypes[i]) && w > 0 {
				g.typeTable[m] = append(g.typeTable[m], weighted{seasonTypes[i], w})
			}
		}
		if len(g.typeTable[m]) == 0 { // a municipality with its own list of types
			for _, t := range rules.Types {
				g.typeTable[m] = append(g.typeTable[m], weighted{t, 1})
			}
		}
	}
	return g, nil
}

// Seasons of a hill municipality in the far west: the monsoon (Asar to
// Asoj) brings landslides and floods, the dry spring (Falgun to Jestha)
// fires, windstorms, hail and lightning; winter has house fires.
// monthWeights[m] is how likely an incident falls in BS month m+1.
var monthWeights = [12]int{8, 9, 14, 18, 16, 9, 4, 3, 4, 4, 5, 8}

var seasonTypes = []string{"earthquake", "flood", "landslide", "windstorm", "fire", "lightning", "wildlife", "hailstorm", "other"}

// typeWeights[m] weighs seasonTypes in BS month m+1.
var typeWeights = [12][]int{
	{1, 1, 3, 18, 35, 15, 8, 12, 7}, // वैशाख
	{1, 4, 8, 15, 25, 22, 8, 10, 7}, // जेठ
	{1, 20, 40, 6, 3, 18, 5, 2, 5},  // असार
	{1, 28, 50, 3, 1, 8, 4, 0, 5},   // साउन
	{1, 25, 50, 3, 1, 8, 5, 0, 7},   // भदौ
	{1, 15, 40, 5, 3, 6, 15, 2, 13}, // असोज
	{2, 3, 15, 5, 20, 2, 30, 3, 20}, // कात्तिक
	{2, 1, 8, 5, 40, 1, 25, 1, 17},  // मंसिर
	{2, 1, 5, 8, 55, 1, 15, 2, 11},  // पुस
	{2, 1, 5, 10, 50, 2, 12, 6, 12}, // माघ
	{2, 1, 4, 15, 45, 6, 10, 10, 7}, // फागुन
	{1, 1, 3, 15, 50, 10, 8, 8, 4},  // चैत
}

func (g *generator) pick(ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := g.rng.IntN(total)
	for _, w := range ws {
		if n -= w.weight; n < 0 {
			return w.key
		}
	}
	return ws[len(ws)-1].key
}

// date picks a day in the range, more often in the busy months.
func (g *generator) date() (bs.Date, error) {
	for {
		d, err := g.cal.AddDays(g.first, g.rng.IntN(g.days))
		if err != nil {
			return bs.Date{}, err
		}
		if g.rng.IntN(18) < monthWeights[d.Month-1] {
			return d, nil
		}
	}
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// few is 0 or, with probability p, a small number up to max, small ones
// much likelier than large ones.
func (g *generator) few(p float64, max int) int64 {
	if !g.chance(p) {
		return 0
	}
	return int64(1 + int(math.Floor(float64(max)*math.Pow(g.rng.Float64(), 3))))
}

func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *generator) incident() (*leoc.Incident, error) {
	d, err := g.date()
	if err != nil {
		return nil, err
	}
	typ := g.pick(g.typeTable[d.Month-1])
	in := &leoc.IncidentInput{DateBS: d.String(), Type: typ, Ward: g.rules.Wards[g.rng.IntN(len(g.rules.Wards))]}
	in.Tole = toles[g.rng.IntN(len(toles))]
	if g.chance(0.8) {
		in.Time = fmt.Sprintf("%02d:%02d", g.hour(typ), g.rng.IntN(60))
	}
	if g.chance(0.7) {
		lat, lon := g.position(in.Ward)
		in.Latitude, in.Longitude = &lat, &lon
	}
	g.impact(typ, in)
	inc := &leoc.Incident{}
	if err := in.Apply(g.cal, g.rules, inc); err != nil {
		return nil, fmt.Errorf("demo: generated an invalid incident %+v: %w", in, err)
	}
	return inc, nil
}

func (g *generator) hour(typ string) int {
	switch typ {
	case "lightning", "hailstorm", "windstorm":
		return g.between(13, 19) // afternoon storms
	case "fire":
		if g.chance(0.5) {
			return g.between(17, 22) // cooking and heating
		}
	}
	return g.rng.IntN(24)
}

// Bounding boxes computed once from ../shared/data/thalara_boundary.json and
// thalara_wards.json (min/max of every vertex, rounded outwards to 4
// decimals); the program never reads those files. Wards without a box here
// use the municipality's.
var (
	thalaraBox = box{29.3974, 29.5048, 80.9092, 81.1334}
	wardBoxes  = map[int]box{
		1: {29.4205, 29.4637, 80.9094, 80.9545}, 2: {29.3982, 29.4617, 80.9301, 80.9904},
		3: {29.4176, 29.4814, 80.9860, 81.0178}, 4: {29.4082, 29.4672, 80.9501, 81.0046},
		5: {29.4209, 29.4677, 81.0113, 81.0351}, 6: {29.4626, 29.4803, 81.0135, 81.0432},
		7: {29.4474, 29.4792, 81.0460, 81.0878}, 8: {29.4196, 29.4806, 81.0212, 81.0733},
		9: {29.4651, 29.5041, 81.0450, 81.1336},
	}
)

type box struct{ latMin, latMax, lonMin, lonMax float64 }

func (g *generator) position(ward int) (float64, float64) {
	b, ok := wardBoxes[ward]
	if !ok {
		b = thalaraBox
	}
	round := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	return round(b.latMin + g.rng.Float64()*(b.latMax-b.latMin)), round(b.lonMin + g.rng.Float64()*(b.lonMax-b.lonMin))
}
