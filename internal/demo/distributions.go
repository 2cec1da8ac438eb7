package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Household names, in Devanagari and in Latin as clerks type them.
var (
	givenNames = []string{"राम", "हरि", "सीता", "गीता", "कृष्ण", "पार्वती", "धन बहादुर", "लक्ष्मी", "Ram", "Hari", "Sita", "Kamala", "Bir Bahadur", "Durga"}
	surnames   = []string{"थापा", "बोहरा", "साउद", "खड्का", "धामी", "बिष्ट", "ऐर", "Thapa", "Bohara", "Saud", "Khadka", "Dhami"}
	relations  = []string{"श्रीमती", "छोरा", "छोरी", "बुबा", "आमा", "बुहारी", "नाति"}
	shelters   = []string{"आफ्नै घर", "छिमेकीको घर", "अस्थायी टहरा", "विद्यालय भवन", "त्रिपाल"}
)

// Distributions creates n distributions spread over the fiscal years of
// Options.Now, in batches of one transaction each. Each batch first records
// the fund income that pays for its cash, with a tenth more, dated on the
// day of its earliest distribution: the money arrives before it is spent,
// so the ledger's running balance is never negative on any day, and some
// is left for new cash distributions. Each household is new, so none is a
// duplicate.
func Distributions(ctx context.Context, st *store.Store, cal *bs.Calendar, n int, o Options) error {
	if n <= 0 {
		return nil
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	g, rules, items, err := newDistributionGenerator(ctx, st, cal, o)
	if err != nil {
		return err
	}
	creator := &leoc.User{Username: Actor.Username, Role: leoc.RoleAdmin}
	stock, err := demoStock(ctx, st, rules.Wards, creator)
	if err != nil {
		return err
	}
	for done := 0; done < n; {
		k := min(o.Batch, n-done)
		batch := make([]*leoc.Distribution, k)
		var cash leoc.Money
		var earliest bs.Date
		for i := range batch {
			if batch[i], err = g.distribution(rules, items, done+i); err != nil {
				return err
			}
			cash += batch[i].Cash
			if i == 0 || batch[i].DateBS.Before(earliest) {
				earliest = batch[i].DateBS
			}
		}
		err := st.WithTx(ctx, func(tx *store.Tx) error {
			// Each statement is prepared once per batch, as the legacy
			// import does: a million distributions take minutes, not an hour.
			if err := tx.BulkWrite(ctx); err != nil {
				return err
			}
			if cash > 0 {
				income := roundUp(cash+cash/10, 1000*100)
				if err := tx.AddFundIncome(ctx, Actor, income, fundSources[done/o.Batch%len(fundSources)], earliest, cal); err != nil {
					return err
				}
			}
			if err := stock.receive(ctx, tx, cal, creator, batch, earliest, done/o.Batch); err != nil {
				return err
			}
			for _, d := range batch {
				if _, err := tx.CreateDistribution(ctx, Actor, creator, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo: distributions %d–%d: %w", done+1, done+k, err)
		}
		done += k
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	return nil
}

// newDistributionGenerator is a generator with the rules distributions are
// checked against and the relief items, sorted.
func newDistributionGenerator(ctx context.Context, st *store.Store, cal *bs.Calendar, o Options) (*generator, leoc.DistributionRules, []string, error) {
	g, err := newGenerator(ctx, st, cal, o)
	if err != nil {
		return nil, leoc.DistributionRules{}, nil, err
	}
	rules, err := st.DistributionRules(ctx)
	if err != nil {
		return nil, rules, nil, err
	}
	var items []string
	for k := range rules.Units {
		items = append(items, k)
	}
	if len(items) == 0 {
		return nil, rules, nil, fmt.Errorf("demo: the settings need at least one relief item")
	}
	slices.Sort(items)
	return g, rules, items, nil
}

// fundSources are where relief money comes from, as the ledger says it.
var fundSources = []string{
	"प्रदेश सरकारबाट प्राप्त राहत अनुदान (नमुना)",
	"गाउँपालिकाको विपद् व्यवस्थापन कोषबाट (नमुना)",
	"संघीय सरकारबाट प्राप्त राहत रकम (नमुना)",
	"रेडक्रसबाट प्राप्त सहयोग (नमुना)",
}

// roundUp rounds m up to a multiple of unit (paisa).
func roundUp(m, unit leoc.Money) leoc.Money {
	return (m + unit - 1) / unit * unit
}

func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

func (g *generator) name(r *rand.Rand) string {
	return givenNames[r.IntN(len(givenNames))] + " " + surnames[r.IntN(len(surnames))]
}

// householdID is the identity number of the seq-th demo household. The
// household key drops separators and leading zeros ("01-12-000034" and
// "11-2-34" are both "11234"), so the last segment always has seven digits
// and no leading zero: the key ends in it, and no two households share a key
// (up to nine million).
func householdID(district, place, seq int) string {
	return fmt.Sprintf("%02d-%02d-%d", district, place, 1_000_000+seq+1)
}

func (g *generator) distribution(rules leoc.DistributionRules, items []string, seq int) (*leoc.Distribution, error) {
	d, err := g.date()
	if err != nil {
		return nil, err
	}
	disaster, err := g.cal.AddDays(d, -g.rng.IntN(10))
	if err != nil || disaster.Before(g.first) {
		disaster = d
	}
	typ := g.pick(g.typeTable[disaster.Month-1])
	in := &leoc.DistributionInput{HouseholdName: g.name(g.rng), FatherName: g.name(g.rng),
		HouseholdID: householdID(g.between(1, 77), g.between(1, 99), seq), DisasterType: typ,
		DisasterDateBS: disaster.String(), DateBS: d.String(), Ward: rules.Wards[g.rng.IntN(len(rules.Wards))],
		Tole: toles[g.rng.IntN(len(toles))], Shelter: shelters[g.rng.IntN(len(shelters))], Status: "distributed"}
	if g.chance(0.8) {
		in.Phone = "98" + strconv.Itoa(40000000+g.rng.IntN(9999999))
	}
	in.Members = append(in.Members, leoc.MemberInput{Name: in.HouseholdName, Relation: "घरमूली", Age: leoc.WholeOf(int64(g.between(22, 75))), Sex: "male"})
	if g.chance(0.3) {
		in.Members[0].Sex = "female"
	}
	for range g.between(0, 6) {
		sex := "male"
		if g.chance(0.5) {
			sex = "female"
		}
		in.Members = append(in.Members, leoc.MemberInput{Name: givenNames[g.rng.IntN(len(givenNames))], Relation: relations[g.rng.IntN(len(relations))],
			Age: leoc.WholeOf(int64(g.rng.IntN(80))), Sex: sex})
	}
	in.Pregnant, in.InfantMothers = leoc.WholeOf(g.few(0.08, 1)), leoc.WholeOf(g.few(0.15, 1))
	in.SSFEnrolled, in.PovertyCard = g.chance(0.2), g.chance(0.25)
	if in.SSFEnrolled && len(rules.Allowances) > 0 {
		in.AllowanceType = rules.Allowances[g.rng.IntN(len(rules.Allowances))]
	}
	for _, i := range g.rng.Perm(len(items))[:g.between(1, min(4, len(items)))] {
		in.Items = append(in.Items, leoc.ItemInput{Item: items[i], Quantity: leoc.WholeOf(int64(g.between(1, 30)))})
	}
	// Cash: mostly nothing or a few thousand, up to Rs 15,000.
	if g.chance(0.6) {
		in.Cash = leoc.Amount(strconv.Itoa(500 * g.between(1, 30)))
	}
	out := &leoc.Distribution{}
	if err := in.Apply(g.cal, rules, out); err != nil {
		return nil, fmt.Errorf("demo: generated an invalid distribution: %w", err)
	}
	return out, nil
}
