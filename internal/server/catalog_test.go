package server

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"leoc/internal/files"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// TestEveryMessageKeyExists scans the templates and the Go sources for
// catalog keys and checks both catalogs have each: a missing key would show
// up as "user.saved" on a clerk's screen.
func TestEveryMessageKeyExists(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	tpl := regexp.MustCompile(`\.T "([a-z_]+\.[a-z_.]+)"`)
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		for _, m := range tpl.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Go code: leoc.M("key"…), Errorf(code, "key"…), v.Add(field, "key"…),
	// v.Check(cond, field, "key"…), setFlash(w, kind, "key"), T(lang, "key"…).
	goKey := regexp.MustCompile(`(?:\bM|Errorf|\.Add|\.Check|setFlash|\.T|fail)\([^"\n]*?"([a-z_]+\.[a-z_.]+)"`)
	for _, dir := range []string{".", "../store", "../leoc"} {
		files := must.Get(filepath.Glob(filepath.Join(dir, "*.go")))(t)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
				if !strings.HasSuffix(m[1], ".") { // a prefix completed at run time, checked below
					keys[m[1]] = f
				}
			}
		}
	}
	// Keys built at run time.
	for _, t := range leoc.EventLogTypes {
		keys["eventlog.type."+t] = "event log types"
	}
	for _, t := range leoc.EventLogStatuses {
		keys["eventlog.status."+t] = "event log statuses"
	}
	for _, t := range leoc.AdvisoryTypes {
		keys["advisory.type."+t] = "advisory types"
	}
	for _, p := range leoc.AdvisoryPriorities {
		keys["advisory.priority."+p] = "advisory priorities"
	}
	for _, st := range advisoryStates {
		keys["advisory.state."+st] = "advisory states"
	}
	for _, names := range [][]string{exportFields, groupColumns, leoc.IncidentCountNames(), leoc.IncidentFlagNames(), {"incidents", "livestock_injured"}} {
		for _, n := range names {
			keys["incident.f."+n] = "incident fields"
		}
	}
	for _, k := range leoc.LivestockKinds {
		keys["incident.kind."+k] = "livestock kinds"
	}
	for _, g := range leoc.Genders {
		keys["beneficiary.gender."+g] = "beneficiary genders"
	}
	for _, f := range []string{"name", "id_number", "tole", "phone", "latitude", "longitude", "bank_account_holder", "bank_account_number", "bank_name"} {
		keys["beneficiary."+f] = "beneficiary_form.html (dict2)"
	}
	for _, r := range files.Reasons {
		keys["file."+r] = "files.Reasons"
	}
	for _, k := range files.Kinds {
		keys["file.kind."+k] = "files.Kinds"
	}
	for _, n := range distributionExportFields {
		keys["distribution.f."+n] = "distribution export fields"
	}
	for prefix, names := range map[string][]string{"distribution.sex.": leoc.Sexes, "distribution.severity.": leoc.HarmSeverities,
		"distribution.status.": leoc.DistributionStatuses, "distribution.warning.": {"phone", "name"}, "fund.": leoc.FundKinds} {
		for _, n := range names {
			keys[prefix+n] = "distribution choices"
		}
	}
	for _, r := range leoc.Roles {
		keys["role."+string(r)] = "roles"
	}
	for _, l := range store.Lists {
		keys["list."+l] = "lists"
	}
	for _, k := range []string{"municipality_ne", "municipality_en", "office_ne", "office_en", "address_ne", "address_en", "leoc_name_ne", "leoc_name_en"} {
		keys["settings."+k] = "settings"
	}
	for _, k := range []string{"password.too_short", "password.too_long", "password.contains_username", "password.too_common", "password.too_simple", "password.invalid"} {
		keys[k] = "leoc.CheckPassword"
	}
	if len(keys) < 120 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for k, where := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s (used in %s) is missing from the %s catalog", k, where, lang)
			}
		}
	}
}
