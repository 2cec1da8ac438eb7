// Package legacytest writes old Flask LEOC databases for tests and
// benchmarks: the schema is read from the real old database (so it is the
// same, column for column), the rows are made up with the quirks the real
// one has (BS dates in DATE columns, short fiscal years, float money, JSON
// with \u escapes, one household written two ways, relief cash with and
// without its ledger expenditure).
package legacytest

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// Options says how much to generate.
type Options struct {
	Distributions int
	Beneficiaries int
	Seed          uint64
}

// Stats are facts about what was generated that tests check against.
type Stats struct {
	Incidents, Distributions, Beneficiaries, FundRows int
	// Balance is the old ledger's balance in paisa.
	Balance int64
	// Conflicts are distributions whose household (by the normalised key)
	// already had one for the same disaster.
	Conflicts int
	// NotPaisa are amounts with more than two decimals.
	NotPaisa int
	// Unlinked are cash distributions with no ledger expenditure.
	Unlinked int
	// SSFHouseholds are distributions whose household is an SSF beneficiary.
	SSFHouseholds int
}

// Schema reads the CREATE statements of an old database.
func Schema(ctx context.Context, fixture string) ([]string, error) {
	db, err := sql.Open("sqlite", "file:"+fixture+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// pyJSON is JSON as Python's json.dumps wrote it: every non-ASCII character
// as a \u escape, ", " and ": " separators.
func pyJSON(v any) string {
	var b strings.Builder
	writePy(&b, v)
	return b.String()
}

func writePy(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		b.WriteByte('"')
		for _, r := range x {
			switch {
			case r == '"' || r == '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r < 0x20 || r > 0x7e:
				fmt.Fprintf(b, `\u%04x`, r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
	case int:
		b.WriteString(strconv.Itoa(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writePy(b, e)
		}
		b.WriteByte(']')
	case [][2]any: // an ordered object
		b.WriteByte('{')
		for i, kv := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writePy(b, kv[0])
			b.WriteString(": ")
			writePy(b, kv[1])
		}
		b.WriteByte('}')
	}
}

var (
	types      = []string{"आगलागी", "बाढी (Flood)", "पहिरो", "हावाहुरी", "भुकम्प", "चट्याङ"}
	items      = []string{"त्रिपाल", "चामल", "कम्मल", "खाद्य सामाग्री (Food Packages)", "दाल"}
	ssfTypes   = []string{"जेष्ठ नागरिक", "एकल महिला", "विधुवा", "अति अशक्त"}
	names      = []string{"राम बहादुर थापा", "सीता कुमारी रावल", "Hari Bahadur Bohara", "गीता देवी साउद", "Krishna Dhami"}
	toles      = []string{"डिकला", "खोली", "Kholi", "सेरालागाउँ", "अदुकाली"}
	severities = []string{"Minor", "Moderate", "Critical"}
)

// devanagari writes digits the Devanagari way, as clerks often typed IDs.
func devanagari(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = '०' + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Generate writes an old database at path with o's rows and returns what a
// test can check.
func Generate(ctx context.Context, path, fixture string, o Options) (*Stats, error) {
	schema, err := Schema(ctx, fixture)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, s := range schema {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	g := &gen{ctx: ctx, tx: tx, rng: rand.New(rand.NewPCG(o.Seed, 7)), st: &Stats{}}
	if err := g.settings(); err != nil {
		return nil, err
	}
	if err := g.beneficiaries(o.Beneficiaries); err != nil {
		return nil, err
	}
	if err := g.incidents(max(o.Distributions/20, 5)); err != nil {
		return nil, err
	}
	if err := g.distributions(o.Distributions); err != nil {
		return nil, err
	}
	return g.st, tx.Commit()
}

type gen struct {
	ctx      context.Context
	tx       *sql.Tx
	rng      *rand.Rand
	st       *Stats
	ssfIDs   []string
	fundID   int
	disaster []struct{ typ, dateBS string }
}

func (g *gen) exec(q string, args ...any) error {
	_, err := g.tx.ExecContext(g.ctx, q, args...)
	return err
}

func (g *gen) settings() error {
	lists := map[string][]string{"disaster_types": types, "relief_items": items, "ssf_types": ssfTypes,
		"fiscal_years": {"081/82", "082/83"}}
	id := 0
	for _, k := range []string{"disaster_types", "relief_items", "ssf_types", "fiscal_years"} {
		id++
		vals := make([]any, len(lists[k]))
		for i, v := range lists[k] {
			vals[i] = v
		}
		if err := g.exec("INSERT INTO app_settings (id, setting_key, setting_value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
			id, k, pyJSON(vals), "2026-01-28 04:49:56.673378", "2026-01-28 04:49:56.673378"); err != nil {
			return err
		}
	}
	// Income enough for every distribution's cash, in two transfers.
	for _, amt := range []float64{90000000.0, 60000000.5} {
		g.fundID++
		g.st.FundRows++
		g.st.Balance += int64(amt * 100)
		if err := g.exec(`INSERT INTO fund_transaction (id, transaction_type, amount, description, transaction_date, created_at, is_locked, is_system)
			VALUES (?, 'Income', ?, 'Fund transfer', '2025-08-01', '2025-08-01 10:00:00.000000', 1, 0)`, g.fundID, amt); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) beneficiaries(n int) error {
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(5000 + i)
		g.ssfIDs = append(g.ssfIDs, id)
		written := id
		if i%2 == 0 {
			written = devanagari(id) // the relief form will have it in Latin digits
		}
		if err := g.exec(`INSERT INTO social_security_beneficiary (id, beneficiary_name, beneficiary_id, ssf_type, age, gender, ward, tole,
			phone, created_at, updated_at, is_locked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i, names[i%len(names)], written, ssfTypes[i%len(ssfTypes)], 60+i%30, []string{"M", "F"}[i%2], 1+i%9, toles[i%len(toles)],
			"98000"+strconv.Itoa(10000+i), "2026-01-10 08:00:00.000000", "2026-01-10 08:00:00.000000", i%3 == 0); err != nil {
			return err
		}
	}
	g.st.Beneficiaries = n
	return nil
}

// bsDay is a day of Poush–Magh 2082 (AD December 2025 – February 2026).
func (g *gen) bsDay() (bs string, ad time.Time) {
	month := 9 + g.rng.IntN(2)
	day := 1 + g.rng.IntN(28)
	// The old approximate converter: 2082-09-01 ≈ 2025-12-16.
	offset := (month-9)*29 + day - 1
	return fmt.Sprintf("2082-%02d-%02d", month, day), time.Date(2025, 12, 16, 0, 0, 0, 0, time.UTC).AddDate(0, 0, offset)
}

func (g *gen) incidents(n int) error {
	for i := 1; i <= n; i++ {
		dateBS, ad := g.bsDay()
		typ := types[i%len(types)]
		g.disaster = append(g.disaster, struct{ typ, dateBS string }{typ, dateBS})
		fy := "082/83"
		if i%2 == 0 {
			fy = "2082/83"
		}
		if err := g.exec(`INSERT INTO disaster (id, disaster_type, disaster_date, ward, tole, fiscal_year, description, affected_households,
			affected_people, created_at, updated_at, is_locked, deaths, missing_persons, affected_people_male, affected_people_female,
			disaster_date_bs, estimated_loss, cattle_lost, livestock_death) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i, typ, ad.Format("2006-01-02"), 1+i%9, toles[i%len(toles)], fy, "घटना विवरण "+strconv.Itoa(i), i%5, 2+i%7,
			ad.Format("2006-01-02")+" 06:31:33.863040", ad.Format("2006-01-02")+" 06:31:33.863040", i%2, i%3, 0, 1, 1,
			dateBS, float64(1000*i)+0.5, i%3, i%3+i%2); err != nil {
			return err
		}
		g.st.Incidents++
	}
	return nil
}

func (g *gen) distributions(n int) error {
	stmt, err := g.tx.PrepareContext(g.ctx, `INSERT INTO relief_distribution (id, beneficiary_name, beneficiary_id, father_name, phone,
		disaster_date, disaster_type, fiscal_year, ward, tole, location, current_shelter_location, family_members_json, male_count,
		female_count, children_count, pregnant_mother_count, mother_under_2_baby, deaths_during_disaster, in_social_security_fund,
		ssf_type, poverty_card_holder, harms_json, relief_items_json, cash_received, distribution_date, status, created_at, updated_at,
		is_locked, fund_transaction_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	fund, err := g.tx.PrepareContext(g.ctx, `INSERT INTO fund_transaction (id, transaction_type, amount, description, transaction_date,
		created_at, is_locked, is_system) VALUES (?, 'Expenditure', ?, ?, ?, ?, 0, 1)`)
	if err != nil {
		return err
	}
	defer fund.Close()
	seen := map[string]bool{}
	var prevHH string
	var prevDis struct{ typ, dateBS string }
	for i := 1; i <= n; i++ {
		dis := g.disaster[g.rng.IntN(len(g.disaster))]
		hh := strconv.Itoa(100000 + i)
		ssf := ""
		if k := i/10 - 1; i%10 == 0 && k < len(g.ssfIDs) {
			// Each SSF household once: the old table took an identity
			// number only once, ever.
			hh = g.ssfIDs[k]
			ssf = ssfTypes[k%len(ssfTypes)]
		}
		idText := hh
		if i%97 == 0 && ssf == "" && prevHH != "" {
			// The old unique key compared text: "१००००५" and "100005" were two
			// households to it, one to us, relieved twice for one disaster.
			hh, dis = prevHH, prevDis
			idText = devanagari(hh)
		}
		prevHH, prevDis = hh, dis
		if ssf != "" {
			g.st.SSFHouseholds++
		}
		key := dis.typ + dis.dateBS + "|" + hh
		if seen[key] {
			g.st.Conflicts++
		}
		seen[key] = true
		members := []any{
			[][2]any{{"name", names[i%len(names)]}, {"relation", "Wife"}, {"age", 30 + i%20}, {"gender", "F"}},
			[][2]any{{"name", "छोरा " + strconv.Itoa(i)}, {"relation", "Son"}, {"age", i % 17}, {"gender", "M"}},
		}
		harms := []any{}
		if i%5 == 0 {
			harms = append(harms, [][2]any{{"member_name", "छोरा " + strconv.Itoa(i)}, {"harm", "चोटपटक"}, {"severity", severities[i%3]}})
		}
		its := []any{[][2]any{{"item", items[i%len(items)]}, {"quantity", 1 + i%4}, {"unit", "unit"}}}
		cash := float64(5000 + 500*(i%7))
		if i%50 == 0 {
			cash += 1.0 / 3 // 5000.333333333333: not a whole number of paisa
			g.st.NotPaisa++
		}
		distAD := time.Date(2026, 2, 15, 4, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		var fundID any
		if i%3 != 0 { // a third predate the fund feature: no ledger entry
			g.fundID++
			fundID = g.fundID
			if _, err := fund.ExecContext(g.ctx, g.fundID, cash, "राहात वितरण: "+names[i%len(names)]+" ("+idText+")",
				distAD.Format("2006-01-02"), distAD.Format("2006-01-02 15:04:05.000000")); err != nil {
				return err
			}
			g.st.FundRows++
			g.st.Balance -= int64(math.Round(cash * 100))
		} else {
			g.st.Unlinked++
		}
		fy := "082/83"
		if i%2 == 0 {
			fy = "2082/83"
		}
		if _, err := stmt.ExecContext(g.ctx, i, names[i%len(names)], idText, "बुबा "+strconv.Itoa(i), "98"+strconv.Itoa(10000000+i),
			dis.dateBS, dis.typ, fy, 1+i%9, toles[i%len(toles)], toles[(i+1)%len(toles)], "आफ्नै घर", pyJSON(members), 1, 1, 1, 0, 0, 0,
			ssf != "", ssf, i%4 == 0, pyJSON(harms), pyJSON(its), cash, distAD.Format("2006-01-02 15:04:05.000000"), "Distributed",
			distAD.Format("2006-01-02 15:04:05.000000"), distAD.Format("2006-01-02 15:04:05.000000"), i%2 == 0, fundID); err != nil {
			return err
		}
		g.st.Distributions++
	}
	return nil
}
