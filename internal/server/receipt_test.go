package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestReceiptNamesWhoCollected: received_by is stored, returned and
// exported; the receipt's sentence marks the subject once with ले joined
// to the name, names the collector on the household head's behalf when
// someone else came, and has the signature and thumbprint boxes and the
// Print bar; units follow the page's language.
func TestReceiptNamesWhoCollected(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, finance := e.tokens["officer"], e.tokens["finance"]
		income := `{"kind":"income","amount":"5000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`
		if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: finance}); w.Code != http.StatusCreated {
			t.Fatalf("income: %d %s", w.Code, w.Body)
		}
		body := strings.Replace(distributionBody, `"phone":"9848000001",`, `"phone":"9848000001","received_by":"श्याम थापा",`, 1)
		w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: officer})
		if w.Code != http.StatusCreated || decodeBody(t, w)["received_by"] != "श्याम थापा" {
			t.Fatalf("create with received_by: %d %s", w.Code, w.Body)
		}
		other := strings.Replace(strings.Replace(distributionBody, "12-34/567", "99-88/111", 1), "9848000001", "9848000002", 1)
		if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: other, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		if m := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/distributions/1", token: officer})); m["received_by"] != "श्याम थापा" {
			t.Fatalf("stored received_by: %v", m["received_by"])
		}
		get := func(path string) string {
			t.Helper()
			w := e.do(req{method: "GET", path: path, token: officer})
			if w.Code != 200 {
				t.Fatalf("%s: %d", path, w.Code)
			}
			return w.Body.String()
		}
		page := get("/distributions/1/print")
		for _, want := range []string{"म श्याम थापाले घरमूली राम बहादुर थापाको तर्फबाट माथि उल्लिखित राहत बुझिलिएँ।",
			"बुझिलिनेको सही", "बुझाउनेको सही", "प्रमाणित गर्ने", "बायाँ ल्याप्चे", "दायाँ ल्याप्चे", "केजी", "data-print", "print-hint"} {
			if !strings.Contains(page, want) {
				t.Errorf("receipt lacks %q", want)
			}
		}
		if page := get("/distributions/2/print"); !strings.Contains(page, "म राम बहादुर थापाले माथि उल्लिखित राहत बुझिलिएँ।") {
			t.Error("receipt of the head's own collection lacks the plain sentence")
		}
		// The PDF receipt says the same as the print page: who collected,
		// on whose behalf, and the certifier's box.
		t.Run("pdf", func(t *testing.T) { // skips without pdftotext
			w := e.do(req{method: "GET", path: "/distributions/1/print.pdf", token: officer})
			if w.Code != 200 {
				t.Fatalf("receipt PDF: %d", w.Code)
			}
			text := strings.Join(strings.Fields(pdfText(t, w.Body.Bytes())), " ")
			for _, want := range []string{"म श्याम थापाले घरमूली राम बहादुर थापाको तर्फबाट", "बुझिलिनेको सही", "बुझाउनेको सही", "प्रमाणित गर्ने"} {
				if !strings.Contains(text, want) {
					t.Errorf("receipt PDF lacks %q:\n%s", want, text)
				}
			}
		})
		page = get("/distributions/1/print?lang=en")
		for _, want := range []string{"I, श्याम थापा, have received the relief listed above on behalf of the household head राम बहादुर थापा.",
			">kg<", "Print"} {
			if !strings.Contains(page, want) {
				t.Errorf("English receipt lacks %q", want)
			}
		}
		if strings.Contains(page, "केजी") {
			t.Error("the English receipt shows Nepali units")
		}
		if csv := get("/api/v1/distributions/export.csv?lang=en"); !strings.Contains(csv, "Received by") || !strings.Contains(csv, "श्याम थापा") {
			t.Error("the export lacks received_by")
		}
		// Every print page has the Print bar.
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("incident: %d %s", w.Code, w.Body)
		}
		sitrep := `{"date_bs":"2082-10-15","time":"18:00","summary":"Flood in Kholi","weather":"Heavy rain"}`
		if w := e.do(req{method: "POST", path: "/api/v1/situation-reports", body: sitrep, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("sitrep: %d %s", w.Code, w.Body)
		}
		for _, path := range []string{"/distributions/1/print", "/incidents/1/print", "/situation-reports/1/print", "/situation-reports/1/print?lang=en"} {
			if !strings.Contains(get(path), `class="no-print print-bar"`) {
				t.Errorf("%s has no Print bar", path)
			}
		}
	})
}
