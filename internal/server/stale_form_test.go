package server

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// TestStaleTokenReshowsTheForm: a same-origin form post with the token of
// an earlier session comes back as its form with everything typed, a
// message and a fresh token (422), and saves nothing; a cross-origin post
// and a script's call are still refused.
func TestStaleTokenReshowsTheForm(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		_, oldToken := e.login("officer1")
		cookies, freshToken := e.login("officer1") // a new session: the first page's token is stale
		if oldToken == freshToken {
			t.Fatal("two sessions share a token")
		}
		form := url.Values{"csrf_token": {oldToken}, "date_bs": {"2082-10-15"}, "type": {"flood"}, "ward": {"4"},
			"tole": {"कोटफेरा"}, "description": {"खोलामा बाढी <b>आयो</b>"}, "deaths_male": {"२"}}
		post := func(path string, h map[string]string) *httpResponse {
			w := e.do(req{method: "POST", path: path, cookies: cookies, body: form.Encode(), header: h})
			return &httpResponse{Code: w.Code, Header: w.Header(), Body: w.Body.String()}
		}
		res := post("/incidents", map[string]string{"Sec-Fetch-Site": "same-origin", "Accept-Language": "ne"})
		if res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("stale token: %d, want 422", res.Code)
		}
		for _, want := range []string{`value="कोटफेरा"`, "खोलामा बाढी &lt;b&gt;आयो&lt;/b&gt;", `value="२"`, "पाना पुरानो", `action="/incidents"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("re-shown form lacks %q", want)
			}
		}
		if strings.Contains(res.Body, oldToken) {
			t.Error("the stale token is still in the page")
		}
		if _, n, err := e.st.Incidents(t.Context(), store.RecordFilter{}); err != nil || n != 0 {
			t.Fatalf("a stale post saved %d incidents (%v)", n, err)
		}
		// Sent again with the page's fresh token (masked anew in every
		// answer), it saves.
		m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("the re-shown form has no token")
		}
		form.Set("csrf_token", m[1])
		if res := post("/incidents", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("fresh token: %d", res.Code)
		}
		form.Set("csrf_token", oldToken)
		// Cross-origin: refused as before.
		if res := post("/incidents", map[string]string{"Sec-Fetch-Site": "cross-site"}); res.Code != http.StatusForbidden {
			t.Errorf("cross-site post: %d, want 403", res.Code)
		}
		// A script's call with a stale header token: the JSON 403.
		w := e.do(req{method: "POST", path: "/api/v1/event-logs", cookies: cookies, body: `{}`,
			header: map[string]string{"X-CSRF-Token": oldToken}})
		if w.Code != http.StatusForbidden || errorCode(t, w) != leoc.EForbidden {
			t.Errorf("stale API call: %d %s", w.Code, w.Body.String())
		}
		// A form without a page of its own (delete) keeps the 403.
		if res := post("/incidents/1/delete", nil); res.Code != http.StatusForbidden {
			t.Errorf("stale delete: %d, want 403", res.Code)
		}
		// An edit form comes back as the edit page, with the typed values.
		e.setUnlockKey()
		e.unlockIncident("1")
		form.Set("version", "1")
		form.Set("tole", "Kholi")
		res = post("/incidents/1", nil)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="Kholi"`) || !strings.Contains(res.Body, `action="/incidents/1"`) {
			t.Errorf("stale edit: %d", res.Code)
		}
		if inc, err := e.st.Incident(t.Context(), 1); err != nil || inc.Tole != "कोटफेरा" {
			t.Errorf("stale edit changed the record: %v %+v", err, inc)
		}
	})
}

// TestExpiredSessionPostGoesBackToTheForm: a form sent after the session
// ended leads to the login page, which returns to the form's page.
func TestExpiredSessionPostGoesBackToTheForm(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, csrf := e.login("officer1")
	e.clock.Add(e.s.cfg.SessionIdle + 1)
	body := url.Values{"csrf_token": {csrf}, "tole": {"कोटफेरा"}}.Encode()
	w := e.do(req{method: "POST", path: "/incidents", cookies: cookies, body: body})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login?next=%2Fincidents%2Fnew&expired=1" {
		t.Fatalf("expired post: %d %q", w.Code, w.Header().Get("Location"))
	}
	w = e.do(req{method: "GET", path: w.Header().Get("Location")})
	if !strings.Contains(w.Body.String(), "सत्र सकिएकोले") || !strings.Contains(w.Body.String(), `name="next" value="/incidents/new"`) {
		t.Fatalf("login page after an expired post: %d", w.Code)
	}
}

// TestUploadTooLargePage: a file over its kind's limit sent from the page
// is answered in the normal layout with the limits and a link back; so is a
// request over the whole upload limit.
func TestUploadTooLargePage(t *testing.T) {
	e, dir := uploadEnv(t, backendSQLite(), func(c *config.Config) { c.MaxPhotoMB, c.MaxUploadMB = 1, 3 })
	cookies, csrf := e.login("officer1")
	post := func(data []byte) *httpResponse {
		body, ct := multipartBody(t, map[string]string{"kind": "photo", "csrf_token": csrf}, "x.png", data)
		w := e.do(req{method: "POST", path: "/test-records/1/files", body: body, contentType: ct, cookies: cookies,
			header: map[string]string{"Accept-Language": "en"}})
		return &httpResponse{Code: w.Code, Header: w.Header(), Body: w.Body.String()}
	}
	for name, data := range map[string][]byte{
		"photo over LEOC_MAX_PHOTO_MB":    append(pngFile(t), bytes.Repeat([]byte{0}, 1<<20)...),
		"request over LEOC_MAX_UPLOAD_MB": append(pngFile(t), bytes.Repeat([]byte{0}, 4<<20)...),
	} {
		res := post(data)
		if res.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s: %d", name, res.Code)
		}
		for _, want := range []string{`class="site-header"`, "The file is too large", "Photos may be up to 1 MB and documents up to 10 MB",
			`href="/test-records/1#files"`, "Back to the record"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s: page lacks %q", name, want)
			}
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %s", name, res.Header.Get("Content-Type"))
		}
	}
	if countUploads(t, dir) != 0 {
		t.Fatal("a refused file was stored")
	}
	// The upload form carries the limits for the browser's check.
	var buf strings.Builder
	p := &page{s: e.s, Lang: "ne", User: e.users[leoc.RoleOfficer], CSRF: "x"}
	if err := e.s.pages["home"].ExecuteTemplate(&buf, "attachments", map[string]any{"Page": p, "Register": "distributions", "ID": int64(5)}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-max-bytes="1048576"`, `data-max-bytes="10485760"`, "फोटो बढीमा १ MB", "१ MB सम्म"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("upload form lacks %q", want)
		}
	}
}
