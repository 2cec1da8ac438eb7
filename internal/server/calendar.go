package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// dateMsg turns a calendar error into the message a clerk can act on.
func dateMsg(err error) leoc.Msg {
	if errors.Is(err, bs.ErrOutOfRange) {
		return leoc.M("date.out_of_range")
	}
	return leoc.M("date.invalid")
}

// parseBS validates a BS date field: a real date inside the calendar.
func (s *Server) parseBS(v *leoc.Validation, field, raw string) (bs.Date, bool) {
	d, err := s.cal.Parse(raw)
	if err != nil {
		m := dateMsg(err)
		v.Add(field, m.Key, m.Args...)
		return bs.Date{}, false
	}
	return d, true
}

// calendarDay is one day in the calendar API.
type calendarDay struct {
	BS          string `json:"bs"`
	AD          string `json:"ad"`
	Weekday     int    `json:"weekday"` // 0 = Sunday
	WeekdayNe   string `json:"weekday_ne"`
	WeekdayEn   string `json:"weekday_en"`
	FiscalYear  string `json:"fiscal_year"`
	Nepali      string `json:"nepali"`
	English     string `json:"english"`
	Provisional bool   `json:"provisional"`
}

func (s *Server) describeDay(d bs.Date) (calendarDay, error) {
	ad, err := s.cal.ToAD(d)
	if err != nil {
		return calendarDay{}, err
	}
	wd := ad.Weekday()
	return calendarDay{
		BS: d.String(), AD: ad.Format(time.DateOnly), Weekday: int(wd), WeekdayNe: bs.WeekdayNepali(wd), WeekdayEn: wd.String(),
		FiscalYear: bs.FiscalYearOf(d).Label(), Nepali: d.LongNepali(), English: d.LongEnglish(), Provisional: s.cal.IsProvisional(d.Year),
	}, nil
}

// apiCalendarConvert converts one date: ?bs=2082-10-15 (ASCII or Devanagari
// digits) or ?ad=2026-01-29.
func (s *Server) apiCalendarConvert(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v leoc.Validation
	var d bs.Date
	switch {
	case q.Get("bs") != "" && q.Get("ad") == "":
		d, _ = s.parseBS(&v, "bs", q.Get("bs"))
	case q.Get("ad") != "" && q.Get("bs") == "":
		ad, err := time.Parse(time.DateOnly, bs.ASCIIDigits(strings.TrimSpace(q.Get("ad"))))
		if err != nil {
			v.Add("ad", "date.invalid_ad")
			break
		}
		if d, err = s.cal.FromAD(ad); err != nil {
			m := dateMsg(err)
			v.Add("ad", m.Key)
		}
	default:
		v.Add("bs", "calendar.one_of")
	}
	if err := v.Err(); err != nil {
		s.renderError(w, r, err)
		return
	}
	day, err := s.describeDay(d)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, day)
}

// apiCalendarMonth answers the grid of one BS month: ?bs=2082-04.
func (s *Server) apiCalendarMonth(w http.ResponseWriter, r *http.Request) {
	raw := bs.ASCIIDigits(strings.TrimSpace(r.URL.Query().Get("bs")))
	y, m, ok := strings.Cut(strings.ReplaceAll(raw, "/", "-"), "-")
	year, err1 := strconv.Atoi(y)
	month, err2 := strconv.Atoi(m)
	var v leoc.Validation
	if !ok || err1 != nil || err2 != nil || month < 1 || month > 12 {
		v.Add("bs", "calendar.month_invalid")
	}
	n, err := s.cal.DaysInMonth(year, month)
	if err != nil && v.Err() == nil {
		m := dateMsg(err)
		v.Add("bs", m.Key)
	}
	if err := v.Err(); err != nil {
		s.renderError(w, r, err)
		return
	}
	days := make([]calendarDay, 0, n)
	for d := 1; d <= n; d++ {
		day, err := s.describeDay(bs.Date{Year: year, Month: month, Day: d})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		days = append(days, day)
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{
		"year": year, "month": month, "month_ne": bs.MonthNepali(month), "month_en": bs.MonthEnglish(month),
		"days_in_month": n, "provisional": s.cal.IsProvisional(year), "days": days,
	})
}

// calendarTable is what the BS date picker needs: the month lengths of the
// same table the server uses (never a second copy in JavaScript), names,
// messages and today's date in Nepal.
type calendarTable struct {
	FirstYear       int                          `json:"first_year"`
	LastYear        int                          `json:"last_year"`
	OfficialThrough int                          `json:"official_through"`
	FirstAD         string                       `json:"first_ad"`
	Months          [][12]int                    `json:"months"`
	MonthNames      map[string][12]string        `json:"month_names"`
	WeekdayNames    map[string][7]string         `json:"weekday_names"`
	Messages        map[string]map[string]string `json:"messages"`
	Today           string                       `json:"today"`
}

var pickerMessages = []string{"invalid", "out_of_range", "provisional", "open", "prev", "next", "today", "close", "ad_prefix", "year", "month"}

func (s *Server) buildCalendarTable() (*calendarTable, error) {
	c := s.cal
	first, err := c.ToAD(c.FirstDate())
	if err != nil {
		return nil, err
	}
	t := &calendarTable{FirstYear: c.FirstYear(), LastYear: c.LastYear(), OfficialThrough: c.OfficialThrough(),
		FirstAD: first.Format(time.DateOnly), MonthNames: map[string][12]string{}, WeekdayNames: map[string][7]string{},
		Messages: map[string]map[string]string{}}
	for y := c.FirstYear(); y <= c.LastYear(); y++ {
		var ms [12]int
		for m := 1; m <= 12; m++ {
			if ms[m-1], err = c.DaysInMonth(y, m); err != nil {
				return nil, err
			}
		}
		t.Months = append(t.Months, ms)
	}
	var ne, en [12]string
	for m := 1; m <= 12; m++ {
		ne[m-1], en[m-1] = bs.MonthNepali(m), bs.MonthEnglish(m)
	}
	t.MonthNames["ne"], t.MonthNames["en"] = ne, en
	for _, lang := range []string{"ne", "en"} {
		var wd [7]string
		for d := range 7 {
			wd[d] = s.cat.T(lang, fmt.Sprintf("datepicker.weekday_%d", d))
		}
		t.WeekdayNames[lang] = wd
		msgs := map[string]string{}
		for _, k := range pickerMessages {
			msgs[k] = s.cat.T(lang, "datepicker."+k)
		}
		t.Messages[lang] = msgs
	}
	return t, nil
}

// apiCalendarTable serves the picker's table. Browsers revalidate it with an
// ETag, so a slow link downloads it once.
func (s *Server) apiCalendarTable(w http.ResponseWriter, r *http.Request) {
	t, err := s.buildCalendarTable()
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if today, err := s.today(); err == nil {
		t.Today = today.String()
	}
	b, err := json.Marshal(t)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write calendar table", "err", err)
	}
}
