package server

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

var sealedCursor = regexp.MustCompile(`"next":"[A-Za-z0-9_-]+"`)

// distributionOddBody is a distribution whose values take every path of
// the list's JSON: HTML characters, quotes, backslashes, control
// characters and U+2028 to escape, coordinates with every digit a float64
// holds, a disaster date, members, harms and items.
const distributionOddBody = `{"household_name":"<b>\"राम\" & \\ थापा</b>","household_id":"99-01/001","father_name":"हरि\tथापा",
	"phone":"9848000099","disaster_type":"landslide","disaster_date_bs":"2082-10-01","date_bs":"2082-10-06","ward":4,
	"tole":"line\u2028sep\u2029para","place":"a\nb","latitude":27.712345678901234,"longitude":85.30000000000001,
	"shelter":"tent","members":[{"name":"राम \"सानो\"","relation":"self","age":45,"sex":"male"},
	{"name":"Sita <&>","relation":"wife","age":40,"sex":"female"}],
	"harms":[{"member":"राम \"सानो\"","harm":"injured","severity":"minor"}],
	"items":[{"item":"rice","quantity":30},{"item":"tarpaulin","quantity":"1","unit":"piece"}],
	"cash":"1500.05","notes":"नोट \\ \"x\" </script>","pregnant":1,"deaths":0}`

// TestDistributionListAnswerIsUnchanged keeps the bytes of the list's JSON
// answers — the demo generator's rows and one of awkward values, as an
// officer and as a viewer (personal data masked), by number, by cursor,
// sorted, searched — equal to testdata/distribution_list.golden, written by
// the code before the list page was made faster (issue 15, item 5). Both
// databases must give the same bytes.
func TestDistributionListAnswerIsUnchanged(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		err := demo.BulkDistributions(ctx, e.st, bs.Default(), 130, demo.Options{Seed: 1, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		officer, viewer := e.tokens["officer"], e.tokens["viewer"]
		w := e.do(req{method: "POST", path: "/api/v1/incidents", body: `{"date_bs":"2082-10-02","time":"02:10","type":"flood","ward":5,"description":"बाढी"}`, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("incident: %d %s", w.Code, w.Body)
		}
		incident := decodeBody(t, w)["id"].(float64)
		for _, body := range []string{
			distributionOddBody,
			// Linked to an incident, received by someone else.
			strings.NewReplacer(`"disaster_type":"landslide","disaster_date_bs":"2082-10-01"`, fmt.Sprintf(`"incident_id":%d`, int64(incident)),
				`99-01/001`, `99-01/002`, `9848000099`, `9848000098`, `"shelter":"tent"`, `"shelter":"tent","received_by":"श्याम \"का\" छोरा"`).Replace(distributionOddBody),
			// No coordinates, no harms.
			strings.NewReplacer(`99-01/001`, `99-01/003`, `9848000099`, `9848000097`,
				`"latitude":27.712345678901234,"longitude":85.30000000000001,`, ``, `"harms":[{"member":"राम \"सानो\"","harm":"injured","severity":"minor"}],`, ``).Replace(distributionOddBody),
		} {
			if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		var out strings.Builder
		after := "\x00" // the cursor followed, once known
		get := func(path, tok string) []byte {
			t.Helper()
			w := e.do(req{method: "GET", path: path, token: tok})
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", path, w.Code, w.Body)
			}
			// A cursor is sealed with a random nonce: its bytes differ
			// every time, so the file holds a stand-in.
			out.WriteString(strings.Replace(path, after, "CURSOR", 1) + "\n")
			out.Write(sealedCursor.ReplaceAll(w.Body.Bytes(), []byte(`"next":"CURSOR"`)))
			out.WriteString("\n")
			return w.Body.Bytes()
		}
		first := get("/api/v1/distributions", officer)
		var page struct{ Next *string }
		if err := json.Unmarshal(first, &page); err != nil || page.Next == nil {
			t.Fatalf("no next cursor: %v", err)
		}
		after = url.QueryEscape(*page.Next)
		get("/api/v1/distributions?after="+after+"&page=2", officer)
		get("/api/v1/distributions?page=3", officer)
		get("/api/v1/distributions?per_page=10", viewer)
		get("/api/v1/distributions?sort=name&order=asc&per_page=20", officer)
		get("/api/v1/distributions?ward=4&per_page=20", officer)
		get("/api/v1/distributions?q="+url.QueryEscape("थापा"), officer)
		golden := filepath.Join("testdata", "distribution_list.golden")
		if *updateGolden {
			if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != string(want) {
			g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("line %d differs from %s:\ngot  %.2000s\nwant %.2000s", i+1, golden, diffFrom(g[i], w[i]), diffFrom(w[i], g[i]))
				}
			}
			t.Fatalf("%d lines, %s has %d", len(g), golden, len(w))
		}
	})
}

// diffFrom is a from where it first differs from b, with a little before.
func diffFrom(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(i-200, 0):]
}
