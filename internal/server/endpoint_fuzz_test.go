package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store/storetest"
)

// Every JSON create/update endpoint and every list filter, driven with
// generated values on SQLite and PostgreSQL: any 5xx fails. The endpoints
// come from the routes table, so a new register is driven as soon as its
// routes are registered. A write route with a known valid body (below) is
// mutated one field at a time, which reaches its domain validation and its
// SQL; one without is driven with a body derived from the 400 that {}
// gets (the fields it names), so it is covered too, if less deeply.
//
//	go test -run '^$' -fuzz FuzzEndpoints ./internal/server   (add LEOC_TEST_POSTGRES_URL for both)

// validBodies are known-good bodies of the JSON write routes, by pattern.
// Update routes use the create body plus a version.
var validBodies = map[string]string{
	"POST /api/v1/incidents":              incidentBody,
	"POST /api/v1/distributions":          distributionBody,
	"POST /api/v1/ssf-beneficiaries":      sitaJSON,
	"POST /api/v1/event-logs":             `{"date_bs":"2082-10-15","time":"14:30","type":"assessment","description":"Damage assessment in Kholi","location":"Kholi"}`,
	"POST /api/v1/situation-reports":      `{"date_bs":"2082-10-15","time":"18:00","summary":"Flood in Kholi","weather":"Heavy rain","detailed_report":"…","resources_deployed":"Police 20","next_update_bs":"२०८२-१०-१६","next_update_time":"08:00"}`,
	"POST /api/v1/advisories":             `{"title":"Heavy rain tonight","content":"Stay away from rivers.","type":"weather","priority":"high","valid_from":"2026-01-29T06:00:00+05:45","valid_until":"2026-01-31T00:00:00+05:45","wards":[3],"urgency":"Expected","severity":"Severe","certainty":"Likely","title_en":"Rain","content_en":"Stay away."}`,
	"POST /api/v1/funds/transactions":     `{"kind":"income","amount":"1000000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`,
	"POST /api/v1/users":                  `{"username":"fuzz.user","password":"fuzz-password-42","role":"officer","wards":[3],"display_name":"सीता"}`,
	"PUT /api/v1/users/{id}":              `{"display_name":"सीता","role":"officer","wards":[3],"lang":"ne"}`,
	"PUT /api/v1/settings":                `{"municipality_ne":"थलारा गाउँपालिका","municipality_en":"Thalara","office_ne":"का","office_en":"Office","address_ne":"बझाङ","address_en":"Bajhang","leoc_name_ne":"केन्द्र","leoc_name_en":"Centre"}`,
	"PUT /api/v1/wards/{number}":          `{"name_ne":"वडा नं. १०","name_en":"Ward 10"}`,
	"PUT /api/v1/lists/{list}/{key}":      `{"label_ne":"हिमपात","label_en":"Snowfall"}`,
	"POST /api/v1/{register}/{id}/unlock": `{"key":"the-unlock-key-77","reason":"fix a typo"}`,
	"POST /api/v1/inventory/items":        `{"code":"soap","name_ne":"साबुन","name_en":"Soap","category":"non_food","unit":"piece","min_stock":"10.5","distributable":true}`,
	"POST /api/v1/inventory/warehouses":   `{"code":"W3","name_ne":"वडा ३ भण्डार","name_en":"Ward 3 store","ward":3,"latitude":29.6,"longitude":81.2}`,
}

// filterNames are the query parameters list endpoints read (and a few they
// do not).
var filterNames = []string{"fy", "ward", "from", "to", "type", "q", "sort", "order", "page", "per_page", "incident",
	"kind", "active", "current", "priority", "allowance_type", "action", "username", "entity", "entity_id", "lang",
	"bs", "ad", "month", "year", "next", "status", "x"}

// nastyValues seed the generated values: control characters, broken UTF-8,
// numbers at and past every bound, dates outside the calendar, SQL and HTML
// metacharacters, huge text, look-alike digits and separators.
var nastyValues = []string{"", "\x00", "a\x00b", "\x01", "\u0085", "\xff\xfe", "\xc3", "'; DROP TABLE incidents; --", "%", "_",
	"\\", `"`, strings.Repeat("क", 3000), strings.Repeat("x", 20000), "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-1", "0", "1", "1e309", "NaN", "2082-13-40", "2082-04-32", "2000-01-01", "2090-12-30",
	"1900-01-01", "२०८२-१०-१५", "2082/83", "2082/84", "1,00,000.505", ".50", "  ", "\t", "\r\n", "true", "null",
	"<script>alert(1)</script>", "../../etc/passwd", "1.5", "99", "100", "101", "١٢٣", "ａｂｃ", "\u200b", "\u202e",
	"99999999999999999999999999", "24:00", "23:59:60", "2026-01-29T06:00:00Z", "0001-01-01T00:00:00Z",
	"9999-12-31T23:59:59Z", "desc", "asc", "date", "1,2,3", "१", "income", "expenditure", "admin", "officer"}

// oddJSON are JSON fragments a field may be given instead of its value.
var oddJSON = []string{`null`, `[]`, `{}`, `[[]]`, `{"a":{"b":[1]}}`, `1e400`, `-0`, `9223372036854775808`,
	`-9223372036854775809`, `0.000000000000000000001`, `true`, `"\u0000"`, `"\ud800"`, `[1,2,3]`, `""`}

// fuzzTarget is one endpoint of the routes table with what it is driven by.
type fuzzTarget struct {
	method, pattern string
	body            map[string]json.RawMessage // the template of a JSON write; nil for GETs and uploads
	upload          bool
}

func (ft fuzzTarget) String() string { return ft.method + " " + ft.pattern }

// fuzzEnv is one backend with a record in every register and the targets.
type fuzzEnv struct {
	e       *testEnv
	admin   string
	limited string
	targets []fuzzTarget
}

// fuzzTargets lists, from the routes table, the JSON writes under /api/ and
// every GET (lists, pages, exports, statistics).
func fuzzTargets(t testing.TB, e *testEnv) []fuzzTarget {
	var out []fuzzTarget
	for _, rt := range e.s.routes {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		switch {
		case strings.HasPrefix(pattern, "/static/") || strings.HasPrefix(pattern, "/debug/") || strings.Contains(pattern, "test-"):
		case method == http.MethodGet:
			out = append(out, fuzzTarget{method: method, pattern: pattern})
		case (method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch) && strings.HasPrefix(pattern, "/api/"):
			ft := fuzzTarget{method: method, pattern: pattern, upload: strings.HasSuffix(pattern, "/files")}
			if !ft.upload {
				ft.body = templateFor(t, e, rt.pattern)
			}
			out = append(out, ft)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// templateFor is the known valid body of a write route, or one derived
// from the fields a {} body is refused for.
func templateFor(t testing.TB, e *testEnv, pattern string) map[string]json.RawMessage {
	raw, ok := validBodies[pattern]
	if !ok && strings.HasPrefix(pattern, "PUT ") {
		create := strings.Replace(strings.TrimSuffix(pattern, "/{id}"), "PUT ", "POST ", 1)
		if b, ok2 := validBodies[create]; ok2 {
			raw, ok = strings.TrimSuffix(b, "}")+`,"version":1}`, true
		}
	}
	m := map[string]json.RawMessage{}
	if ok {
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("template of %s: %v", pattern, err)
		}
		return m
	}
	method, path, _ := strings.Cut(pattern, " ")
	w := e.do(req{method: method, path: fillPath(path, ""), body: "{}", token: e.tokens[leoc.RoleAdmin]})
	var answer apiError
	must.OK(t, json.Unmarshal(w.Body.Bytes(), &answer))
	for name := range answer.Error.Fields {
		m[name] = json.RawMessage(`"x"`)
	}
	t.Logf("%s has no known valid body; driven with the fields its 400 names: %v", pattern, slices.Sorted(mapKeys(m)))
	return m
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// fillPath puts a value in every wildcard: the record every register has
// (id 1), ward 1, a real list and register, or the generated value.
func fillPath(pattern, value string) string {
	def := map[string]string{"{id}": "1", "{number}": "1", "{list}": "disaster_type", "{key}": "fuzzkey", "{register}": "incidents"}
	for w, d := range def {
		v := d
		if value != "" {
			v = url.PathEscape(value)
		}
		pattern = strings.ReplaceAll(pattern, w, v)
	}
	return pattern
}

func newFuzzEnv(t testing.TB, b storetest.Backend) *fuzzEnv {
	e := newEnv(t, b)
	fe := &fuzzEnv{e: e, admin: e.tokens[leoc.RoleAdmin], limited: e.limitedUser("ward3.officer", 3)}
	e.setUnlockKey()
	// One record in every register, money in the fund first.
	for _, p := range []string{"POST /api/v1/funds/transactions", "POST /api/v1/incidents", "POST /api/v1/distributions",
		"POST /api/v1/ssf-beneficiaries", "POST /api/v1/event-logs", "POST /api/v1/situation-reports", "POST /api/v1/advisories"} {
		method, path, _ := strings.Cut(p, " ")
		if w := e.do(req{method: method, path: path, body: validBodies[p], token: fe.admin}); w.Code != http.StatusCreated {
			t.Fatalf("fixture %s: %d %s", p, w.Code, w.Body.String())
		}
	}
	fe.targets = fuzzTargets(t, e)
	return fe
}

// fuzzCase is one generated request.
type fuzzCase struct {
	target      int
	field, mode uint8
	value       string
	raw         []byte
}

// build turns a case into a request.
func (fe *fuzzEnv) build(c fuzzCase) (*http.Request, fuzzTarget) {
	ft := fe.targets[c.target%len(fe.targets)]
	wild := ""
	if c.mode&8 != 0 {
		wild = c.value
	}
	u := &url.URL{Path: fillPath(ft.pattern, wild)}
	var body []byte
	ctype := "application/json"
	switch {
	case ft.method == http.MethodGet:
		q := url.Values{}
		q.Set(filterNames[int(c.field)%len(filterNames)], c.value)
		u.RawQuery = q.Encode()
		if c.mode&1 != 0 {
			u.RawQuery += "&" + string(c.raw) // as it came, escapes and all
		}
	case ft.upload:
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("kind", []string{"photo", "document", c.value}[int(c.field)%3])
		fw := must.Get(mw.CreateFormFile("file", c.value))(fe.e.t)
		fw.Write(c.raw)
		mw.Close()
		body, ctype = b.Bytes(), mw.FormDataContentType()
	default:
		body = mutate(ft.body, c)
	}
	r := httptest.NewRequest(ft.method, "/", bytes.NewReader(body))
	r.URL, r.RequestURI = u, u.RequestURI()
	if ft.method != http.MethodGet {
		r.Header.Set("Content-Type", ctype)
	}
	tok := fe.admin
	if c.mode&16 != 0 {
		tok = fe.limited
	}
	r.Header.Set("Authorization", "Bearer "+tok)
	r.Header.Set("Accept-Language", "en")
	return r, ft
}

// mutate changes one field of the template (or all its strings, or the
// whole body) as the case's mode says.
func mutate(tmpl map[string]json.RawMessage, c fuzzCase) []byte {
	m := make(map[string]json.RawMessage, len(tmpl)+1)
	keys := make([]string, 0, len(tmpl)+1)
	for k, v := range tmpl {
		m[k] = v
		keys = append(keys, k)
	}
	sort.Strings(keys)
	keys = append(keys, "extra_field")
	key := keys[int(c.field)%len(keys)]
	str, _ := json.Marshal(c.value) // a string always encodes; invalid UTF-8 becomes U+FFFD here; mode 3 sends it raw
	switch c.mode % 8 {
	case 0:
		m[key] = str
	case 1:
		if json.Valid([]byte(c.value)) {
			m[key] = json.RawMessage(c.value)
		} else {
			m[key] = json.RawMessage(fmt.Sprint(len(c.value)))
		}
	case 2:
		m[key] = json.RawMessage(oddJSON[len(c.value)%len(oddJSON)])
	case 3:
		return c.raw
	case 4:
		for k, v := range m {
			if len(v) > 0 && v[0] == '"' {
				m[k] = str
			}
		}
	case 5:
		delete(m, key)
	case 6:
		m[key] = json.RawMessage(`[` + string(str) + `]`)
	case 7:
		m[key] = json.RawMessage(`{"value":` + string(str) + `}`)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // every value is a string's encoding or a literal of oddJSON: a bug here is the generator's
	}
	return b
}

// drive sends one case to every backend and fails on a 5xx.
func drive(t testing.TB, envs []*fuzzEnv, c fuzzCase) {
	t.Helper()
	for _, fe := range envs {
		fe.e.t = t
		r, ft := fe.build(c)
		w := httptest.NewRecorder()
		fe.e.s.Handler().ServeHTTP(w, r)
		if w.Code >= 500 {
			body := must.Get(json.Marshal(c.value))(t)
			t.Fatalf("%s: %s %s (mode %d, value %s, raw %q): %d %s", fe.e.st.Dialect(), ft, r.URL.String(), c.mode, body, c.raw, w.Code, truncate(w.Body.String(), 500))
		}
	}
}

func fuzzEnvs(t testing.TB) []*fuzzEnv {
	var envs []*fuzzEnv
	for _, b := range storetest.Backends() {
		envs = append(envs, newFuzzEnv(t, b))
	}
	return envs
}

// FuzzEndpoints: the seed corpus is a nasty value for every target in a few
// modes; `go test` runs it on both backends, `-fuzz` explores from there.
func FuzzEndpoints(f *testing.F) {
	envs := fuzzEnvs(f)
	for i := range envs[0].targets {
		for j, v := range []string{"\x00", "9223372036854775807"} {
			f.Add(uint8(i), uint8(i), uint8(j), v, []byte(v))
		}
	}
	f.Fuzz(func(t *testing.T, target, field, mode uint8, value string, raw []byte) {
		drive(t, envs, fuzzCase{target: int(target), field: field, mode: mode, value: value, raw: raw})
	})
}

// TestEndpointsGenerated runs a bounded set of generated cases on every
// target in the normal test run: every target with every mode, the values
// drawn from nastyValues by a fixed seed, so a failure reproduces.
func TestEndpointsGenerated(t *testing.T) {
	envs := fuzzEnvs(t)
	rng := rand.New(rand.NewPCG(17, 2082))
	targets := envs[0].targets
	if len(targets) < 40 {
		t.Fatalf("only %d targets from the routes table", len(targets))
	}
	n := 0
	for i, ft := range targets {
		// Writes: every mutation; lists: the filter, a raw query, a
		// wildcard; each now and then as the ward-limited officer.
		modes := []uint8{0, 1, 2, 3, 4, 5, 6, 7}
		if ft.method == http.MethodGet {
			modes = []uint8{0, 1, 8}
		}
		for _, mode := range modes {
			mode |= uint8(rng.IntN(4)) << 3 // now and then a wildcard value, the ward-limited user
			v := nastyValues[rng.IntN(len(nastyValues))]
			raw := []byte(nastyValues[rng.IntN(len(nastyValues))])
			if mode%8 == 3 && rng.IntN(2) == 0 {
				raw = []byte(`{"date_bs":"2082-10-15","date_bs":"` + v + `"}`)
			}
			drive(t, envs, fuzzCase{target: i, field: uint8(rng.IntN(256)), mode: mode, value: v, raw: raw})
			n++
		}
	}
	t.Logf("%d targets, %d cases on %d backends", len(targets), n, len(envs))
}
