package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// TestEveryAuditActionHasALabel finds every action code the program writes
// to the audit trail (the action argument of Audit, followed through the
// helpers that pass it on) and fails when one is missing from auditActions
// or from either catalog: the audit page would show "record.update" instead
// of "अभिलेख परिवर्तन गरियो".
func TestEveryAuditActionHasALabel(t *testing.T) {
	codes := auditActionCodes(t, "..")
	if len(codes) < 10 {
		t.Fatalf("found only %d action codes: the source walk is broken", len(codes))
	}
	for code, where := range codes {
		if !slices.Contains(auditActions, code) {
			t.Errorf("%s writes audit action %q, which auditActions (audit_view.go) does not list", where, code)
		}
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range auditActions {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, "audit.action."+a) {
				t.Errorf("catalog %s lacks audit.action.%s", lang, a)
			}
		}
	}
}

// auditSink is a function whose argument at index arg is an audit action.
type auditSink struct {
	name string
	arg  int
}

// auditActionCodes walks the non-test Go files under root. A call to a sink
// with a string literal gives a code; with a local variable, the literals
// assigned to it in the function; with a parameter of the enclosing
// function, that function becomes a sink too. Anything else fails the test,
// so a new way of passing actions cannot slip past.
func auditActionCodes(t *testing.T, root string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	sinks := []auditSink{{"Audit", 2}}
	seen := map[auditSink]bool{}
	for len(sinks) > 0 {
		sink := sinks[0]
		sinks = sinks[1:]
		if seen[sink] {
			continue
		}
		seen[sink] = true
		for _, f := range files {
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || calleeName(call) != sink.name || len(call.Args) <= sink.arg {
						return true
					}
					pos := fset.Position(call.Pos()).String()
					switch a := call.Args[sink.arg].(type) {
					case *ast.BasicLit:
						if s, err := strconv.Unquote(a.Value); err == nil {
							codes[s] = pos
						}
					case *ast.Ident:
						if i := paramIndex(fn, a.Name); i >= 0 {
							sinks = append(sinks, auditSink{fn.Name.Name, i})
							return true
						}
						found := false
						ast.Inspect(fn.Body, func(n ast.Node) bool {
							as, ok := n.(*ast.AssignStmt)
							if !ok {
								return true
							}
							for i, l := range as.Lhs {
								if id, ok := l.(*ast.Ident); ok && id.Name == a.Name && i < len(as.Rhs) {
									if lit, ok := as.Rhs[i].(*ast.BasicLit); ok {
										if s, err := strconv.Unquote(lit.Value); err == nil {
											codes[s] = pos
											found = true
										}
									}
								}
							}
							return true
						})
						if !found {
							t.Errorf("%s: cannot tell which audit action %s holds", pos, a.Name)
						}
					default:
						t.Errorf("%s: audit action is not a literal or a variable", pos)
					}
					return true
				})
			}
		}
	}
	return codes
}

func calleeName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return -1
}

// TestAuditFieldLabels: every field a register writes to the trail has a
// label in both catalogs, so a change reads "Tole: … → …", never "tole".
func TestAuditFieldLabels(t *testing.T) {
	e := newEnv(t, backendSQLite())
	inc := &leoc.Incident{Coords: &leoc.Coordinates{}}
	records := map[string]map[string]any{
		"incidents": inc.Fields(), "distributions": (&leoc.Distribution{Coords: &leoc.Coordinates{}}).Fields(),
		"funds": (&leoc.FundTransaction{}).Fields(), "event-logs": (&leoc.EventLog{}).Fields(),
		"situation-reports": (&leoc.SituationReport{}).Fields(), "advisories": (&leoc.Advisory{}).Fields(),
		"beneficiaries":   (&leoc.Beneficiary{}).Fields(),
		"inventory_items": (&leoc.InventoryItem{}).Fields(), "warehouses": (&leoc.Warehouse{Coords: &leoc.Coordinates{}}).Fields(),
	}
	for reg, fields := range records {
		if _, ok := e.st.Register(reg); !ok {
			t.Errorf("%s is not a register", reg)
		}
		for name := range fields {
			for _, lang := range i18n.Languages {
				if got := e.s.auditFieldLabel(lang, reg, name); got == name {
					t.Errorf("%s field %q has no label in %s", reg, name, lang)
				}
			}
		}
	}
}

// TestAuditPage: a correction reads as the action in the reader's language,
// each changed field as label: old → new, with a link to the record; the
// filters narrow the list and the page is cut into pages.
func TestAuditPage(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		e.setUnlockKey()
		e.unlockIncident("1")
		put := strings.Replace(incidentBody, `"tole":"बिष्खेत"`, `"tole":"Kholi","version":1`, 1)
		if w := e.do(req{method: "PUT", path: "/api/v1/incidents/1", token: officer, body: put}); w.Code != 200 {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		cookies, _ := e.login("admin1")
		get := func(path, lang string) (int, string) {
			t.Helper()
			w := e.do(req{method: "GET", path: path, cookies: cookies, header: map[string]string{"Accept-Language": lang}})
			return w.Code, w.Body.String()
		}
		code, page := get("/audit?action=record.update", "ne")
		for _, want := range []string{"अभिलेख परिवर्तन गरियो", "टोल", "<del>बिष्खेत</del> → <ins>Kholi</ins>", `href="/incidents/1"`, "गतिविधि अभिलेख"} {
			if !strings.Contains(page, want) {
				t.Errorf("Nepali audit page lacks %q", want)
			}
		}
		if code != 200 || strings.Contains(page, "<code>record.update") || strings.Contains(page, `data-action="record.create"`) {
			t.Fatalf("Nepali audit page: %d (the action filter must leave out the creation)", code)
		}
		// English, and the creation folded with its fields.
		_, page = get("/audit?entity=incidents&username=officer1", "en")
		for _, want := range []string{"Record changed", "Record entered", "Record unlocked", "Tole:", "<details class=\"audit-fields\">"} {
			if !strings.Contains(page, want) {
				t.Errorf("English audit page lacks %q", want)
			}
		}
		if strings.Contains(page, `data-action="login.success"`) {
			t.Errorf("register filter let a login through")
		}
		// Pages: 30 failed logins make two pages of 25.
		for range 30 {
			if err := e.st.Audit(t.Context(), store.Actor{Username: "nobody"}, "login.failure", "user", "", nil); err != nil {
				t.Fatal(err)
			}
		}
		code, page = get("/audit?action=login.failure", "en")
		if code != 200 || strings.Count(page, "Login failed</span>") != 25 || !strings.Contains(page, `rel="next"`) || !strings.Contains(page, "page=2") {
			t.Fatalf("first page: %d, %d rows", code, strings.Count(page, "Login failed</span>"))
		}
		if _, page = get("/audit?action=login.failure&page=2", "en"); strings.Count(page, "Login failed</span>") != 5 {
			t.Fatalf("second page: %d rows", strings.Count(page, "Login failed</span>"))
		}
	})
}
