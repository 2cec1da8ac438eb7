package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// testRegister is a register made up for the test, the way later issues
// plug theirs in: a table with id, ward, locked, created_at and a list
// column. Its rows were saved two days ago, so they are past any edit window.
func addTestRegister(t testing.TB, e *testEnv) {
	t.Helper()
	ddl := `CREATE TABLE test_records (id INTEGER PRIMARY KEY, ward INTEGER NOT NULL, kind TEXT NOT NULL, locked BOOLEAN NOT NULL DEFAULT TRUE,
		created_at TIMESTAMP NOT NULL)`
	err := e.st.WithTx(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.Exec(context.Background(), ddl); err != nil {
			return err
		}
		saved := e.clock.Now().Add(-48 * time.Hour)
		_, err := tx.Exec(context.Background(), "INSERT INTO test_records (id, ward, kind, created_at) VALUES (1, 3, 'flood', ?), (2, 5, 'fire', ?)", saved, saved)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.AddRegister(store.Register{Name: "test-records", Table: "test_records", WardColumn: "ward",
		ListColumns: []store.ListColumn{{List: store.ListDisasterType, Table: "test_records", Column: "kind"}}}); err != nil {
		t.Fatal(err)
	}
}

func TestUnlock(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		addTestRegister(t, e)
		admin := e.tokens[leoc.RoleAdmin]
		unlock := func(tok, path, body string) (int, string) {
			w := e.do(req{method: "POST", path: path, body: body, token: tok, header: map[string]string{"Accept-Language": "en"}})
			return w.Code, w.Body.String()
		}
		good := `{"key":"the-unlock-key-77","reason":"wrong ward typed"}`
		// No key set yet: a clear conflict that says how to set one.
		if code, body := unlock(admin, "/api/v1/test-records/1/unlock", good); code != http.StatusConflict || !strings.Contains(body, "leoc unlock-key set") {
			t.Fatalf("no key: %d %s", code, body)
		}
		hash := must.Get(auth.HashPassword("the-unlock-key-77"))(t)
		if err := e.st.SetUnlockKey(t.Context(), store.SystemActor, hash); err != nil {
			t.Fatal(err)
		}
		// An officer lacks the permission even with the right key.
		if code, _ := unlock(e.tokens[leoc.RoleOfficer], "/api/v1/test-records/1/unlock", good); code != http.StatusForbidden {
			t.Fatalf("officer unlock: %d", code)
		}
		if code, body := unlock(admin, "/api/v1/test-records/1/unlock", `{"key":"the-unlock-key-77"}`); code != http.StatusBadRequest || !strings.Contains(body, "reason") {
			t.Fatalf("no reason: %d %s", code, body)
		}
		if code, _ := unlock(admin, "/api/v1/test-records/1/unlock", `{"key":"wrong-key-000","reason":"typo in ward"}`); code != http.StatusForbidden {
			t.Fatalf("wrong key: %d", code)
		}
		if code, _ := unlock(admin, "/api/v1/nothing/1/unlock", good); code != http.StatusNotFound {
			t.Fatalf("unknown register: %d", code)
		}
		if code, _ := unlock(admin, "/api/v1/test-records/99/unlock", good); code != http.StatusNotFound {
			t.Fatalf("unknown record: %d", code)
		}
		if code, body := unlock(admin, "/api/v1/test-records/1/unlock", good); code != http.StatusOK {
			t.Fatalf("unlock: %d %s", code, body)
		}
		var locked bool
		must.OK(t, e.st.QueryRow(t.Context(), "SELECT locked FROM test_records WHERE id = 1").Scan(&locked))
		if locked {
			t.Fatal("record still locked")
		}
		entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "record.unlock"}))(t)
		if len(entries) != 1 || entries[0].EntityID != "1" || !strings.Contains(entries[0].Details, "wrong ward typed") || entries[0].Username != "admin1" {
			t.Fatalf("unlock audit: %+v", entries)
		}
		fails, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "unlock.failure"}))(t)
		if len(fails) != 1 {
			t.Fatalf("failed unlock not audited: %d", len(fails))
		}

		// A ward secretary granted the unlock permission is still limited to their ward.
		sec := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}, CanUnlock: true}
		if err := e.st.CreateUser(t.Context(), store.SystemActor, sec, hash); err != nil {
			t.Fatal(err)
		}
		secTok := e.newToken(sec)
		if code, body := unlock(secTok, "/api/v1/test-records/2/unlock", good); code != http.StatusForbidden || !strings.Contains(body, "ward 5") {
			t.Fatalf("other ward: %d %s", code, body)
		}

		// Guessing is limited: after five wrong keys even the right one waits.
		for range 5 {
			unlock(secTok, "/api/v1/test-records/2/unlock", `{"key":"guess-guess-1","reason":"guessing here"}`)
		}
		if code, _ := unlock(secTok, "/api/v1/test-records/2/unlock", good); code != http.StatusTooManyRequests {
			t.Fatalf("sixth try: %d", code)
		}
	})
}

func TestLockedRecordRefusesChanges(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		addTestRegister(t, e)
		reg, _ := e.st.Register("test-records")
		u := e.users[leoc.RoleOfficer]
		err := e.st.WithTx(t.Context(), func(tx *store.Tx) error { return tx.CheckWritable(t.Context(), reg, 1, u) })
		if leoc.ErrorCode(err) != leoc.ELocked {
			t.Fatalf("locked record writable: %v", err)
		}
		if err := e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "test-records", 1, false, "test"); err != nil {
			t.Fatal(err)
		}
		err = e.st.WithTx(t.Context(), func(tx *store.Tx) error { return tx.CheckWritable(t.Context(), reg, 1, u) })
		if err != nil {
			t.Fatalf("unlocked record: %v", err)
		}
		limited := &leoc.User{Role: leoc.RoleOfficer, Wards: []int{5}}
		err = e.st.WithTx(t.Context(), func(tx *store.Tx) error { return tx.CheckWritable(t.Context(), reg, 1, limited) })
		if leoc.ErrorCode(err) != leoc.EForbidden {
			t.Fatalf("other ward writable: %v", err)
		}
		// The 403 page explains how to unlock.
		w := httptestError(e, leoc.Errorf(leoc.ELocked, "record.locked"))
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "अनलक कोड") {
			t.Fatalf("locked page: %d", w.Code)
		}
	})
}

func TestSettingsInUseAreProtected(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		addTestRegister(t, e)
		tok := e.tokens[leoc.RoleAdmin]
		en := map[string]string{"Accept-Language": "en"}
		// Ward 5 has a record; ward 7 is the ward of a secretary.
		if err := e.st.CreateUser(t.Context(), store.SystemActor, &leoc.User{Username: "ward7", Role: leoc.RoleOfficer, Wards: []int{7}}, "x"); err != nil {
			t.Fatal(err)
		}
		w := e.do(req{method: "DELETE", path: "/api/v1/wards/5", token: tok, header: en})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "test-records (1)") {
			t.Fatalf("delete used ward: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "DELETE", path: "/api/v1/wards/7", token: tok, header: en})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "ward7") {
			t.Fatalf("delete ward of a user: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/wards/9", token: tok}); w.Code != http.StatusNoContent {
			t.Fatalf("delete unused ward: %d", w.Code)
		}
		w = e.do(req{method: "DELETE", path: "/api/v1/lists/disaster_type/flood", token: tok, header: en})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "in use") {
			t.Fatalf("delete used list value: %d %s", w.Code, w.Body.String())
		}
		// In Nepali the count is in Nepali digits; a register without a
		// catalog label (this test's) shows its name, not a message key.
		w = e.do(req{method: "DELETE", path: "/api/v1/lists/disaster_type/flood", token: tok})
		if body := w.Body.String(); w.Code != http.StatusConflict || !strings.Contains(body, "मेटाउन मिल्दैन: test-records (१)") {
			t.Fatalf("delete used list value in Nepali: %d %s", w.Code, body)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/lists/disaster_type/hailstorm", token: tok}); w.Code != http.StatusNoContent {
			t.Fatalf("delete unused list value: %d", w.Code)
		}
		// Adding and relabelling values; the relief items are the item
		// catalogue now (/api/v1/inventory/items), not a list.
		w = e.do(req{method: "PUT", path: "/api/v1/lists/relief_item/soap", token: tok, body: `{"label_ne":"साबुन","label_en":"Soap","unit_ne":"थान","unit_en":"piece"}`})
		if w.Code != http.StatusNotFound {
			t.Fatalf("relief item as a list value: %d", w.Code)
		}
		w = e.do(req{method: "PUT", path: "/api/v1/lists/item_unit/tin", token: tok, body: `{"label_ne":"टिन","label_en":"tin"}`})
		if w.Code != http.StatusOK {
			t.Fatalf("add item unit: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "GET", path: "/api/v1/lists/item_unit", token: e.tokens[leoc.RoleViewer]})
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"key":"tin"`) {
			t.Fatalf("list: %s", w.Body.String())
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/lists/colours/red", token: tok, body: `{"label_ne":"रातो","label_en":"Red"}`}); w.Code != http.StatusNotFound {
			t.Fatalf("unknown list: %d", w.Code)
		}
		// Office settings: validated and audited with before/after.
		w = e.do(req{method: "PUT", path: "/api/v1/settings", token: tok, body: `{"municipality_ne":"","municipality_en":"X"}`})
		if w.Code != http.StatusBadRequest {
			t.Fatalf("empty settings: %d", w.Code)
		}
		body := `{"municipality_ne":"साइपाल गाउँपालिका","municipality_en":"Saipal Rural Municipality","office_ne":"का","office_en":"Office","address_ne":"बझाङ","address_en":"Bajhang","leoc_name_ne":"केन्द्र","leoc_name_en":"Centre"}`
		if w := e.do(req{method: "PUT", path: "/api/v1/settings", token: tok, body: body}); w.Code != 200 {
			t.Fatalf("settings: %d %s", w.Code, w.Body.String())
		}
		entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "setting.update"}))(t)
		if len(entries) != 1 || !strings.Contains(entries[0].Details, `"before":"थलारा गाउँपालिका"`) {
			t.Fatalf("settings audit: %+v", entries)
		}
		if w := e.do(req{method: "GET", path: "/login"}); !strings.Contains(w.Body.String(), "साइपाल गाउँपालिका") {
			t.Fatal("new municipality name not shown")
		}
	})
}

func TestSettingsPageForms(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("admin1")
		w := e.do(req{method: "GET", path: "/settings", cookies: cookies})
		if w.Code != 200 || !strings.Contains(w.Body.String(), "पहिरो") || !strings.Contains(w.Body.String(), "वडा नं. ९") {
			t.Fatalf("settings page: %d", w.Code)
		}
		// A bad ward comes back as 422 with the message, nothing saved.
		w = e.do(req{method: "POST", path: "/settings/wards", cookies: cookies, body: "csrf_token=" + csrf + "&number=0&name_ne=x&name_en=y"})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "१ देखि ९९") {
			t.Fatalf("bad ward: %d", w.Code)
		}
		w = e.do(req{method: "POST", path: "/settings/lists/disaster_type", cookies: cookies, body: "csrf_token=" + csrf + "&key=cold_wave&label_ne=शीतलहर&label_en=Cold+wave"})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("add disaster type: %d %s", w.Code, w.Body.String())
		}
		vals := must.Get(e.st.ListValues(t.Context(), store.ListDisasterType))(t)
		if vals[len(vals)-1].Key != "cold_wave" {
			t.Fatalf("new value not last: %+v", vals[len(vals)-1])
		}
	})
}

func httptestError(e *testEnv, err error) *responseRecorder {
	w := newRecorder()
	r := newRequest("GET", "/x")
	e.s.renderError(w, withState(r, &reqState{lang: "ne", id: "t"}), err)
	return w
}
