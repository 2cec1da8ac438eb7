package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"leoc/internal/bs"
	"leoc/internal/store"
)

// pager links the pages of a filtered list.
type pager struct {
	Path  string
	Query url.Values
	Page  int
	Pages int
	Total int
	// Cursor is the list's cursor of the next page (empty on the last):
	// the next link follows it, so reading on never walks the rows before.
	Cursor string
	// Capped: Total counts a search's first matches only; more follow.
	Capped bool
}

func newPager(path string, q url.Values, f store.RecordFilter, total int) *pager {
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	p := &pager{Path: path, Query: q, Page: max(f.Page, 1), Pages: (total + per - 1) / per, Total: total}
	if f.Keyset != nil {
		p.Cursor, p.Capped = f.Keyset.Next, f.Keyset.Capped
	}
	return p
}

// URL is the address of page n with the same filters.
func (p *pager) URL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Del("after")
	q.Set("page", strconv.Itoa(n))
	return p.Path + "?" + q.Encode()
}

// NextURL is the address of the next page: after this page's last row
// when the list gave a cursor, by number otherwise. The page number goes
// along so the page shows where it is.
func (p *pager) NextURL() string {
	u := p.URL(p.Next())
	if p.Cursor != "" {
		u += "&after=" + url.QueryEscape(p.Cursor)
	}
	return u
}

// Prev and Next are 0 when there is no such page.
func (p *pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p *pager) Next() int {
	if p.Page < p.Pages || p.Cursor != "" {
		return p.Page + 1
	}
	return 0
}

// choice is one option of a select or checkbox group.
type choice struct {
	Value string
	Label string
}

// filterBar is what the shared filter partial shows.
type filterBar struct {
	Action      string
	FiscalYears []bs.FiscalYear
	Types       []choice
	Wards       []store.Ward
	Query       url.Values
	TypeParam   string // the query name of Types; "type" when empty
	SearchLabel string // the search box's label (a catalog key); "filter.search" when empty
}

// SearchKey is the catalog key of the search box's label.
func (f *filterBar) SearchKey() string {
	if f.SearchLabel == "" {
		return "filter.search"
	}
	return f.SearchLabel
}

// TypeName is the query name of the type filter.
func (f *filterBar) TypeName() string {
	if f.TypeParam == "" {
		return "type"
	}
	return f.TypeParam
}

// Has reports whether a repeatable query value is selected.
func (f *filterBar) Has(name, value string) bool {
	for _, v := range f.Query[name] {
		// "ward=3,4" selects both, as the list filter reads it.
		if slices.Contains(strings.Split(v, ","), value) {
			return true
		}
	}
	return false
}

// shorten cuts text to n characters, ending in "…" when cut.
func shorten(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n-1]) + "…"
}

// sortLinks builds the column-header links of a sortable list.
type sortLinks struct {
	path string
	q    url.Values
}

// URL sorts by key, newest or largest first, or the other way round when
// the list is already sorted so.
func (l *sortLinks) URL(key string) string {
	q := url.Values{}
	for k, v := range l.q {
		q[k] = v
	}
	q.Del("page")
	q.Set("sort", key)
	q.Del("order")
	if l.current(key) && l.q.Get("order") != "asc" {
		q.Set("order", "asc")
	}
	return l.path + "?" + q.Encode()
}

func (l *sortLinks) current(key string) bool {
	s := l.q.Get("sort")
	return s == key || (s == "" && key == "date")
}

// Mark is the arrow shown next to the column the list is sorted by.
func (l *sortLinks) Mark(key string) string {
	if !l.current(key) {
		return ""
	}
	if l.q.Get("order") == "asc" {
		return "▲"
	}
	return "▼"
}

// exportQuery is the filter part of a list query, for the export links:
// an export holds every row of the filter, not the page's.
func exportQuery(q url.Values) string {
	e := url.Values{}
	for k, v := range q {
		if k != "page" && k != "per_page" && k != "after" {
			e[k] = v
		}
	}
	if len(e) == 0 {
		return ""
	}
	return "?" + e.Encode()
}
