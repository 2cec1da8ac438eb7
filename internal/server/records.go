package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"leoc/internal/auth"
	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The shared parts of every register's handlers: list filters, ids, the
// unlock form, record metadata in JSON.

// recordFilter reads the list filters every register shares from a query:
// fy (repeatable, "2082/83"), ward (repeatable), from/to (BS dates), type
// (repeatable), q, sort, order=asc, page, per_page. A user limited to wards
// sees their wards unless they ask for others.
func (s *Server) recordFilter(q url.Values, u *leoc.User) (store.RecordFilter, error) {
	var v leoc.Validation
	f := store.RecordFilter{Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Asc: q.Get("order") == "asc"}
	for _, raw := range q["fy"] {
		if raw == "" {
			continue
		}
		fy, err := bs.ParseFiscalYear(raw)
		if err != nil {
			v.Add("fy", "fiscal_year.invalid")
			continue
		}
		f.FiscalYears = append(f.FiscalYears, fy.Start)
	}
	var wards []int
	for _, raw := range q["ward"] {
		for _, part := range strings.Split(raw, ",") {
			if part = strings.TrimSpace(bs.ASCIIDigits(part)); part == "" {
				continue
			}
			n, err := strconv.Atoi(part)
			if err != nil || n < 1 || n > 99 {
				v.Add("ward", "ward.unknown", part)
				continue
			}
			wards = append(wards, n)
		}
	}
	f.Wards = u.ListWards(wards)
	var all bool
	f.SearchWards, all = u.PersonalWards()
	f.SearchScoped = !all
	for _, t := range q["type"] {
		if t != "" {
			f.Types = append(f.Types, t)
		}
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := q.Get(d.name); raw != "" {
			if date, ok := s.parseBS(&v, d.name, raw); ok {
				ad, _ := s.cal.ToAD(date)
				*d.dst = ad.Format(time.DateOnly)
			}
		}
	}
	f.Page = parsePage(&v, q.Get("page"))
	f.After, f.Keyset = q.Get("after"), &store.Keyset{}
	var err error
	if p := q.Get("per_page"); p != "" {
		if f.PerPage, err = strconv.Atoi(p); err != nil || f.PerPage < 1 || f.PerPage > store.MaxPerPage {
			v.Add("per_page", "list.per_page_max", store.MaxPerPage)
		}
	}
	return f, v.Err()
}

// fiscalYearOptions are the fiscal years a filter offers: those that have
// records, and the current one, newest first — derived, never typed.
func (s *Server) fiscalYearOptions(r *http.Request, register string) []bs.FiscalYear {
	years, err := s.store.FiscalYears(r.Context(), register)
	if err != nil {
		s.log.Error("fiscal years", "err", err, "register", register)
	}
	if today, err := s.today(); err == nil {
		if cur := bs.FiscalYearOf(today).Start; !slices.Contains(years, cur) {
			years = append(years, cur)
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	out := make([]bs.FiscalYear, len(years))
	for i, y := range years {
		out[i] = bs.FiscalYear{Start: y}
	}
	return out
}

func idParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	return id, nil
}

// recordJSON is the metadata every record carries in the API.
type recordJSON struct {
	ID     int64 `json:"id"`
	Locked bool  `json:"locked"`
	// OpenUntil is when the edit window of an open record ends; absent
	// when the record is locked or unlocked by key.
	OpenUntil *time.Time `json:"open_until,omitempty"`
	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	UpdatedAt time.Time  `json:"updated_at"`
	UpdatedBy string     `json:"updated_by"`
}

func toRecordJSON(r leoc.Record) recordJSON {
	j := recordJSON{ID: r.ID, Locked: r.Locked, Version: r.Version, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy}
	if !r.OpenUntil.IsZero() {
		j.OpenUntil = &r.OpenUntil
	}
	return j
}

// datedJSON is a record's date in the API.
type datedJSON struct {
	DateBS string `json:"date_bs"`
	derivedJSON
}

// derivedJSON is what a record's BS date gives, for a register whose
// fields (its Input's) carry date_bs itself.
type derivedJSON struct {
	DateAD     string `json:"date_ad"`
	FiscalYear string `json:"fiscal_year"`
}

func toDatedJSON(d leoc.Dated) datedJSON { return datedJSON{d.DateBS.String(), toDerivedJSON(d)} }

func toDerivedJSON(d leoc.Dated) derivedJSON {
	return derivedJSON{DateAD: d.DateAD.Format(time.DateOnly), FiscalYear: d.FiscalYear.Label()}
}

// nowValues are a new dated record's form values: today's BS date and the
// time in Nepal.
func (s *Server) nowValues(*http.Request) url.Values {
	v := url.Values{"time": {bs.NepalTime(s.now()).Format("15:04")}}
	if today, err := s.today(); err == nil {
		v.Set("date_bs", today.String())
	}
	return v
}

// unlockForm is the HTML twin of the unlock API, on every detail page of a
// locked record: key and reason in, back to the record.
func (s *Server) unlockForm(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	reg, ok := s.store.Register(r.PathValue("register"))
	id, err := idParam(r)
	if !ok || err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "record.not_found"))
		return
	}
	back := "/" + reg.Name + "/" + idString(id)
	if err := s.unlock(r, u, reg, id, r.PostFormValue("key"), r.PostFormValue("reason")); err != nil {
		e := s.domainError(r, err)
		if e.Code == leoc.EInternal {
			s.renderError(w, r, e)
			return
		}
		s.setFlash(w, "error", unlockFlashKey(e))
		s.redirect(w, r, back)
		return
	}
	s.setFlash(w, "success", "unlock.done")
	s.redirect(w, r, back)
}

// unlockFlashKey picks the one-line message for a refused unlock form.
func unlockFlashKey(e *leoc.Error) string {
	for _, k := range []string{"key", "reason"} {
		if m, ok := e.Fields[k]; ok {
			return m.Key
		}
	}
	return e.Message.Key
}

// unlock checks the permission, the reason, the rate limit and the key, and
// unlocks. Shared by the API and the form.
func (s *Server) unlock(r *http.Request, u *leoc.User, reg store.Register, id int64, key, reason string) error {
	var v leoc.Validation
	v.Check(key != "", "key", "unlock.key_required")
	v.Check(len([]rune(strings.TrimSpace(reason))) >= 5, "reason", "unlock.reason_required")
	v.Check(len([]rune(reason)) <= 500, "reason", "field.too_long", 500)
	if err := v.Err(); err != nil {
		return err
	}
	limitKey := "unlock:" + idString(u.ID)
	if d := s.allow(r.Context(), s.unlockTry, limitKey); !d.OK {
		return leoc.Errorf(leoc.ERateLimited, "ratelimit.unlock", int((d.RetryAfter+time.Minute-1)/time.Minute))
	}
	hash, err := s.store.UnlockKeyHash(r.Context())
	if err != nil {
		return err
	}
	match, err := auth.CheckPassword(hash, key)
	if err != nil {
		return err
	}
	if !match {
		s.auditOrLog(r, actor(r), "unlock.failure", reg.Name, idString(id), map[string]any{"reason": reason})
		return &leoc.Error{Code: leoc.EForbidden, Message: leoc.M("unlock.wrong_key"), Fields: map[string]leoc.Msg{"key": leoc.M("unlock.wrong_key")}}
	}
	if err := s.store.SetLocked(r.Context(), actor(r), u, reg.Name, id, false, strings.TrimSpace(reason)); err != nil {
		return err
	}
	s.reset(r.Context(), s.unlockTry, limitKey)
	return nil
}

// formSaved ends a record form post: on success a flash and a 303 to next,
// else formRefused (an other-ward refusal is an error page).
func (s *Server) formSaved(w http.ResponseWriter, r *http.Request, err error, next string, again func(f *form, status int)) {
	if err == nil {
		s.setFlash(w, "success", "record.saved")
		s.redirect(w, r, next)
		return
	}
	s.formRefused(w, r, err, false, again)
}

// formRefused shows a refused form again: with the warnings and "Save
// anyway" when only they stopped it, else with the problems; the error
// page for what the form cannot fix: locked, internal, and forbidden
// unless typed says the problem is in what was typed (a ward on a new
// record or on one the user may write).
func (s *Server) formRefused(w http.ResponseWriter, r *http.Request, err error, typed bool, again func(f *form, status int)) {
	if f, ok := s.warningForm(r, err); ok {
		again(f, http.StatusOK)
		return
	}
	if c := leoc.ErrorCode(err); c == leoc.ELocked || c == leoc.EInternal || c == leoc.EForbidden && !typed {
		s.renderError(w, r, err)
		return
	}
	again(s.formFromError(r, r.PostForm, err))
}

// deleted ends a record delete form: back to the list with a flash, or the
// error page.
func (s *Server) deleted(w http.ResponseWriter, r *http.Request, err error, list string) {
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.setFlash(w, "success", "record.deleted")
	s.redirect(w, r, list)
}

// deleteForm ends the delete form of a register with its own page
// handlers: del removes the record of the {id} path value as the request's
// user; then back to the list with a flash, or the error page.
func (s *Server) deleteForm(w http.ResponseWriter, r *http.Request, list string, del func(context.Context, store.Actor, *leoc.User, int64) error) {
	id, err := idParam(r)
	if err == nil {
		err = del(r.Context(), actor(r), state(r).user, id)
	}
	s.deleted(w, r, err, list)
}

// apiDelete answers a register's DELETE: del removes the record of the
// {id} path value as the request's user; 204, or the error.
func (s *Server) apiDelete(w http.ResponseWriter, r *http.Request, del func(context.Context, store.Actor, *leoc.User, int64) error) {
	id, err := idParam(r)
	if err == nil {
		err = del(r.Context(), actor(r), state(r).user, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// editForm shows the edit form of the record of the {id} path value when
// it may be edited (ward: the record's ward; 0 for a register without
// wards); show renders the form.
func editForm[T store.Recorded](s *Server, w http.ResponseWriter, r *http.Request, get func(context.Context, int64) (T, error), ward func(T) int, show func(T)) {
	rec, ok := loadOne(s, w, r, get)
	if ok && s.editable(w, r, *rec.Meta(), ward(rec)) {
		show(rec)
	}
}

// loadOne loads the record of the {id} path value, or answers the error.
func loadOne[T any](s *Server, w http.ResponseWriter, r *http.Request, get func(context.Context, int64) (T, error)) (T, bool) {
	var rec T
	id, err := idParam(r)
	if err == nil {
		rec, err = get(r.Context(), id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return rec, false
	}
	return rec, true
}

// loadRecord loads the record named by the {id} path value with get, or
// answers the error (404 for a bad or unknown id) and returns the zero value.
func loadRecord[T any](s *Server, w http.ResponseWriter, r *http.Request, get func(context.Context, int64) (T, error)) T {
	var zero T
	id, err := idParam(r)
	if err != nil {
		s.renderError(w, r, err)
		return zero
	}
	rec, err := get(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return zero
	}
	return rec
}

// editable decides whether the edit form of a record may be shown: not for
// another ward's record (ward 0 = a register without wards), not while it is
// locked. It answers the error itself.
func (s *Server) editable(w http.ResponseWriter, r *http.Request, rec leoc.Record, ward int) bool {
	if ward != 0 && !state(r).user.CanWriteWard(ward) {
		s.renderError(w, r, leoc.Errorf(leoc.EForbidden, "record.other_ward", ward))
		return false
	}
	if rec.Locked {
		s.renderError(w, r, leoc.Errorf(leoc.ELocked, "record.locked"))
		return false
	}
	return true
}

// checkEditable refuses an edit of a locked record, or one that does not
// say which version it changes (so two people editing at once cannot
// overwrite each other) — in that order in every register.
func checkEditable(locked bool, version int) error {
	if locked {
		return leoc.Errorf(leoc.ELocked, "record.locked")
	}
	if version <= 0 {
		return errVersionRequired()
	}
	return nil
}

// withWarnings is a record's JSON answer with "warnings" added last.
type withWarnings struct {
	rec      any
	warnings []apiWarning
}

func (a *withWarnings) MarshalJSON() ([]byte, error) {
	rec, err := json.Marshal(a.rec)
	if err != nil {
		return nil, err
	}
	warns, err := json.Marshal(a.warnings)
	if err != nil {
		return nil, err
	}
	if len(rec) < 2 || rec[len(rec)-1] != '}' {
		return nil, fmt.Errorf("warnings added to a record that is not an object: %s", rec)
	}
	out := append(rec[:len(rec)-1:len(rec)-1], []byte(`"warnings":`)...)
	if len(rec) > 2 {
		out = append(rec[:len(rec)-1:len(rec)-1], []byte(`,"warnings":`)...)
	}
	return append(append(out, warns...), '}'), nil
}
