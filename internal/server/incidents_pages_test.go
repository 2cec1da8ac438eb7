package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"leoc/internal/leoc"
	"leoc/internal/must"
)

func TestIncidentPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		get := func(path string) (int, string) {
			t.Helper()
			w := e.do(req{method: "GET", path: path, cookies: cookies})
			return w.Code, w.Body.String()
		}
		code, page := get("/incidents/new")
		for _, want := range []string{`data-bs-date`, `value="2082-10-15"`, `<fieldset>`, `name="deaths_female"`, `inputmode="numeric"`,
			`name="livestock_injured_poultry"`, `name="water_disrupted"`, `inputmode="decimal"`, "मानवीय क्षति", "bs-datepicker"} {
			if !strings.Contains(page, want) {
				t.Errorf("new form lacks %q", want)
			}
		}
		if code != 200 || strings.Contains(page, `type="number"`) {
			t.Fatalf("new form: %d", code)
		}
		// Devanagari digits everywhere; a bad number and a bad date come
		// back with the input kept and a message under each field.
		form := url.Values{"csrf_token": {csrf}, "date_bs": {"२०८२-१३-०१"}, "time": {"१४:३०"}, "type": {"flood"}, "ward": {"४"},
			"tole": {"कोटफेरा"}, "deaths_male": {"१"}, "deaths_female": {"२"}, "injured": {"तीन"}, "houses_damaged": {"१२"},
			"estimated_loss": {"रु १,२५,०००"}, "electricity_cut": {"1"}, "description": {"खोलामा बाढी"}}
		w := e.do(req{method: "POST", path: "/incidents", cookies: cookies, body: form.Encode()})
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "खोलामा बाढी") || !strings.Contains(body, `value="तीन"`) ||
			!strings.Contains(body, "पूर्ण सङ्ख्या") && !strings.Contains(body, "field-error") {
			t.Fatalf("bad form: %d", w.Code)
		}
		if strings.Count(body, `class="field-error"`) < 2 {
			t.Errorf("expected messages under date and injured")
		}
		form.Set("date_bs", "२०८२-१०-१५")
		form.Set("injured", "३")
		w = e.do(req{method: "POST", path: "/incidents", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		detailPath := w.Header().Get("Location")
		code, page = get(detailPath)
		for _, want := range []string{"१५ माघ २०८२", "२०८२/८३", "कोटफेरा", "बाढी", "रु. १,२५,०००.००", "अवरुद्ध", ">३<", "वडा नं. ४"} {
			if !strings.Contains(page, want) {
				t.Errorf("detail lacks %q", want)
			}
		}
		if code != 200 || strings.Contains(page, "/edit") {
			t.Fatalf("detail (locked, so no edit link): %d", code)
		}
		inc, err := e.st.Incident(t.Context(), 1)
		if err != nil || inc.Counts[leoc.Deaths] != 3 || inc.Counts[leoc.HousesDamaged] != 12 || inc.Time != "14:30" || !inc.Flags[leoc.ElectricityCut] {
			t.Fatalf("stored: %v %+v", err, inc)
		}
		code, page = get("/incidents?fy=2082/83&ward=4&ward=5&type=flood")
		if code != 200 || !strings.Contains(page, "कोटफेरा") || !strings.Contains(page, "/incidents/export.csv?") || !strings.Contains(page, `checked`) {
			t.Fatalf("list: %d", code)
		}
		if code, page = get("/incidents?ward=7"); code != 200 || strings.Contains(page, "कोटफेरा") {
			t.Fatalf("list of another ward: %d", code)
		}
		if code, page = get("/incidents?to=2082-99-01"); code != http.StatusUnprocessableEntity || !strings.Contains(page, "field-error") && !strings.Contains(page, "flash-error") {
			t.Fatalf("list with a bad date: %d", code)
		}
		code, page = get(detailPath + "/print")
		if code != 200 || !strings.Contains(page, "विपद् घटना विवरण") || !strings.Contains(page, "थलारा गाउँपालिका") || !strings.Contains(page, "प्रमाणित गर्ने") {
			t.Fatalf("print: %d", code)
		}
		if code, page = get(detailPath + "/print?lang=en"); code != 200 || !strings.Contains(page, "Disaster incident report") || !strings.Contains(page, "Rs 1,25,000.00") {
			t.Fatalf("print in English: %d", code)
		}
		code, page = get("/incidents/stats?fy=2082/83")
		if code != 200 || !strings.Contains(page, "वडागत विवरण") || !strings.Contains(page, "आर्थिक वर्षअनुसार") || !strings.Contains(page, "रु. १,२५,०००.००") {
			t.Fatalf("stats page: %d", code)
		}
		// Edit: refused while locked; after unlocking the form is prefilled, and saving locks again.
		if code, _ := get(detailPath + "/edit"); code != http.StatusForbidden {
			t.Fatalf("edit form of a locked record: %d", code)
		}
		e.setUnlockKey()
		e.unlockIncident("1")
		code, page = get(detailPath + "/edit")
		if code != 200 || !strings.Contains(page, `name="version" value="1"`) || !strings.Contains(page, `value="12"`) {
			t.Fatalf("edit form: %d", code)
		}
		form.Set("version", "1")
		form.Set("tole", "सेरालागाउँ")
		if w := e.do(req{method: "POST", path: detailPath, cookies: cookies, body: form.Encode()}); w.Code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "POST", path: detailPath, cookies: cookies, body: form.Encode()}); w.Code != http.StatusForbidden {
			t.Fatalf("update of the locked record again: %d", w.Code)
		}
		e.unlockIncident("1")
		if w := e.do(req{method: "POST", path: detailPath, cookies: cookies, body: form.Encode()}); w.Code != http.StatusConflict {
			t.Fatalf("stale form: %d", w.Code)
		}
		if w := e.do(req{method: "POST", path: detailPath + "/delete", cookies: cookies, body: url.Values{"csrf_token": {csrf}}.Encode()}); w.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", w.Code)
		}
		// A viewer reads but is offered no writing.
		vc, _ := e.login("viewer1")
		w = e.do(req{method: "GET", path: "/incidents", cookies: vc})
		if w.Code != 200 || strings.Contains(w.Body.String(), "/incidents/new") {
			t.Fatalf("viewer list: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/incidents/new", cookies: vc}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer new form: %d", w.Code)
		}
	})
}

func TestIncidentExports(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		for _, b := range []string{
			incidentBody,
			strings.NewReplacer(`"ward":3`, `"ward":5`, `"बिष्खेत"`, `"=HYPERLINK(\"http://x\")"`, `"latitude":29.4512,"longitude":81.0123,`, ``).Replace(incidentBody),
		} {
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: b, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body.String())
			}
		}
		w := e.do(req{method: "GET", path: "/incidents/export.csv", token: viewer, header: map[string]string{"Accept-Language": "ne"}})
		body := w.Body.Bytes()
		if w.Code != 200 || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) ||
			!strings.Contains(w.Header().Get("Content-Disposition"), `filename="incidents-2082-10-15.csv"`) {
			t.Fatalf("csv: %d %v %q", w.Code, w.Header(), body[:min(len(body), 20)])
		}
		rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("csv rows: %v %d", err, len(rows))
		}
		head, newest, older := rows[0], rows[1], rows[2]
		col := func(name string) int {
			for i, f := range exportFields {
				if f == name {
					return i
				}
			}
			t.Fatalf("no column %s", name)
			return 0
		}
		if len(head) != len(exportFields) || head[col("date_bs")] != "मिति (वि.सं.)" || head[col("deaths_female")] != "मृत्यु — महिला" {
			t.Fatalf("Nepali headers: %v", head)
		}
		if older[col("tole")] != "बिष्खेत" || older[col("date_bs")] != "2082-10-15" || older[col("date_ad")] != "2026-01-29" ||
			older[col("type")] != "पहिरो" || older[col("type_key")] != "landslide" || older[col("deaths")] != "2" ||
			older[col("estimated_loss")] != "125000.50" || older[col("road_blocked")] != "1" || older[col("latitude")] != "29.4512" ||
			older[col("created_at")] != "2026-01-29T15:45:00+05:45" {
			t.Errorf("csv row: %v", older)
		}
		if newest[col("tole")] != `'=HYPERLINK("http://x")` || newest[col("latitude")] != "" {
			t.Errorf("formula not neutralised or coordinates invented: %q %q", newest[col("tole")], newest[col("latitude")])
		}
		// English headers on request; the filter applies.
		w = e.do(req{method: "GET", path: "/api/v1/incidents/export.csv?lang=en&ward=5", token: viewer})
		rows = must.Get(csv.NewReader(bytes.NewReader(w.Body.Bytes()[3:])).ReadAll())(t)
		if w.Code != 200 || len(rows) != 2 || rows[0][col("date_bs")] != "Date (BS)" || rows[1][col("ward")] != "5" {
			t.Fatalf("filtered English csv: %d %v", w.Code, rows)
		}
		// An empty result is still a file with its header.
		w = e.do(req{method: "GET", path: "/incidents/export.csv?ward=9", token: viewer})
		if rows := must.Get(csv.NewReader(bytes.NewReader(w.Body.Bytes()[3:])).ReadAll())(t); w.Code != 200 || len(rows) != 1 {
			t.Fatalf("empty csv: %d %d", w.Code, len(rows))
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents/export.csv?fy=nonsense", token: viewer}); w.Code != http.StatusBadRequest {
			t.Fatalf("bad filter: %d", w.Code)
		}
		// XLSX: a real workbook with the same content.
		w = e.do(req{method: "GET", path: "/incidents/export.xlsx?lang=en", token: viewer})
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Fatalf("xlsx: %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		book, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		sheet := book.GetSheetName(0)
		xrows, err := book.GetRows(sheet)
		if err != nil || len(xrows) != 3 || sheet != "Incidents" {
			t.Fatalf("xlsx rows: %v %d %q", err, len(xrows), sheet)
		}
		if xrows[0][col("houses_destroyed")] != "Houses fully destroyed" || xrows[2][col("tole")] != "बिष्खेत" || xrows[2][col("deaths")] != "2" ||
			xrows[1][col("tole")] != `=HYPERLINK("http://x")` {
			t.Errorf("xlsx content: %v", xrows)
		}
		if f := must.Get(book.GetCellFormula(sheet, "I2"))(t); f != "" {
			t.Errorf("text became a formula: %q", f)
		}
		if v := must.Get(book.GetCellValue(sheet, cellName(t, col("estimated_loss"), 3), excelize.Options{RawCellValue: true}))(t); v != "125000.5" {
			t.Errorf("loss cell: %q", v)
		}
	})
}

func cellName(t testing.TB, col, row int) string {
	return must.Get(excelize.CoordinatesToCellName(col+1, row))(t)
}
