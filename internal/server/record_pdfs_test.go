package server

import (
	"net/http"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

func TestRecordPDFs(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, finance := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleFinance]
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: officer,
			body: `{"date_bs":"2082-10-15","type":"flood","ward":2,"tole":"खोली","description":"खोलामा बाढी","deaths_female":2,"livestock_lost_cattle":4,"electricity_cut":true,"estimated_loss":"125000","rescue_operations":"प्रहरी र सेनाद्वारा उद्धार"}`}); w.Code != http.StatusCreated {
			t.Fatalf("incident: %d %s", w.Code, w.Body.String())
		}
		income := `{"kind":"income","amount":"5000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`
		if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: finance}); w.Code != http.StatusCreated {
			t.Fatalf("income: %d", w.Code)
		}
		if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: distributionBody, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("distribution: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "POST", path: "/api/v1/situation-reports", token: officer,
			body: `{"date_bs":"2082-10-15","time":"18:00","summary":"बाढी प्रभावित क्षेत्रमा उद्धार जारी","weather":"मध्यम वर्षा"}`}); w.Code != http.StatusCreated {
			t.Fatalf("situation report: %d %s", w.Code, w.Body.String())
		}
		get := func(path string) string {
			t.Helper()
			w := e.do(req{method: "GET", path: path, token: e.tokens[leoc.RoleAdmin]}) // viewers see households masked
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s: %d %s", path, w.Code, w.Header().Get("Content-Type"))
			}
			return pdfText(t, w.Body.Bytes())
		}
		for path, want := range map[string][]string{
			"/incidents/1/print.pdf":         {"विपद् घटना विवरण", "थलारा गाउँपालिका", "बाढी", "खोलामा बाढी", "१,२५,०००.००", "प्रहरी र सेनाद्वारा उद्धार", "पृष्ठ १ / "},
			"/incidents/1/print.pdf?lang=en": {"Flood", "1,25,000.00", "Page 1 of "},
			"/distributions/1/print.pdf":     {"राहत हस्तान्तरण भरपाई", "राम बहादुर थापा", "12-34/567", "१,५००.५०", "बुझिलिनेको सही", "पहिरो"},
		} {
			text := get(path)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q", path, w)
				}
			}
		}
		for _, path := range []string{"/incidents/99/print.pdf", "/distributions/99/print.pdf", "/situation-reports/99/print.pdf"} {
			if w := e.do(req{method: "GET", path: path, token: viewer}); w.Code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, w.Code)
			}
		}
		// The print pages link their PDF.
		w := e.do(req{method: "GET", path: "/incidents/1/print", token: viewer})
		if !strings.Contains(w.Body.String(), `href="/incidents/1/print.pdf"`) {
			t.Error("the incident print page has no PDF link")
		}
		w = e.do(req{method: "GET", path: "/situation-reports/1/print", token: viewer})
		if !strings.Contains(w.Body.String(), `href="/situation-reports/1/print.pdf"`) {
			t.Error("the situation report print page has no PDF link")
		}
		w = e.do(req{method: "GET", path: "/distributions/1/print", token: viewer})
		if !strings.Contains(w.Body.String(), `href="/distributions/1/print.pdf"`) {
			t.Error("the receipt print page has no PDF link")
		}
	})
}
