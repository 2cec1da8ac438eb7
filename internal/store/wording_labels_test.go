package store_test

import (
	"strings"
	"testing"

	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestWordingLabelsMigration: the migration that brings seeded labels in
// line with docs/glossary.md changes a label only while it is still the old
// seeded default; a label the municipality renamed stays as they wrote it.
// (The old state is written through today's store and the migration's SQL
// run again, so the test does not depend on where the lead numbers it.)
func TestWordingLabelsMigration(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := storetest.Open(t, b)
			ms, err := store.Migrations(s.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			var sql string
			for _, m := range ms {
				if strings.HasSuffix(m.Name, "_wording_labels") {
					sql = m.SQL
				}
			}
			if sql == "" {
				t.Fatal("no wording_labels migration")
			}
			// A fresh database is seeded with the new labels already.
			vals, _ := s.ListValues(ctx, store.ListAllowanceType)
			if l := labelOf(vals, "full_disability"); l != "पूर्ण अशक्त अपाङ्गता" {
				t.Fatalf("seeded label %q", l)
			}
			if st, _ := s.Settings(ctx); st.LeocNameNe != "स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र" {
				t.Fatalf("seeded centre name %q", st.LeocNameNe)
			}
			// An older database: one default left as seeded, one renamed.
			for _, q := range []string{
				"UPDATE list_values SET label_ne = 'पूर्ण अपाङ्गता', label_en = 'Full disability' WHERE key = 'full_disability'",
				"UPDATE list_values SET label_en = 'Blue card holders' WHERE key = 'severe_disability'",
				"UPDATE settings SET value = 'स्थानीय आपतकालीन कार्य सञ्चालन केन्द्र' WHERE key = 'leoc_name_ne'",
				sql,
			} {
				if err := s.ExecForTest(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			vals, _ = s.ListValues(ctx, store.ListAllowanceType)
			for key, want := range map[string]string{"full_disability": "पूर्ण अशक्त अपाङ्गता|Full (red card) disability",
				"severe_disability": "अति अशक्त अपाङ्गता|Blue card holders"} {
				for _, v := range vals {
					if v.Key == key && v.LabelNe+"|"+v.LabelEn != want {
						t.Errorf("%s: %s|%s, want %s", key, v.LabelNe, v.LabelEn, want)
					}
				}
			}
			if st, _ := s.Settings(ctx); st.LeocNameNe != "स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र" {
				t.Errorf("centre name after the migration: %q", st.LeocNameNe)
			}
		})
	}
}

func labelOf(vals []store.ListValue, key string) string {
	for _, v := range vals {
		if v.Key == key {
			return v.LabelNe
		}
	}
	return ""
}
