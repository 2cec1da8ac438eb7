package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"leoc/internal/leoc"
	"leoc/internal/xlsx"
)

// TestExportsHoldExactAmounts: every register's XLSX export holds each
// amount as the exact rupees (the digits of the CSV, no float rounding),
// formatted with lakh/crore grouping, for amounts a float64 conversion or a
// careless reader would spoil.
func TestExportsHoldExactAmounts(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, finance, viewer := e.tokens[leoc.RoleOfficer], e.tokens["finance"], e.tokens[leoc.RoleViewer]
		losses := []struct{ input, csv, cell string }{
			{"0.07", "0.07", "0.07"},
			{"12,34,567.89", "1234567.89", "1234567.89"},
			{(leoc.MaxIncidentLoss - 1).String(), "99999999999.99", "99999999999.99"},
			{leoc.MaxIncidentLoss.English(), "100000000000.00", "100000000000"},
		}
		for _, l := range losses {
			body := strings.Replace(incidentBody, `"1,25,000.50"`, `"`+l.input+`"`, 1)
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("incident with loss %s: %d %s", l.input, w.Code, w.Body)
			}
		}
		income := `{"kind":"income","amount":"12,34,567.96","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`
		if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: finance}); w.Code != http.StatusCreated {
			t.Fatalf("income: %d %s", w.Code, w.Body)
		}
		cash := losses[:2]
		for i, c := range cash {
			body := strings.NewReplacer(`"1500.50"`, `"`+c.input+`"`, "12-34/567", "EXACT-"+string(rune('A'+i))).Replace(distributionBody)
			if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("distribution with cash %s: %d %s", c.input, w.Code, w.Body)
			}
		}
		for _, x := range []struct {
			path, header string
			want         []struct{ input, csv, cell string }
		}{
			{"/api/v1/incidents/export", "incident.f.estimated_loss", losses},
			{"/api/v1/distributions/export", "distribution.f.cash", cash},
		} {
			w := e.do(req{method: "GET", path: x.path + ".csv?lang=en", token: viewer})
			rows, err := csv.NewReader(bytes.NewReader(w.Body.Bytes()[3:])).ReadAll()
			if err != nil || w.Code != http.StatusOK {
				t.Fatalf("%s.csv: %d %v", x.path, w.Code, err)
			}
			col := slices.Index(rows[0], e.s.cat.T("en", x.header))
			if col < 0 || len(rows) != 1+len(x.want) {
				t.Fatalf("%s: no %s column or not %d rows in %v", x.path, x.header, len(x.want), rows)
			}
			var csvAmounts []string
			for _, r := range rows[1:] {
				csvAmounts = append(csvAmounts, r[col])
			}
			w = e.do(req{method: "GET", path: x.path + ".xlsx?lang=en", token: viewer})
			book, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil || w.Code != http.StatusOK {
				t.Fatalf("%s.xlsx: %d %v", x.path, w.Code, err)
			}
			sheet := book.GetSheetName(0)
			var cells []string
			for row := 2; row < 2+len(x.want); row++ {
				name := cellName(t, col, row)
				v, err := book.GetCellValue(sheet, name, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				cells = append(cells, v)
				id, err := book.GetCellStyle(sheet, name)
				if err != nil {
					t.Fatal(err)
				}
				if st, err := book.GetStyle(id); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != xlsx.LakhFormat {
					t.Errorf("%s %s: number format %v; want lakh/crore grouping", x.path, name, err)
				}
			}
			book.Close()
			// Exports list the newest first.
			for i, want := range x.want {
				j := len(x.want) - 1 - i
				if csvAmounts[j] != want.csv || cells[j] != want.cell {
					t.Errorf("%s: %s exported as %q (CSV) and %q (XLSX); want %q and %q", x.path, want.input, csvAmounts[j], cells[j], want.csv, want.cell)
				}
			}
		}
	})
}
