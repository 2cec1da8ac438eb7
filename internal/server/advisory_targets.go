package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/cap"
	"leoc/internal/geo"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Advisories targeted at wards (issue 11, item 8): the wards an advisory
// concerns, its CAP grading and English text, in the API, the form, the
// pages and the CAP alert's areas.

// WardPolygons reads each ward's polygon by ward number; an empty map (and
// no error) when none were imported. The server reads the polygons stored
// by `leoc wards import` (storeWardPolygons) unless a test gives its own.
type WardPolygons func(ctx context.Context) (map[int]geo.Polygon, error)

// storeWardPolygons reads the imported ward polygons from the store. A ward
// drawn as several polygons is named in CAP by its largest one: an <area>
// takes polygons, and the big part is where people live.
func storeWardPolygons(st *store.Store) WardPolygons {
	return func(ctx context.Context) (map[int]geo.Polygon, error) {
		stored, err := st.WardPolygons(ctx)
		if err != nil {
			return nil, err
		}
		out := make(map[int]geo.Polygon, len(stored))
		for _, w := range stored {
			b, err := geo.ParseBoundary([]byte(w.Geometry))
			if err != nil {
				return nil, fmt.Errorf("ward %d polygon: %w", w.Ward, err)
			}
			var largest geo.Polygon
			for _, p := range b.Polygons {
				if len(p) > 0 && (largest == nil || len(p[0]) > len(largest[0])) {
					largest = p
				}
			}
			if largest != nil {
				out[w.Ward] = largest
			}
		}
		return out, nil
	}
}

// capWardPolygonPoints bounds each ward's CAP polygon: a ward is small, and
// an alert for all nine wards of Thalara stays under 10 KB per language.
const capWardPolygonPoints = 60

// applyAdvisory validates an advisory's input against the calendar and the
// municipality's wards and copies it onto a.
func (s *Server) applyAdvisory(r *http.Request, in *leoc.AdvisoryInput, a *leoc.Advisory) error {
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return err
	}
	in.KnownWards = make([]int, 0, len(wards))
	for _, w := range wards {
		in.KnownWards = append(in.KnownWards, w.Number)
	}
	return in.Apply(s.cal, a)
}

// targetsFromForm reads the targets of the advisory form: the ward boxes
// (none ticked = the whole municipality), the three CAP selects ("" = as
// the priority implies, or unchanged) and the English text. A ward that is
// not a number is refused as ward 0.
func targetsFromForm(v url.Values) leoc.AdvisoryTargetsInput {
	wards := []int{}
	for _, raw := range v["wards"] {
		n, err := strconv.Atoi(strings.TrimSpace(bs.ASCIIDigits(raw)))
		if err != nil {
			n = 0
		}
		wards = append(wards, n)
	}
	return leoc.AdvisoryTargetsInput{Wards: &wards, Urgency: v.Get("urgency"), Severity: v.Get("severity"), Certainty: v.Get("certainty"),
		TitleEn: v.Get("title_en"), ContentEn: v.Get("content_en")}
}

// targetValues are the form values of an advisory's targets.
func targetValues(v url.Values, a *leoc.Advisory) {
	for _, w := range a.Wards {
		v.Add("wards", strconv.Itoa(w))
	}
	v.Set("urgency", a.Urgency)
	v.Set("severity", a.Severity)
	v.Set("certainty", a.Certainty)
	v.Set("title_en", a.TitleEn)
	v.Set("content_en", a.ContentEn)
}

// gradingSelect is one of the form's three CAP selects: its field name and
// its choices, values in CAP's words, labels in the page's language.
type gradingSelect struct {
	Name    string
	Choices []choice
}

func (s *Server) gradingChoices(lang string) []gradingSelect {
	list := func(field string, values []string) gradingSelect {
		g := gradingSelect{Name: field}
		for _, v := range values {
			g.Choices = append(g.Choices, choice{v, s.cat.T(lang, "advisory."+field+"."+v)})
		}
		return g
	}
	return []gradingSelect{list("urgency", leoc.Urgencies), list("severity", leoc.Severities), list("certainty", leoc.Certainties)}
}

// wardsText names an advisory's wards in a language: "वडा नं. ३, ५" /
// "Wards 3, 5", or the whole municipality.
func (s *Server) wardsText(lang string, a *leoc.Advisory) string {
	if a.WholeMunicipality() {
		return s.cat.T(lang, "advisory.whole_municipality")
	}
	list := strings.ReplaceAll(leoc.WardList(a.Wards), ",", ", ")
	if lang == "ne" {
		list = bs.DevanagariDigits(list)
	}
	return s.cat.T(lang, "advisory.wards_list", list)
}

// capWards are the municipality's wards as the CAP alerts name and draw
// them. A failure to read the polygons is logged and the alerts go out
// with the municipality boundary: an alert must not wait for a map.
func (s *Server) capWards(ctx context.Context) (map[int]cap.Ward, error) {
	wards, err := s.store.Wards(ctx)
	if err != nil {
		return nil, err
	}
	polys, err := s.wardPolys(ctx)
	if err != nil {
		s.log.Error("load ward polygons for CAP", "err", err)
		polys = nil
	}
	out := make(map[int]cap.Ward, len(wards))
	for _, w := range wards {
		cw := cap.Ward{NameNe: w.NameNe, NameEn: w.NameEn}
		if p, ok := polys[w.Number]; ok && len(p) > 0 {
			cw.Polygon = cap.Polygon(geo.Simplify(p[0], capWardPolygonPoints))
		}
		out[w.Number] = cw
	}
	return out, nil
}
