package server

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
)

var sitrepAttr = regexp.MustCompile(`data-sitrep="(\d+)"`)

func TestDailyBulletinPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		for _, body := range []string{
			`{"date_bs":"2082-10-15","type":"flood","ward":2,"tole":"खोली","description":"बाढी","deaths_male":2,"injured":1,"road_blocked":true,"estimated_loss":"125000.50","agriculture_damage":"मकै बाली"}`,
			`{"date_bs":"2082-10-15","type":"landslide","ward":7,"tole":"मष्टा","description":"पहिरो","missing":1,"houses_destroyed":1,"estimated_loss":"1000000"}`,
			`{"date_bs":"2082-10-14","type":"fire","ward":3,"tole":"देउल","description":"आगलागी","estimated_loss":"5000"}`,
		} {
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: officer, body: body}); w.Code != http.StatusCreated {
				t.Fatalf("incident: %d %s", w.Code, w.Body.String())
			}
		}
		get := func(path, token string, header map[string]string) (int, string) {
			t.Helper()
			w := e.do(req{method: "GET", path: path, token: token, header: header})
			return w.Code, w.Body.String()
		}
		sitrep := func(page string) string {
			if m := sitrepAttr.FindStringSubmatch(page); m != nil {
				return m[1]
			}
			return ""
		}

		t.Run("picker", func(t *testing.T) {
			code, page := get("/reports", viewer, nil)
			for _, want := range []string{`href="/reports/daily-bulletin"`, `formaction="/reports/daily-bulletin.pdf"`, `value="2082-10-15"`, "दैनिक विपद् बुलेटिन"} {
				if !strings.Contains(page, want) {
					t.Errorf("picker lacks %q", want)
				}
			}
			if code != http.StatusOK {
				t.Errorf("picker: %d", code)
			}
		})

		t.Run("today keeps its number", func(t *testing.T) {
			code, page := get("/reports/daily-bulletin", viewer, nil)
			if code != http.StatusOK || sitrep(page) != "1" {
				t.Fatalf("today: %d sitrep %q", code, sitrep(page))
			}
			// Ward 2: 1 incident, 2 deaths, 1 injured, Rs 1,25,000.50, road cut,
			// the crop loss; the total row adds ward 7's incident.
			for _, want := range []string{"दैनिक विपद् बुलेटिन", "थलारा गाउँपालिका", `data-print`, `href="/reports/daily-bulletin.pdf?from=2082-10-15"`,
				"<td class=\"num\">१,२५,०००.५०</td>", "मकै बाली", "<th>जम्मा</th><td class=\"num\">२</td>", "११,२५,०००.५०", "पहिरो", "बाढी"} {
				if !strings.Contains(page, want) {
					t.Errorf("bulletin lacks %q", want)
				}
			}
			if strings.Contains(page, "आगलागी") {
				t.Error("the day before's incident is in today's bulletin")
			}
			if _, again := get("/reports/daily-bulletin?from=२०८२-१०-१५", officer, nil); sitrep(again) != "1" {
				t.Errorf("the same day again: sitrep %q, want 1", sitrep(again))
			}
			if _, other := get("/reports/daily-bulletin?from=2082-10-14", officer, nil); sitrep(other) != "2" || !strings.Contains(other, "आगलागी") {
				t.Errorf("another day: sitrep %q, want 2", sitrep(other))
			}
		})

		t.Run("PDF", func(t *testing.T) {
			w := e.do(req{method: "GET", path: "/reports/daily-bulletin.pdf?from=2082-10-15", token: viewer})
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(w.Body.String(), "%PDF-1.7") ||
				!strings.Contains(w.Header().Get("Content-Disposition"), `attachment; filename=daily-bulletin-2082-10-15.pdf`) {
				t.Fatalf("PDF: %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"))
			}
			// The same day keeps its number in the PDF too.
			text := pdfText(t, w.Body.Bytes())
			for _, want := range []string{"दैनिक विपद् बुलेटिन", "सिटरेप नं. १", "थलारा गाउँपालिका", "११,२५,०००.५०", "मकै बाली"} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q", want)
				}
			}
		})

		t.Run("a range has no number", func(t *testing.T) {
			code, page := get("/reports/daily-bulletin?from=2082-10-01&to=2082-10-15&lang=en", viewer, nil)
			if code != http.StatusOK || sitrep(page) != "" || !strings.Contains(page, "2082-10-01 to 2082-10-15") || !strings.Contains(page, "Daily disaster bulletin") {
				t.Errorf("range: %d sitrep %q", code, sitrep(page))
			}
		})

		t.Run("no data is a bulletin that says so", func(t *testing.T) {
			code, page := get("/reports/daily-bulletin?from=2082-09-01", viewer, nil)
			if code != http.StatusOK || !strings.Contains(page, "कुनै विपद् घटना दर्ता भएको छैन") {
				t.Errorf("empty day: %d", code)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			_, before := must.Get2(e.st.ListAudit(t.Context(), auditFilterAction("bulletin.generate")))(t)
			en := map[string]string{"Accept-Language": "en"}
			for _, c := range []struct{ query, want string }{
				{"from=2082-13-01", "is not a BS date"},
				{"from=hello", "is not a BS date"},
				{"from=2082-10-15&to=2082-10-40", "2082-10-40"},
				{"from=2082-10-15&to=2082-10-01", "before the start date"},
				{"from=2081-01-01&to=2082-10-15", "longer than one fiscal year"},
				{"from=1990-01-01", "is not a BS date"},
			} {
				code, page := get("/reports/daily-bulletin?"+c.query, viewer, en)
				if code != http.StatusBadRequest || !strings.Contains(page, c.want) {
					t.Errorf("%s: %d, want 400 with %q", c.query, code, c.want)
				}
				if code, _ := get("/reports/daily-bulletin.pdf?"+c.query, viewer, en); code != http.StatusBadRequest {
					t.Errorf("PDF %s: %d, want 400", c.query, code)
				}
			}
			if code, page := get("/reports/daily-bulletin?from=2082-10-15&to=2082-10-01", viewer, nil); code != http.StatusBadRequest || !strings.Contains(page, "अन्तिम मिति सुरु मितिभन्दा अघि छ") {
				t.Errorf("Nepali message: %d", code)
			}
			_, after := must.Get2(e.st.ListAudit(t.Context(), auditFilterAction("bulletin.generate")))(t)
			if after != before {
				t.Errorf("refused requests were audited as bulletins: %d → %d", before, after)
			}
		})

		t.Run("concurrent requests", func(t *testing.T) {
			// 30 requests at once for six new days of another fiscal year:
			// each day one number, the year's numbers 1..6.
			var mu sync.Mutex
			seen := map[string]map[string]bool{}
			var wg sync.WaitGroup
			for i := range 30 {
				day := fmt.Sprintf("2081-05-%02d", i%6+1)
				wg.Go(func() {
					w := e.do(req{method: "GET", path: "/reports/daily-bulletin?from=" + day, token: viewer})
					mu.Lock()
					defer mu.Unlock()
					if seen[day] == nil {
						seen[day] = map[string]bool{}
					}
					seen[day][sitrep(w.Body.String())] = w.Code == http.StatusOK
				})
			}
			wg.Wait()
			numbers := map[string]bool{}
			for day, ns := range seen {
				if len(ns) != 1 {
					t.Errorf("%s got numbers %v", day, ns)
				}
				for n, ok := range ns {
					if !ok {
						t.Errorf("%s: a request failed", day)
					}
					numbers[n] = true
				}
			}
			for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
				if !numbers[n] {
					t.Errorf("numbers %v: %s missing", numbers, n)
				}
			}
		})

		t.Run("audit says who produced which bulletin", func(t *testing.T) {
			entries, _, err := e.st.ListAudit(t.Context(), auditFilterAction("bulletin.generate"))
			if err != nil || len(entries) < 4 {
				t.Fatalf("%d entries, %v", len(entries), err)
			}
			var sawViewer, sawRange bool
			for _, a := range entries {
				sawViewer = sawViewer || a.Username == "viewer1" && a.EntityID == "2082-10-15" && strings.Contains(a.Details, `"sitrep":1`)
				sawRange = sawRange || a.EntityID == "2082-10-01/2082-10-15"
			}
			if !sawViewer || !sawRange {
				t.Errorf("audit entries %+v", entries)
			}
		})

		t.Run("the reported day's incidents are locked", func(t *testing.T) {
			// Opening today's bulletin issued its number: today's incident
			// 1 may no longer be edited without the unlock key.
			w := e.do(req{method: "PUT", path: "/api/v1/incidents/1", token: e.tokens[leoc.RoleAdmin],
				body: `{"date_bs":"2082-10-15","type":"flood","ward":2,"tole":"खोली","description":"changed","version":1}`})
			if w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
				t.Errorf("edit of a reported incident: %d %s", w.Code, w.Body.String())
			}
		})
	})
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not found: apt-get install -y poppler-utils")
		}
		t.Skip("pdftotext not found (apt-get install -y poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}
