package server

import (
	"net/http"
	"strings"
	"testing"

	"leoc/internal/store/storetest"
)

func TestNavigation(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	cases := []struct {
		user, path string
		want, not  []string
	}{
		{"admin1", "/incidents/stats", []string{`<a href="/incidents/stats" aria-current="page">`, `<summary class="current">Reports</summary>`,
			`<summary>Administration</summary>`, `href="/users"`, `href="/audit"`}, []string{`<a href="/incidents" aria-current`}},
		{"admin1", "/incidents", []string{`<a href="/incidents" aria-current="page">`, `<summary class="current">Incidents &amp; operations</summary>`}, []string{`<a href="/incidents/stats" aria-current`}},
		{"officer1", "/funds", []string{`<a href="/funds" aria-current="page">Relief fund</a>`, `<summary class="current">Relief</summary>`, `href="/distributions"`},
			[]string{"Administration", `href="/users"`, `href="/settings"`, `href="/audit"`}},
		{"viewer1", "/", []string{`<a href="/" aria-current="page">Home</a>`, `href="/beneficiaries"`}, []string{"Administration", `class="current"`}},
	}
	for _, c := range cases {
		cookies, _ := e.login(c.user)
		w := e.do(req{method: "GET", path: c.path, cookies: cookies, header: map[string]string{"Accept-Language": "en"}})
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: %d", c.user, c.path, w.Code)
		}
		nav := w.Body.String()
		if i, j := strings.Index(nav, `<nav class="site-nav"`), strings.Index(nav, "</nav>"); i >= 0 && j > i {
			nav = nav[i:j]
		} else {
			t.Fatalf("%s %s: no navigation", c.user, c.path)
		}
		for _, s := range c.want {
			if !strings.Contains(nav, s) {
				t.Errorf("%s on %s: navigation lacks %s", c.user, c.path, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(nav, s) {
				t.Errorf("%s on %s: navigation has %s", c.user, c.path, s)
			}
		}
		if n := strings.Count(nav, `aria-current="page"`); n > 1 {
			t.Errorf("%s on %s: %d links marked current", c.user, c.path, n)
		}
	}
}
