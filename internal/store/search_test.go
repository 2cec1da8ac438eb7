package store_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// searchQueries cover Devanagari and Latin of any case, identity numbers in
// other spellings (Devanagari digits, no dashes, slashes), words shorter
// than an index can find (they scan, on both databases), several words,
// LIKE's and FTS5's special characters, and words nothing has.
var searchQueries = []string{
	"राम", "रा", "र", "बहादुर थापा", "थापा", "सीता", "SITA", "sita devi", "Gita", "gi", "ta",
	"12-01-75", "१२-०१-७५", "120175", "12 01 75 1234", "75/1234", "1234", "12",
	"9848", "९८४८०", "खोली", "पहिरो", "flood", "FLOOD", "बाढी",
	"%", "_", `"`, `a"b`, "o'n", "50%", "NEAR", "sita OR ram", "x*", "नभेटिने", "zzz",
}

type searchRecords struct {
	distributions []*leoc.Distribution
	beneficiaries []*leoc.Beneficiary
	incidents     []*leoc.Incident
}

// fillSearchRecords writes the same records, in the same order, into s.
func fillSearchRecords(t *testing.T, s *store.Store) searchRecords {
	t.Helper()
	officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
	var out searchRecords
	addIncome(t, s, 100000)
	people := []struct{ name, id, phone, member string }{
		{"राम बहादुर थापा", "12-01-75/1234", "९८४८०००००१", "Gita"},
		{"Sita Devi Thapa", "१२-०१-७५/५६७८", "9848000002", "राम"},
		{"SITA KUMARI", "75-1234", "9851000003", "o'n"},
		{"हरि प्रसाद", "5%0_1", "9801000004", `a"b`},
		{"Ram Prasad", "NEAR-12", "9812000005", "सीता"},
	}
	for i, p := range people {
		d := newDistribution(t, s, p.id, func(in *leoc.DistributionInput) {
			in.HouseholdName, in.Phone, in.Ward = p.name, p.phone, 1+i%3
			in.Members[2].Name = p.member
		})
		_, err := s.CreateDistribution(ctx, admin, officer, d)
		must.OK(t, err)
		out.distributions = append(out.distributions, d)

		b := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: p.name, IDNumber: p.id, AllowanceType: "senior_citizen", Ward: 1 + i%3, Phone: p.phone})
		must.OK(t, s.CreateBeneficiary(ctx, admin, officer, b))
		out.beneficiaries = append(out.beneficiaries, b)

		inc := newIncident(t, "२०८२-०४-०१", []string{"landslide", "flood"}[i%2], 1+i%3, func(in *leoc.IncidentInput) {
			in.Tole = []string{"खोली", "Khola Tole", "बजार"}[i%3]
			in.Description = []string{"पहिरो खस्यो", "FLOOD in the Seti river", "बाढी 50% घर", "sita OR ram", "x*y"}[i]
		})
		must.OK(t, s.CreateIncident(ctx, admin, officer, inc))
		out.incidents = append(out.incidents, inc)
	}
	return out
}

func distributionHits(t *testing.T, s *store.Store, q string) []int64 {
	t.Helper()
	list, _, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: q, PerPage: 100}})
	must.OK(t, err)
	return idsOf(list, func(d *leoc.Distribution) int64 { return d.ID })
}

// searchAnswer is a search's rows with its total as the list reports it.
type searchAnswer struct {
	ids    []int64
	total  int
	capped bool
}

func distributionTotal(t *testing.T, s *store.Store, q string, wards []int) searchAnswer {
	t.Helper()
	ks := &store.Keyset{}
	list, total, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: q, Wards: wards, PerPage: 100, Keyset: ks}})
	must.OK(t, err)
	ids := idsOf(list, func(d *leoc.Distribution) int64 { return d.ID })
	if len(ids) == 0 {
		ids = nil
	}
	return searchAnswer{ids: ids, total: total, capped: ks.Capped}
}

func beneficiaryHits(t *testing.T, s *store.Store, q string) []int64 {
	t.Helper()
	list, _, err := s.Beneficiaries(ctx, store.RecordFilter{Query: q, PerPage: 100})
	must.OK(t, err)
	return idsOf(list, func(b *leoc.Beneficiary) int64 { return b.ID })
}

func incidentHits(t *testing.T, s *store.Store, q string) []int64 {
	t.Helper()
	list, _, err := s.Incidents(ctx, store.RecordFilter{Query: q, PerPage: 100})
	must.OK(t, err)
	return idsOf(list, func(i *leoc.Incident) int64 { return i.ID })
}

func idsOf[T any](list []T, id func(T) int64) []int64 {
	out := make([]int64, len(list))
	for i, x := range list {
		out[i] = id(x)
	}
	slices.Sort(out)
	return out
}

// containsAll is the search as the rule reads: every word of q is somewhere
// in the text.
func containsAll(text, q string, fold func(string) string) bool {
	for _, w := range strings.Fields(fold(q)) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// TestSearchMatchesOnBothDatabases: the same records written into SQLite
// (searched through FTS5) and PostgreSQL (through pg_trgm) give the same
// answer to every query, and the distributions' and incidents' answers are
// the rule itself: every word is in the text.
func TestSearchMatchesOnBothDatabases(t *testing.T) {
	if os.Getenv(storetest.PostgresURLEnv) == "" {
		t.Skip(storetest.PostgresURLEnv + " not set: nothing to compare SQLite with")
	}
	lite := storetest.Open(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	pg := storetest.Open(t, storetest.Backend{Name: "postgres", URL: storetest.PostgresURL})
	recs := fillSearchRecords(t, lite)
	fillSearchRecords(t, pg)
	found := 0
	for _, q := range searchQueries {
		for _, reg := range []struct {
			name string
			hits func(*testing.T, *store.Store, string) []int64
			want func() []int64
		}{
			{"distributions", distributionHits, func() []int64 {
				var ids []int64
				for _, d := range recs.distributions {
					if containsAll(d.SearchText(), q, leoc.FoldText) {
						ids = append(ids, d.ID)
					}
				}
				return ids
			}},
			{"incidents", incidentHits, func() []int64 {
				var ids []int64
				for _, inc := range recs.incidents {
					text := strings.ToLower(inc.Tole + "\x00" + inc.Description)
					if containsAll(text, q, func(s string) string { return strings.ToLower(leoc.NormalizeText(s)) }) {
						ids = append(ids, inc.ID)
					}
				}
				return ids
			}},
			{"beneficiaries", beneficiaryHits, nil},
		} {
			a, b := reg.hits(t, lite, q), reg.hits(t, pg, q)
			if !slices.Equal(a, b) {
				t.Errorf("%s q=%q: SQLite %v, PostgreSQL %v", reg.name, q, a, b)
			}
			if reg.want != nil {
				if want := reg.want(); !slices.Equal(a, want) && !(len(a) == 0 && len(want) == 0) {
					t.Errorf("%s q=%q: found %v, the words are in %v", reg.name, q, a, want)
				}
			}
			found += len(a)
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the comparison proves nothing")
	}
	t.Run("totals, capped counts and common words", func(t *testing.T) {
		// SQLite takes the total of a search of words alone from its index
		// count and counts the rows when another filter narrows it;
		// PostgreSQL matches a common word without its index. Both must give
		// the same rows, totals and "more than" at every cap.
		defer func() {
			lite.SetSearchCapForTest(1000)
			pg.SetSearchCapForTest(1000)
			pg.HideSearchWordsForTest(false)
		}()
		queries := append(slices.Clone(searchQueries), "राम थापा", "थापा राम बहादुर", "sita gita", "थापा रा", "ram 9848")
		// Caps of matches counted and of matches that make words common
		// (SQLite); the last counts fewer than make words common.
		for _, c := range []struct{ common, limit int }{{1000, 1000}, {2, 2}, {1, 1}, {1000, 2}} {
			limit := c.limit
			for _, s := range []*store.Store{lite, pg} {
				s.SetSearchCapForTest(c.common)
				s.SetSearchTotalForTest(limit)
			}
			for _, hide := range []bool{false, true} {
				pg.HideSearchWordsForTest(hide)
				for _, q := range queries {
					for _, wards := range [][]int{nil, {1, 2}} {
						a, b := distributionTotal(t, lite, q, wards), distributionTotal(t, pg, q, wards)
						if !slices.Equal(a.ids, b.ids) || a.total != b.total || a.capped != b.capped {
							t.Errorf("caps %+v, PostgreSQL without index %v, wards %v, q=%q: SQLite %+v, PostgreSQL %+v", c, hide, wards, q, a, b)
						}
						if limit == 1000 && (a.total != len(a.ids) || a.capped) {
							t.Errorf("wards %v, q=%q: total %d (capped %v) for %d rows", wards, q, a.total, a.capped, len(a.ids))
						}
					}
					if a, b := incidentHits(t, lite, q), incidentHits(t, pg, q); !slices.Equal(a, b) {
						t.Errorf("incidents, PostgreSQL without index %v, q=%q: SQLite %v, PostgreSQL %v", hide, q, a, b)
					}
					if a, b := beneficiaryHits(t, lite, q), beneficiaryHits(t, pg, q); !slices.Equal(a, b) {
						t.Errorf("beneficiaries, PostgreSQL without index %v, q=%q: SQLite %v, PostgreSQL %v", hide, q, a, b)
					}
				}
			}
		}
	})
	t.Run("after an edit and a delete", func(t *testing.T) {
		// The indexes follow writes in their transaction: a changed name is
		// found by its new words only, a removed record not at all.
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		for _, s := range []*store.Store{lite, pg} {
			must.OK(t, s.SetLocked(ctx, admin, officer, "beneficiaries", recs.beneficiaries[0].ID, false, "name"))
			b := must.Get(s.Beneficiary(ctx, recs.beneficiaries[0].ID))(t)
			b.Name = "Krishna Magar"
			must.OK(t, s.UpdateBeneficiary(ctx, admin, officer, b))
			must.OK(t, s.SetLocked(ctx, admin, officer, "incidents", recs.incidents[1].ID, false, "gone"))
			must.OK(t, s.DeleteIncident(ctx, admin, officer, recs.incidents[1].ID))
		}
		for _, c := range []struct {
			hits func(*testing.T, *store.Store, string) []int64
			q    string
			want []int64
		}{
			{beneficiaryHits, "krishna", []int64{recs.beneficiaries[0].ID}},
			{beneficiaryHits, "बहादुर", nil},
			{incidentHits, "seti", nil},
		} {
			for name, s := range map[string]*store.Store{"sqlite": lite, "postgres": pg} {
				if got := c.hits(t, s, c.q); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
					t.Errorf("%s q=%q: %v, want %v", name, c.q, got, c.want)
				}
			}
		}
	})
}

// TestSearchUsesTheIndex: on SQLite a word of three or more characters is
// looked up in the FTS5 table (the plan searches it, it does not scan the
// register), a shorter one scans.
func TestSearchUsesTheIndex(t *testing.T) {
	s := storetest.Open(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	for q, want := range map[string]string{"थापा": "distributions_search VIRTUAL TABLE", "ab": "SCAN distributions"} {
		plan := must.Get(s.DistributionSearchPlan(ctx, q))(t)
		if !strings.Contains(plan, want) {
			t.Errorf("q=%q: plan %s, want %q in it", q, plan, want)
		}
	}
}

// TestSearchCountsUpToTheCap: a search with more matches than the store
// counts answers the cap as its total and says so; its pages — read, on
// SQLite, in list order instead of through the index, as for a common
// word — hold the same rows as the pages of an uncapped search.
func TestSearchCountsUpToTheCap(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		fillSearchRecords(t, s)
		all := distributionHits(t, s, "थापा")
		if len(all) < 4 {
			t.Fatalf("only %d matches: the cap would not be reached", len(all))
		}
		// The statistics of a search read the same index (its items through a join).
		st, err := s.DistributionStats(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: "थापा"}})
		if err != nil || st.Totals.Distributions != int64(len(all)) || len(st.Items) == 0 {
			t.Fatalf("statistics of the search: %v, %+v, want %d distributions", err, st, len(all))
		}
		ks := &store.Keyset{}
		_, total, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: "थापा", Keyset: ks}})
		if err != nil || total != len(all) || ks.Capped {
			t.Fatalf("under the cap: total %d capped %v (%v), want %d", total, ks.Capped, err, len(all))
		}
		s.SetSearchCapForTest(2)
		ks = &store.Keyset{}
		_, total, err = s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: "थापा", Keyset: ks}})
		if err != nil || total != 2 || !ks.Capped {
			t.Fatalf("over the cap: total %d capped %v (%v), want 2 and capped", total, ks.Capped, err)
		}
		for _, q := range []string{"थापा", "थापा राम", "sita"} {
			s.SetSearchCapForTest(1000)
			want := distributionIDs(s, "", false, q)
			wantIDs, err := want(store.RecordFilter{PerPage: 100})
			must.OK(t, err)
			s.SetSearchCapForTest(1)
			got, err := distributionIDs(s, "", false, q)(store.RecordFilter{PerPage: 100})
			must.OK(t, err)
			if !slices.Equal(got, wantIDs) {
				t.Errorf("q=%q: read in list order %v, through the index %v", q, got, wantIDs)
			}
			if len(wantIDs) > 2 {
				walk(t, "capped search "+q, 1, distributionIDs(s, "", false, q))
			}
		}
	})
}

// TestSearchReadsLongTexts: a search of common words read row by row in
// date order finds the distributions whose text is too long for
// PostgreSQL's index of dates and search text (fifty long names) as well as
// the others, in the list's order, and counts them.
func TestSearchReadsLongTexts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		fillSearchRecords(t, s)
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		for i, date := range []string{"२०८२-०४-०३", "२०८२-०४-०९"} {
			d := newDistribution(t, s, fmt.Sprintf("99-01-%d", i), func(in *leoc.DistributionInput) {
				in.DateBS = date
				in.Members = nil
				for j := range leoc.MaxMembers {
					in.Members = append(in.Members, leoc.MemberInput{Name: strings.Repeat("क", 60) + fmt.Sprintf(" थापा %d", j),
						Relation: "son", Age: leoc.WholeOf(20), Sex: "male"})
				}
			})
			if n := len(d.SearchText()); n <= 2704 {
				t.Fatalf("search text of %d bytes: not long enough to prove anything", n)
			}
			_, err := s.CreateDistribution(ctx, admin, officer, d)
			must.OK(t, err)
		}
		defer func() {
			s.SetSearchCapForTest(1000)
			s.HideSearchWordsForTest(false)
		}()
		for _, q := range []string{"थापा", "राम थापा", "कक थापा"} {
			s.SetSearchCapForTest(1000)
			s.HideSearchWordsForTest(false)
			want, err := distributionIDs(s, "", false, q)(store.RecordFilter{PerPage: 100})
			must.OK(t, err)
			// Cap 1: the words are common on SQLite; PostgreSQL reads
			// every word row by row.
			s.SetSearchCapForTest(1)
			s.HideSearchWordsForTest(true)
			got, err := distributionIDs(s, "", false, q)(store.RecordFilter{PerPage: 100})
			must.OK(t, err)
			if !slices.Equal(got, want) {
				t.Errorf("q=%q: read row by row %v, through the index %v", q, got, want)
			}
			if len(want) > 2 {
				walk(t, "row by row "+q, 1, distributionIDs(s, "", false, q))
			}
			s.SetSearchCapForTest(len(want))
			ks := &store.Keyset{}
			_, total, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: q, Keyset: ks}})
			if err != nil || total != len(want) || ks.Capped {
				t.Errorf("q=%q at a cap of %d: total %d capped %v (%v)", q, len(want), total, ks.Capped, err)
			}
		}
	})
}
