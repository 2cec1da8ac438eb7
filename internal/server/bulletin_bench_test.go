package server

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// BenchmarkDailyBulletin measures one day's bulletin with 200 incidents in
// 10 wards, through the whole HTTP stack on SQLite:
//
//	go test -run '^$' -bench DailyBulletin -benchmem ./internal/server
//
// Targets (issue 10): the PDF in < 300 ms and < 50 MB of extra memory, the
// print page in < 50 ms. The day's sit-rep number is issued by the first
// request; the rest find it, as every later request for that day does.
func BenchmarkDailyBulletin(b *testing.B) {
	e := newEnv(b, storetest.Backends()[0])
	ctx := b.Context()
	if err := e.st.SaveWard(ctx, store.SystemActor, store.Ward{Number: 10, NameNe: "वडा नं. १०", NameEn: "Ward 10"}); err != nil {
		b.Fatal(err)
	}
	rules := leoc.IncidentRules{Types: []string{"earthquake", "flood", "landslide", "windstorm", "fire", "lightning", "wildlife", "hailstorm", "other"},
		Wards: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}
	admin := e.users[leoc.RoleAdmin]
	for i := range 200 {
		n := int64(i % 4)
		in := leoc.IncidentInput{DateBS: "2082-10-15", Time: fmt.Sprintf("%02d:%02d", i%24, i%60), Type: rules.Types[i%len(rules.Types)],
			Ward: i%10 + 1, Tole: "खोली", Description: "पहिरोले बाटो अवरुद्ध, घर क्षति", DeathsMale: &n, InjuredFemale: &n, HousesDamaged: &n,
			LivestockLostGoatsSheep: &n, AgricultureDamage: "मकै बाली", RoadBlocked: i%3 == 0, ElectricityCut: i%5 == 0,
			EstimatedLoss: leoc.Amount(fmt.Sprint(10000 * (i + 1)))}
		inc := &leoc.Incident{}
		if err := in.Apply(bs.Default(), rules, inc); err != nil {
			b.Fatal(err)
		}
		if err := e.st.CreateIncident(ctx, store.SystemActor, admin, inc); err != nil {
			b.Fatal(err)
		}
	}
	tok := e.tokens[leoc.RoleViewer]
	for _, c := range []struct{ name, path string }{
		{"page", "/reports/daily-bulletin?from=2082-10-15"},
		{"pdf", "/reports/daily-bulletin.pdf?from=2082-10-15"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			size := 0
			for b.Loop() {
				w := e.do(req{method: "GET", path: c.path, token: tok})
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body.String())
				}
				size = w.Body.Len()
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(size)/1024, "KB/doc")
			b.ReportMetric(float64(int64(after.HeapSys)-int64(before.HeapSys))/(1<<20), "MB-heap-growth")
		})
	}
}
