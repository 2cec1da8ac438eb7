package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The incident picker of the distribution form searches as the clerk types
// (forms.js) through the incidents API's search mode:
//
//	GET /api/v1/incidents?search=वडा 3 बाढी 2082-05
//
// The words of the search become the list filters: "#12" the record
// number, a number up to 99 a ward, a BS year, year-month or date the days
// it covers, a disaster type's name (Nepali or English, or the start of it)
// the type, anything else text looked up in tole and description. Each item
// carries a "label" in the caller's language. The usual filters and the
// ward limit of the caller apply on top, exactly as for the list.

// pickerPerPage is how many matches the picker shows at once.
const pickerPerPage = 10

var (
	pickerRecordNo = regexp.MustCompile(`^#([0-9]+)$`)
	pickerNumber   = regexp.MustCompile(`^[0-9]{1,2}$`)
	pickerDate     = regexp.MustCompile(`^([0-9]{4})(?:[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?)?$`)
	// Words that only introduce a number ("ward 3", "वडा नं. 3").
	pickerFiller = map[string]bool{"ward": true, "वडा": true, "नं.": true, "नं": true, "no.": true, "tole": true, "टोल": true}
)

// incidentSearch turns the search text into list filters on q. It returns
// the record number asked for with "#N" (0 when none).
func (s *Server) incidentSearch(r *http.Request, q url.Values, text string) (int64, error) {
	values, err := s.store.ListValues(r.Context(), store.ListDisasterType)
	if err != nil {
		return 0, err
	}
	var words []string
	var id int64
	for _, w := range strings.Fields(strings.ToLower(leoc.NormalizeText(bs.ASCIIDigits(text)))) {
		w = strings.TrimRight(w, ",;")
		switch {
		case w == "" || pickerFiller[w]:
		case pickerRecordNo.MatchString(w):
			id, _ = strconv.ParseInt(pickerRecordNo.FindStringSubmatch(w)[1], 10, 64)
		case pickerNumber.MatchString(w):
			q.Add("ward", w)
		case pickerDate.MatchString(w):
			from, to, ok := s.bsRange(pickerDate.FindStringSubmatch(w))
			if !ok {
				words = append(words, w)
				continue
			}
			q.Set("from", from.String())
			q.Set("to", to.String())
		default:
			if t := typeMatching(values, w); t != "" {
				q.Add("type", t)
			} else {
				words = append(words, w)
			}
		}
	}
	q.Set("q", strings.Join(words, " "))
	return id, nil
}

// bsRange is the first and last day of a BS year, month or day.
func (s *Server) bsRange(m []string) (from, to bs.Date, ok bool) {
	y, _ := strconv.Atoi(m[1])
	if m[2] == "" {
		from, to = bs.Date{Year: y, Month: 1, Day: 1}, bs.Date{Year: y, Month: 12, Day: 1}
		n, err := s.cal.DaysInMonth(y, 12)
		to.Day = n
		return from, to, err == nil
	}
	mo, _ := strconv.Atoi(m[2])
	if m[3] == "" {
		n, err := s.cal.DaysInMonth(y, mo)
		return bs.Date{Year: y, Month: mo, Day: 1}, bs.Date{Year: y, Month: mo, Day: n}, err == nil
	}
	d, _ := strconv.Atoi(m[3])
	day := bs.Date{Year: y, Month: mo, Day: d}
	return day, day, s.cal.Validate(day) == nil
}

// typeMatching finds the disaster type a word names: its key, or its label
// in either language, whole or from the start (at least two letters).
func typeMatching(values []store.ListValue, w string) string {
	for _, v := range values {
		for _, name := range []string{v.Key, strings.ToLower(v.LabelNe), strings.ToLower(v.LabelEn)} {
			if name == w || (len([]rune(w)) >= 2 && strings.HasPrefix(name, w)) {
				return v.Key
			}
		}
	}
	return ""
}

// apiIncidentSearch answers the search mode of GET /api/v1/incidents.
func (s *Server) apiIncidentSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, err := s.incidentSearch(r, q, q.Get("search"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if q.Get("per_page") == "" {
		q.Set("per_page", strconv.Itoa(pickerPerPage))
	}
	st := state(r)
	_, typeLabels, err := s.listLabels(r, store.ListDisasterType, st.lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	label := func(inc *leoc.Incident) *jsonObject {
		o := incidentJSON(inc)
		o.add("label", incidentLabel(inc, st.lang, typeLabels))
		return o
	}
	if id != 0 {
		// One record by its number: the same read rule as GET /incidents/{id}.
		items := []*jsonObject{}
		if inc, err := s.store.Incident(r.Context(), id); err == nil {
			items = append(items, label(inc))
		} else if leoc.ErrorCode(err) != leoc.ENotFound {
			s.renderError(w, r, err)
			return
		}
		writeList(s, w, r, items, len(items), 1, pickerPerPage, nil)
		return
	}
	f, err := s.recordFilter(q, st.user)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	per, _ := pageSize(f.PerPage)
	// The first matches only, uncounted: "total" is how many are shown.
	list, err := s.store.SearchIncidents(r.Context(), f, per)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items := make([]*jsonObject, 0, len(list))
	for _, inc := range list {
		items = append(items, label(inc))
	}
	writeList(s, w, r, items, len(items), 1, per, nil)
}

// incidentLabel is how an incident is named in the picker and on the form:
// "#12 · 2082-05-03 · Flood · Ward 3 · Kotpheri".
func incidentLabel(inc *leoc.Incident, lang string, typeLabels map[string]string) string {
	date, num := inc.DateBS.String(), strconv.FormatInt(inc.ID, 10)
	ward := strconv.Itoa(inc.Ward)
	wardWord := "Ward "
	if lang == "ne" {
		date, num, ward, wardWord = inc.DateBS.Devanagari(), bs.DevanagariDigits(num), bs.DevanagariDigits(ward), "वडा नं. "
	}
	t := typeLabels[inc.Type]
	if t == "" {
		t = inc.Type
	}
	parts := []string{"#" + num, date, t, wardWord + ward}
	if inc.Tole != "" {
		parts = append(parts, inc.Tole)
	}
	return strings.Join(parts, " · ")
}

// chosenIncidentLabel names the incident a form links to (the number typed
// or saved), "" when there is none or it does not exist.
func (s *Server) chosenIncidentLabel(r *http.Request, raw string) string {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(bs.ASCIIDigits(raw)), "#"), 10, 64)
	if err != nil || id <= 0 {
		return ""
	}
	inc, err := s.store.Incident(r.Context(), id)
	if err != nil {
		if leoc.ErrorCode(err) != leoc.ENotFound {
			s.log.Error("load incident for the form", "err", err, "request_id", state(r).id)
		}
		return ""
	}
	lang := state(r).lang
	_, typeLabels, err := s.listLabels(r, store.ListDisasterType, lang)
	if err != nil {
		s.log.Error("disaster type labels", "err", err, "request_id", state(r).id)
	}
	return incidentLabel(inc, lang, typeLabels)
}
