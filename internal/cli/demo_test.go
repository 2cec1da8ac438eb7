package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/must"
)

func TestDemoIncidents(t *testing.T) {
	in := newInstance(t)
	if code, _, errs := in.run("", "demo"); code != 2 || !strings.Contains(errs, "--incidents") {
		t.Fatalf("demo without a count: %d %s", code, errs)
	}
	code, out, errs := in.run("", "demo", "--incidents", "120", "--seed", "7")
	if code != 0 || !strings.Contains(out, "created 120 demo incidents") || !strings.Contains(errs, "120 of 120") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	db, err := sql.Open("sqlite", filepath.Join(in.dir, "data", "leoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var incidents, logs, stats, years, outside int
	must.OK(t, db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT fiscal_year) FROM incidents WHERE created_by = 'demo' AND locked").Scan(&incidents, &years))
	must.OK(t, db.QueryRow("SELECT COUNT(*) FROM event_logs WHERE type = 'incident_report' AND incident_id IS NOT NULL").Scan(&logs))
	must.OK(t, db.QueryRow("SELECT SUM(incidents) FROM incident_stats").Scan(&stats))
	// Coordinates stay inside Thalara's bounding box.
	must.OK(t, db.QueryRow(`SELECT COUNT(*) FROM incidents WHERE latitude IS NOT NULL AND
		(latitude NOT BETWEEN 29.3974 AND 29.5048 OR longitude NOT BETWEEN 80.9092 AND 81.1334)`).Scan(&outside))
	var beneficiaries, sitreps, advisories int
	must.OK(t, db.QueryRow("SELECT COUNT(*) FROM beneficiaries").Scan(&beneficiaries))
	must.OK(t, db.QueryRow("SELECT COUNT(*) FROM situation_reports").Scan(&sitreps))
	must.OK(t, db.QueryRow("SELECT COUNT(*) FROM advisories").Scan(&advisories))
	if beneficiaries == 0 || sitreps == 0 || advisories == 0 {
		t.Errorf("demo left registers empty: %d beneficiaries, %d situation reports, %d advisories", beneficiaries, sitreps, advisories)
	}
	if incidents != 120 || logs != 120 || stats != 120 || years < 3 || outside != 0 {
		t.Fatalf("demo data: %d incidents over %d fiscal years, %d log entries, %d in the statistics, %d outside the box",
			incidents, years, logs, stats, outside)
	}
	if code, out, _ := in.run("", "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit after demo: %d %s", code, out)
	}
	prod := newInstance(t, "LEOC_ENV=production", "LEOC_BASE_URL=https://leoc.thalara.gov.np", "LEOC_SECRET_KEY=f54c5eb1cd86c16ee9e58b7d26959cce16eacb1b433eaf6ad11460e9cdbe1cee")
	if code, _, errs := prod.run("", "demo", "--incidents", "5"); code != 1 || !strings.Contains(errs, "production") {
		t.Fatalf("demo in production: %d %s", code, errs)
	}
}
