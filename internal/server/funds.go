package server

import (
	"cmp"
	"net/http"
	"net/url"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The relief fund ledger: API and pages. Manual entries need the finance
// permission; the expenditures that cash distributions create are system
// entries and change only with their distribution.

// fundRoutes are the relief fund ledger's routes.
func (s *Server) fundRoutes() []route {
	read, finance := leoc.PermRead, leoc.PermWriteFinance
	return []route{
		{pattern: "GET /funds", access: authenticated, perm: read, h: s.fundsPage},
		{pattern: "POST /funds", access: authenticated, perm: finance, h: s.fundCreate},
		{pattern: "GET /funds/{id}", access: authenticated, perm: read, h: s.fundPage},
		{pattern: "POST /funds/{id}", access: authenticated, perm: finance, h: s.fundUpdate},
		{pattern: "POST /funds/{id}/delete", access: authenticated, perm: finance, h: s.fundDelete},

		{pattern: "GET /api/v1/funds/summary", access: authenticated, perm: read, h: s.apiFundSummary},
		{pattern: "GET /api/v1/funds/transactions", access: authenticated, perm: read, h: s.apiFundTransactions},
		{pattern: "POST /api/v1/funds/transactions", access: authenticated, perm: finance, h: s.apiFundCreate},
		{pattern: "GET /api/v1/funds/transactions/{id}", access: authenticated, perm: read, h: s.apiFundTransaction},
		{pattern: "PUT /api/v1/funds/transactions/{id}", access: authenticated, perm: finance, h: s.apiFundUpdate},
		{pattern: "DELETE /api/v1/funds/transactions/{id}", access: authenticated, perm: finance, h: s.apiFundDelete},
	}
}

func fundJSON(f *leoc.FundTransaction) *jsonObject {
	o := &jsonObject{}
	o.add("id", f.ID)
	o.add("kind", f.Kind)
	o.add("amount", f.Amount)
	o.add("description", f.Description)
	o.addDated(f.Dated)
	o.add("system", f.System)
	o.addID("distribution_id", f.DistributionID)
	o.addMeta(f.Record)
	return o
}

// fundFilter reads fy (repeatable), kind, page, per_page.
func (s *Server) fundFilter(q url.Values) (store.FundFilter, error) {
	var v leoc.Validation
	f := store.FundFilter{Kind: q.Get("kind")}
	rf, err := s.recordFilter(url.Values{"fy": q["fy"], "page": q["page"], "per_page": q["per_page"], "after": q["after"]}, &leoc.User{})
	if e, ok := leoc.AsError(err); ok {
		v.Fields = e.Fields
	} else if err != nil {
		return f, err
	}
	f.FiscalYears, f.Page, f.PerPage, f.After, f.Keyset = rf.FiscalYears, rf.Page, rf.PerPage, rf.After, rf.Keyset
	if f.Kind != "" {
		leoc.CheckChoice(&v, "kind", f.Kind, leoc.FundKinds)
	}
	return f, v.Err()
}

func (s *Server) apiFundTransactions(w http.ResponseWriter, r *http.Request) {
	f, err := s.fundFilter(r.URL.Query())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	entries, total, err := s.store.FundTransactions(r.Context(), f)
	if err == nil {
		err = s.maskFundEntries(r, entries)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]*jsonObject, 0, len(entries))
	for _, e := range entries {
		o := fundJSON(e.FundTransaction)
		if e.HasBalance {
			o.add("balance_after", e.Balance)
		}
		out = append(out, o)
	}
	writeList(s, w, r, out, total, f.Page, f.PerPage, f.Keyset)
}

func (s *Server) apiFundSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := s.store.FundSummary(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	years := make([]*jsonObject, 0, len(sum.ByFiscalYear))
	for _, y := range sum.ByFiscalYear {
		o := &jsonObject{}
		o.add("fiscal_year", y.FiscalYear.Label())
		o.add("income", y.Income)
		o.add("expenditure", y.Expenditure)
		years = append(years, o)
	}
	o := &jsonObject{}
	o.add("income", sum.Income)
	o.add("expenditure", sum.Expenditure)
	o.add("balance", sum.Balance)
	o.add("by_fiscal_year", years)
	s.writeJSON(w, r, http.StatusOK, o)
}

func (s *Server) loadFund(w http.ResponseWriter, r *http.Request) *leoc.FundTransaction {
	return loadRecord(s, w, r, s.store.FundTransaction)
}

func (s *Server) apiFundTransaction(w http.ResponseWriter, r *http.Request) {
	f := s.loadFund(w, r)
	if f == nil {
		return
	}
	if err := s.maskFunds(r, f); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, fundJSON(f))
}

func (s *Server) createFund(r *http.Request, in *leoc.FundInput) (*leoc.FundTransaction, error) {
	f := &leoc.FundTransaction{}
	if err := in.Apply(s.cal, f); err != nil {
		return nil, err
	}
	return f, s.store.CreateFundTransaction(r.Context(), actor(r), f)
}

// updateFund refuses system entries and locked ones before reading the input.
func (s *Server) updateFund(r *http.Request, f *leoc.FundTransaction, in *leoc.FundInput) error {
	if f.System {
		return leoc.Errorf(leoc.EConflict, "fund.system_entry", f.DistributionID)
	}
	if err := checkEditable(f.Locked, in.Version); err != nil {
		return err
	}
	if err := in.Apply(s.cal, f); err != nil {
		return err
	}
	f.Version = in.Version
	return s.store.UpdateFundTransaction(r.Context(), actor(r), state(r).user, f)
}

func (s *Server) apiFundCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.FundInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := s.createFund(r, &in)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/funds/transactions/"+idString(f.ID))
	s.writeJSON(w, r, http.StatusCreated, fundJSON(f))
}

func (s *Server) apiFundUpdate(w http.ResponseWriter, r *http.Request) {
	f := s.loadFund(w, r)
	if f == nil {
		return
	}
	var in leoc.FundInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.updateFund(r, f, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, fundJSON(f))
}

func (s *Server) apiFundDelete(w http.ResponseWriter, r *http.Request) {
	s.apiDelete(w, r, s.store.DeleteFundTransaction)
}

// Pages.

type fundsPageData struct {
	Summary *store.FundSummary
	Entries []store.FundEntry
	Pager   *pager
	Kinds   []string
}

func (s *Server) renderFunds(w http.ResponseWriter, r *http.Request, status int, f *form) {
	q := r.URL.Query()
	d := &fundsPageData{Kinds: leoc.FundKinds, Pager: &pager{}}
	filter, err := s.fundFilter(q)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Summary, err = s.store.FundSummary(r.Context()); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Entries, d.Pager.Total, err = s.store.FundTransactions(r.Context(), filter); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.maskFundEntries(r, d.Entries); err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Pager = newPager("/funds", q, store.RecordFilter{Page: filter.Page, PerPage: filter.PerPage, Keyset: filter.Keyset}, d.Pager.Total)
	f = s.reshown(r, f)
	if f == nil {
		f = &form{Values: url.Values{"kind": {"income"}}}
		if today, err := s.today(); err == nil {
			f.Values.Set("date_bs", today.String())
		}
	}
	s.renderPageForm(w, r, status, "fund_ledger", d, f)
}

func (s *Server) fundsPage(w http.ResponseWriter, r *http.Request) {
	s.renderFunds(w, r, http.StatusOK, nil)
}

func (s *Server) fundCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.FundInput
	parsed, err := decodePost(r, &in, nil)
	if err = cmp.Or(err, parsed); err == nil {
		_, err = s.createFund(r, &in)
	}
	if err != nil {
		if leoc.ErrorCode(err) == leoc.EInternal {
			s.renderError(w, r, err)
			return
		}
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderFunds(w, r, status, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/funds")
}

type fundPageData struct {
	*leoc.FundTransaction
}

func (s *Server) renderFund(w http.ResponseWriter, r *http.Request, status int, t *leoc.FundTransaction, f *form) {
	f = s.reshown(r, f)
	if f == nil {
		in := t.Input()
		f = &form{Values: encodeForm(&in)}
	}
	s.renderPageForm(w, r, status, "fund_detail", &fundPageData{t}, f)
}

func (s *Server) fundPage(w http.ResponseWriter, r *http.Request) {
	t := s.loadFund(w, r)
	if t == nil {
		return
	}
	if err := s.maskFunds(r, t); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderFund(w, r, http.StatusOK, t, nil)
}

func (s *Server) fundUpdate(w http.ResponseWriter, r *http.Request) {
	t := s.loadFund(w, r)
	if t == nil {
		return
	}
	orig := *t
	var in leoc.FundInput
	parsed, err := decodePost(r, &in, nil)
	if err = cmp.Or(err, parsed); err == nil {
		err = s.updateFund(r, t, &in)
	}
	if err != nil {
		if c := leoc.ErrorCode(err); c == leoc.EInternal || c == leoc.ELocked || (c == leoc.EConflict && orig.System) {
			s.renderError(w, r, err)
			return
		}
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderFund(w, r, status, &orig, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/funds/"+idString(t.ID))
}

func (s *Server) fundDelete(w http.ResponseWriter, r *http.Request) {
	s.deleteForm(w, r, "/funds", s.store.DeleteFundTransaction)
}
