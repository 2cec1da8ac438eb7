package legacy_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/files"
	"leoc/internal/i18n"
	"leoc/internal/legacy"
	"leoc/internal/legacy/legacytest"
	"leoc/internal/leoc"
	"leoc/internal/sharedtest"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

var ctx = context.Background()

func fixture(t testing.TB) string { return sharedtest.Fixture(t, "legacy-leoc.db") }

// counts are the rows of every table the import writes, so a test can say
// "nothing was written" by comparing them.
func counts(t testing.TB, st *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"incidents", "event_logs", "distributions", "distribution_members", "distribution_items",
		"fund_transactions", "situation_reports", "advisories", "beneficiaries", "sitrep_numbers", "legacy_imports",
		"list_values", "audit_log", "attachments"} {
		var n int
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func importInto(t testing.TB, st *store.Store, opts legacy.Options) *legacy.Report {
	t.Helper()
	rep, err := legacy.Import(ctx, st, bs.Default(), opts)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func tableCount(rep *legacy.Report, table string) legacy.TableCount {
	for _, c := range rep.Tables {
		if c.Table == table {
			return *c
		}
	}
	return legacy.TableCount{}
}

func TestImportFixture(t *testing.T) {
	path := fixture(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := storetest.Open(t, b)
			rep := importInto(t, st, legacy.Options{From: path})

			t.Run("counts", func(t *testing.T) {
				want := map[string]int{"disaster": 4, "event_log": 10, "situation_report": 6, "public_information": 5,
					"relief_distribution": 2, "fund_transaction": 5, "daily_report_log": 7, "app_settings": 3}
				for table, n := range want {
					if got := tableCount(rep, table); got.Imported != n || got.Skipped != 0 {
						t.Errorf("%s: %+v, want %d imported", table, got, n)
					}
				}
				c := counts(t, st)
				if c["incidents"] != 4 || c["distributions"] != 2 || c["situation_reports"] != 6 || c["advisories"] != 5 {
					t.Errorf("rows %v", c)
				}
				// The old log's ten entries, and no new entry for the four incidents.
				if c["event_logs"] != 10 {
					t.Errorf("event_logs = %d, want the 10 old entries and no new ones", c["event_logs"])
				}
				if got := tableCount(rep, "inventory_item"); got.Read != 8 || len(rep.NotImported) != 2 {
					t.Errorf("inventory %+v, not imported %+v", got, rep.NotImported)
				}
			})

			t.Run("incident values and recomputed dates", func(t *testing.T) {
				incs, _, err := st.Incidents(ctx, store.RecordFilter{Sort: "date", Asc: true, PerPage: 10})
				if err != nil {
					t.Fatal(err)
				}
				var windstorm, fire *leoc.Incident
				for _, inc := range incs {
					switch inc.DateBS.String() {
					case "2082-10-15":
						windstorm = inc
					case "2082-09-20":
						fire = inc
					}
				}
				if windstorm == nil || fire == nil {
					t.Fatalf("incidents %v", incs)
				}
				if windstorm.Type != "windstorm" || windstorm.Tole != "बिष्खेत" || windstorm.Description != "हावाहुरी चलेकोले रुख ढल्न सक्ने" ||
					windstorm.EstimatedLoss != leoc.Rupees(520000) || windstorm.Counts[leoc.LivestockLostCattle] != 6 ||
					windstorm.AgricultureDamage != "अन्न बाली सबै नष्ट" || !windstorm.Flags[leoc.ElectricityCut] {
					t.Errorf("windstorm %+v", windstorm)
				}
				// The old converter said 2026-01-05; our calendar says 2082-09-20 is 2026-01-04.
				if got := fire.DateAD.Format(time.DateOnly); got != "2026-01-04" {
					t.Errorf("AD date %s, want 2026-01-04 (recomputed)", got)
				}
				ws := rep.WarningsOf(legacy.WarnADDate)
				if len(ws) != 1 || ws[0].LegacyID != "5" || ws[0].Table != "disaster" {
					t.Errorf("AD warnings %+v, want one for disaster #5", ws)
				}
				if fire.FiscalYear.Start != 2082 {
					t.Errorf("fiscal year %v", fire.FiscalYear)
				}
				created := time.Date(2026, 2, 2, 6, 31, 33, 863040000, time.UTC)
				if !windstorm.CreatedAt.Equal(created) {
					t.Errorf("created %v, want the old %v", windstorm.CreatedAt, created)
				}
				if windstorm.Locked {
					t.Error("disaster #1 was not locked in the old system and must stay open")
				}
			})

			t.Run("distribution values", func(t *testing.T) {
				ds, _, err := st.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{PerPage: 10}})
				if err != nil {
					t.Fatal(err)
				}
				var sita, ram *leoc.Distribution
				for _, d := range ds {
					full, err := st.Distribution(ctx, d.ID)
					if err != nil {
						t.Fatal(err)
					}
					switch d.HouseholdID {
					case "2513":
						sita = full
					case "६२१":
						ram = full
					}
				}
				if sita == nil || ram == nil {
					t.Fatalf("distributions %v", ds)
				}
				if sita.Cash != leoc.Rupees(25000) || sita.DateBS.String() != "2082-10-19" || sita.DisasterType != "fire" {
					t.Errorf("sita %+v", sita)
				}
				if len(sita.Members) != 2 || sita.Members[0].Name != "गीता रावल" || sita.Members[0].Sex != "female" || sita.Members[0].Age != 52 {
					t.Errorf("members %+v", sita.Members)
				}
				if len(sita.Harms) != 1 || sita.Harms[0].Member != "कब" || sita.Harms[0].Harm != "मधत्रभ" || sita.Harms[0].Severity != "serious" {
					t.Errorf("harms %+v", sita.Harms)
				}
				if len(sita.Items) != 3 || sita.Items[0].Item != "tarpaulin" || sita.Items[2].Item != "cooking_oil" || sita.Items[2].Quantity != 3 {
					t.Errorf("items %+v", sita.Items)
				}
				if ram.HouseholdName != "राम बहादुर थापा" || ram.Cash != leoc.Rupees(4500) || ram.AllowanceType != "severe_disability" ||
					ram.DisasterDate.String() != "2082-03-24" || !ram.Locked {
					t.Errorf("ram %+v", ram)
				}
				if !strings.Contains(ram.Notes, "पुरुष ३, महिला १, बालबालिका १") {
					t.Errorf("notes %q: the old head counts must be kept", ram.Notes)
				}
			})

			t.Run("fund balance to the paisa", func(t *testing.T) {
				want := leoc.Rupees(25000000 - 50000000 + 1000000 + 50000000 - 25000)
				bal, err := st.FundBalance(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if bal != want || rep.OldBalance != want || rep.NewBalance != want {
					t.Errorf("balance %s, report old %s new %s, want %s", bal, rep.OldBalance, rep.NewBalance, want)
				}
				if err := st.VerifyFundBalance(ctx); err != nil {
					t.Errorf("verify: %v", err)
				}
				if ws := rep.WarningsOf(legacy.WarnCashNotInLedger); len(ws) != 1 || ws[0].LegacyID != "3" {
					t.Errorf("cash warnings %+v", ws)
				}
			})

			t.Run("sit-rep numbers continue", func(t *testing.T) {
				n, err := st.SitrepNumber(ctx, time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)) // 2082-10-19
				if err != nil || n != 2 {
					t.Errorf("2082-10-19 has number %d (%v), want 2", n, err)
				}
				day := bs.Date{Year: 2082, Month: 10, Day: 25}
				ad, _ := bs.Default().ToAD(day)
				next, err := st.ProduceBulletin(ctx, store.Actor{Username: "admin"}, store.BulletinRequest{From: day, To: day, FromAD: ad, ToAD: ad, Format: "html"})
				if err != nil || next != 8 {
					t.Errorf("next bulletin number %d (%v), want 8", next, err)
				}
			})

			t.Run("audited as imported", func(t *testing.T) {
				var n int
				if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'record.import' AND details LIKE '%\"legacy_table\":\"disaster\"%'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 4 {
					t.Errorf("%d import entries for disaster, want 4", n)
				}
				// The relief expenditure is named by its distribution's entry.
				err := st.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'record.import' AND entity = 'distributions'
					AND details LIKE '%"legacy_fund_transaction":"5"%' AND details LIKE '%"legacy_id":"4"%'`).Scan(&n)
				if err != nil || n != 1 {
					t.Errorf("%d import entries name relief_distribution #4 with fund_transaction #5 (%v)", n, err)
				}
			})

			t.Run("idempotent", func(t *testing.T) {
				before := counts(t, st)
				again := importInto(t, st, legacy.Options{From: path})
				after := counts(t, st)
				for k, v := range before {
					if k != "audit_log" && after[k] != v {
						t.Errorf("%s: %d rows after the second run, %d before", k, after[k], v)
					}
				}
				if after["audit_log"] != before["audit_log"] {
					t.Errorf("second run wrote %d audit entries", after["audit_log"]-before["audit_log"])
				}
				for _, c := range again.Tables {
					if c.Imported != 0 {
						t.Errorf("second run imported %+v", c)
					}
				}
				if bal, _ := st.FundBalance(ctx); bal != rep.OldBalance {
					t.Errorf("balance %s after the second run", bal)
				}
			})
		})
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	path := fixture(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := storetest.Open(t, b)
			before := counts(t, st)
			rep := importInto(t, st, legacy.Options{From: path, DryRun: true})
			if after := counts(t, st); !equal(before, after) {
				t.Errorf("dry run wrote: before %v after %v", before, after)
			}
			if !rep.DryRun || tableCount(rep, "disaster").Imported != 4 || rep.NewBalance != rep.OldBalance {
				t.Errorf("dry-run report %+v", rep)
			}
			// The same report as the real import, word for word but the first line.
			cat, err := i18n.Load()
			if err != nil {
				t.Fatal(err)
			}
			var dry, real strings.Builder
			if err := rep.Print(&dry, cat, "ne"); err != nil {
				t.Fatal(err)
			}
			if err := importInto(t, st, legacy.Options{From: path}).Print(&real, cat, "ne"); err != nil {
				t.Fatal(err)
			}
			if _, rest, _ := strings.Cut(dry.String(), "\n\n"); rest != real.String() {
				t.Errorf("dry run report differs:\n%s\n---\n%s", dry.String(), real.String())
			}
		})
	}
}

func equal(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestNotALegacyDatabase(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database at all\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	// A real SQLite database of something else: a new LEOC database.
	other := filepath.Join(dir, "leoc.db")
	otherStore, err := store.Open(ctx, "sqlite://"+other)
	if err != nil {
		t.Fatal(err)
	}
	otherStore.SetAuditKeys(storetest.AuditKeys(t))
	if _, err := otherStore.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	otherStore.Close()
	// A Flask database whose relief table lost a column.
	broken := filepath.Join(dir, "broken.db")
	if _, err := legacytest.Generate(ctx, broken, fixture(t), legacytest.Options{Distributions: 3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	dropColumn(t, broken, "relief_distribution", "cash_received")

	cases := map[string]struct{ path, want string }{
		"missing file":   {filepath.Join(dir, "nope.db"), "no such file"},
		"not sqlite":     {garbage, "cannot be read as SQLite"},
		"other database": {other, "has no table"},
		"missing column": {broken, "no column cash_received"},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := storetest.Open(t, b)
			before := counts(t, st)
			for name, c := range cases {
				t.Run(name, func(t *testing.T) {
					_, err := legacy.Import(ctx, st, bs.Default(), legacy.Options{From: c.path})
					if !errors.Is(err, legacy.ErrNotLegacy) || !strings.Contains(err.Error(), c.want) {
						t.Errorf("error %v, want ErrNotLegacy saying %q", err, c.want)
					}
					if after := counts(t, st); !equal(before, after) {
						t.Errorf("wrote: %v → %v", before, after)
					}
				})
			}
		})
	}
}

func dropColumn(t *testing.T, path, table, column string) {
	t.Helper()
	s, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetAuditKeys(storetest.AuditKeys(t))
	if err := s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, "ALTER TABLE "+table+" DROP COLUMN "+column)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// cancelAfter cancels the import when the progress shows table done: the
// tables after it fail, and nothing of the tables before may remain.
type cancelAfter struct {
	table  string
	cancel context.CancelFunc
}

func (c cancelAfter) Write(p []byte) (int, error) {
	if strings.HasPrefix(strings.TrimSpace(string(p)), c.table+" ") {
		c.cancel()
	}
	return len(p), nil
}

func TestFailedImportWritesNothing(t *testing.T) {
	path := fixture(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := storetest.Open(t, b)
			before := counts(t, st)
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			_, err := legacy.Import(cctx, st, bs.Default(), legacy.Options{From: path, Progress: cancelAfter{"event_log", cancel}})
			if err == nil {
				t.Fatal("import went on after its context was cancelled")
			}
			if after := counts(t, st); !equal(before, after) {
				t.Errorf("a failed import left rows: %v → %v", before, after)
			}
		})
	}
}

// TestFailedImportRemovesCopiedFiles: files copied for records that were
// rolled back are removed again, so no stored file is left without a row.
func TestFailedImportRemovesCopiedFiles(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old.db")
	if _, err := legacytest.Generate(ctx, old, fixture(t), legacytest.Options{Distributions: 3, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	uploads, stored := t.TempDir(), t.TempDir()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(uploads, "p.png"), img.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	setColumn(t, old, "UPDATE relief_distribution SET image_filename = 'p.png' WHERE id = 1")
	st := storetest.Open(t, storetest.Backends()[0])
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err := legacy.Import(cctx, st, bs.Default(), legacy.Options{From: old, Uploads: uploads, Files: files.Local{Dir: stored},
		Progress: cancelAfter{"relief_distribution", cancel}})
	if err == nil {
		t.Fatal("import went on after its context was cancelled")
	}
	var left []string
	filepath.WalkDir(stored, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Errorf("files left after the rollback: %v", left)
	}
	if c := counts(t, st); c["attachments"] != 0 || c["distributions"] != 0 {
		t.Errorf("rows left: %v", c)
	}
}

func setColumn(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}
