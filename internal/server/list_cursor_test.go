package server

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

func listIDs(t *testing.T, m map[string]any) []float64 {
	t.Helper()
	items, _ := m["items"].([]any)
	ids := make([]float64, len(items))
	for i, it := range items {
		ids[i] = it.(map[string]any)["id"].(float64)
	}
	return ids
}

// TestListCursorsThroughTheAPI: the list envelope keeps its fields and adds
// next; following next (with the page number along) reads the whole list
// once in order; the last page's next is null; a tampered cursor is a 400
// in the user's language.
func TestListCursorsThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		for i := range 7 {
			body := fmt.Sprintf(`{"organisation":"Office %d","category":"health","phones":["9800000001"]}`, i%3)
			if w := e.do(req{method: "POST", path: "/api/v1/contacts", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		whole := listIDs(t, decodeBody(t, e.do(req{method: "GET", path: "/api/v1/contacts?per_page=100", token: officer})))
		var walked []float64
		path := "/api/v1/contacts?per_page=3"
		var last map[string]any
		for page := 1; page <= 3; page++ {
			w := e.do(req{method: "GET", path: path, token: officer})
			if w.Code != http.StatusOK {
				t.Fatalf("page %d: %d %s", page, w.Code, w.Body)
			}
			m := decodeBody(t, w)
			if m["total"] != float64(7) || m["page"] != float64(page) || m["per_page"] != float64(3) {
				t.Fatalf("page %d envelope: %v", page, m)
			}
			if _, ok := m["next"]; !ok {
				t.Fatalf("page %d: no next field: %v", page, m)
			}
			walked = append(walked, listIDs(t, m)...)
			last = m
			if next, ok := m["next"].(string); ok {
				path = fmt.Sprintf("/api/v1/contacts?per_page=3&page=%d&after=%s", page+1, url.QueryEscape(next))
			}
		}
		if last["next"] != nil {
			t.Errorf("the last page has a next cursor: %v", last["next"])
		}
		if !slices.Equal(walked, whole) {
			t.Errorf("following next gave %v, the list is %v", walked, whole)
		}

		first := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/contacts?per_page=3", token: officer}))
		next := first["next"].(string)
		for lang, want := range map[string]string{"en": "no longer valid", "ne": "मान्य छैन"} {
			// A changed first character: always another one ("x" would be no
			// change for a cursor that starts with it).
			changed := "x" + next[1:]
			if next[0] == 'x' {
				changed = "y" + next[1:]
			}
			for _, bad := range []string{next[:len(next)-2], changed, "not-a-cursor"} {
				w := e.do(req{method: "GET", path: "/api/v1/contacts?after=" + url.QueryEscape(bad), token: officer,
					header: map[string]string{"Accept-Language": lang}})
				msg, _ := decodeBody(t, w)["error"].(map[string]any)["message"].(string)
				if w.Code != http.StatusBadRequest || !strings.Contains(msg, want) {
					t.Errorf("%s, cursor %q: %d %q", lang, bad, w.Code, msg)
				}
			}
		}
		// A cursor of one order is refused in another.
		if w := e.do(req{method: "GET", path: "/api/v1/contacts?sort=organisation&after=" + url.QueryEscape(next), token: officer}); w.Code != http.StatusBadRequest {
			t.Errorf("a cursor in another order: %d", w.Code)
		}
	})
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

// TestListPagesFollowTheCursor: a list page's next link carries the cursor
// and the next page number, leads to the next rows, and the page-jump form
// does not carry the cursor along.
func TestListPagesFollowTheCursor(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		for i := range 5 {
			body := fmt.Sprintf(`{"organisation":"Office %c","category":"health","phones":["9800000001"]}`, 'A'+i)
			if w := e.do(req{method: "POST", path: "/api/v1/contacts", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		cookies, _ := e.login(e.users[leoc.RoleOfficer].Username)
		w := e.do(req{method: "GET", path: "/contacts?per_page=2&sort=organisation&order=asc", cookies: cookies})
		m := nextLink.FindStringSubmatch(w.Body.String())
		if w.Code != http.StatusOK || m == nil {
			t.Fatalf("page 1: %d, no next link", w.Code)
		}
		link := html.UnescapeString(m[1])
		if !strings.Contains(link, "after=") || !strings.Contains(link, "page=2") {
			t.Fatalf("next link %q: no cursor or page number", link)
		}
		w = e.do(req{method: "GET", path: link, cookies: cookies})
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, "Office C") || !strings.Contains(body, "Office D") || strings.Contains(body, "Office B") {
			t.Fatalf("page 2 by the next link: %d", w.Code)
		}
		if strings.Contains(body, `name="after"`) {
			t.Error("the page-jump form carries the cursor: a jump would land after this page")
		}
		bad := e.do(req{method: "GET", path: "/contacts?after=tampered", cookies: cookies})
		if bad.Code != http.StatusBadRequest {
			t.Errorf("a page with a tampered cursor: %d", bad.Code)
		}
	})
}
