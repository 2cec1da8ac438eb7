package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Pages of the beneficiary register: list, new, detail, edit, delete.

type beneficiaryChoices struct {
	Allowances []choice
	Labels     map[string]string // allowance key → label in the page language
	Genders    []choice
	Wards      []store.Ward
}

func (s *Server) beneficiaryChoices(r *http.Request) (*beneficiaryChoices, error) {
	lang := state(r).lang
	values, err := s.store.ListValues(r.Context(), store.ListAllowanceType)
	if err != nil {
		return nil, err
	}
	c := &beneficiaryChoices{Labels: map[string]string{}}
	for _, v := range values {
		c.Allowances = append(c.Allowances, choice{v.Key, v.Label(lang)})
		c.Labels[v.Key] = v.Label(lang)
	}
	for _, g := range leoc.Genders {
		c.Genders = append(c.Genders, choice{g, s.cat.T(lang, "beneficiary.gender."+g)})
	}
	if c.Wards, err = s.store.Wards(r.Context()); err != nil {
		return nil, err
	}
	return c, nil
}

// Label is the allowance type's label, or its key when it was removed.
func (c *beneficiaryChoices) Label(key string) string {
	if l, ok := c.Labels[key]; ok {
		return l
	}
	return key
}

type beneficiaryListData struct {
	Items   []*leoc.Beneficiary
	Pager   *pager
	Choices *beneficiaryChoices
	Query   url.Values
}

// Has reports whether a repeatable query value is selected.
func (d *beneficiaryListData) Has(name, value string) bool {
	for _, v := range d.Query[name] {
		for _, part := range strings.Split(v, ",") {
			if part == value {
				return true
			}
		}
	}
	return false
}

func (s *Server) beneficiariesPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.beneficiaryChoices(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := r.URL.Query()
	d := &beneficiaryListData{Choices: c, Query: q, Pager: &pager{}}
	f, err := s.beneficiaryFilter(r)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "beneficiary_list", d, fm)
		return
	}
	var total int
	if d.Items, total, err = s.store.Beneficiaries(r.Context(), f); err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, b := range d.Items {
		maskBeneficiary(state(r).user, b)
	}
	d.Pager = newPager("/beneficiaries", q, f, total)
	s.renderPage(w, r, http.StatusOK, "beneficiary_list", d)
}

type beneficiaryDetailData struct {
	B       *leoc.Beneficiary
	Choices *beneficiaryChoices
}

func (s *Server) beneficiaryPage(w http.ResponseWriter, r *http.Request) {
	b := s.loadBeneficiary(w, r)
	if b == nil {
		return
	}
	c, err := s.beneficiaryChoices(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	maskBeneficiary(state(r).user, b)
	s.renderPage(w, r, http.StatusOK, "beneficiary_detail", &beneficiaryDetailData{B: b, Choices: c})
}

type beneficiaryFormData struct {
	Edit    *leoc.Beneficiary
	Choices *beneficiaryChoices
}

func (s *Server) renderBeneficiaryForm(w http.ResponseWriter, r *http.Request, status int, edit *leoc.Beneficiary, f *form) {
	c, err := s.beneficiaryChoices(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f = s.reshown(r, f)
	if f == nil {
		f = &form{Values: url.Values{}}
		if edit != nil {
			f.Values = beneficiaryValues(edit)
		} else if u := state(r).user; len(u.Wards) == 1 {
			f.Values.Set("ward", strconv.Itoa(u.Wards[0]))
		}
	}
	s.renderPageForm(w, r, status, "beneficiary_form", &beneficiaryFormData{Edit: edit, Choices: c}, f)
}

func beneficiaryValues(b *leoc.Beneficiary) url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"name": b.Name, "id_number": b.IDNumber, "allowance_type": b.AllowanceType, "gender": b.Gender,
		"ward": strconv.Itoa(b.Ward), "tole": b.Tole, "phone": b.Phone, "bank_account_holder": b.BankAccountHolder,
		"bank_account_number": b.BankAccountNumber, "bank_name": b.BankName, "notes": b.Notes, "version": strconv.Itoa(b.Version)} {
		v.Set(k, x)
	}
	if b.Age != nil {
		v.Set("age", strconv.Itoa(*b.Age))
	}
	if b.Coords != nil {
		v.Set("latitude", strconv.FormatFloat(b.Coords.Latitude, 'f', -1, 64))
		v.Set("longitude", strconv.FormatFloat(b.Coords.Longitude, 'f', -1, 64))
	}
	return v
}

func beneficiaryInputFrom(v url.Values) (*leoc.BeneficiaryInput, *leoc.Validation) {
	var bad leoc.Validation
	number := func(name string) string { return strings.TrimSpace(bs.ASCIIDigits(v.Get(name))) }
	in := &leoc.BeneficiaryInput{Name: v.Get("name"), IDNumber: v.Get("id_number"), AllowanceType: v.Get("allowance_type"),
		Gender: v.Get("gender"), Tole: v.Get("tole"), Phone: v.Get("phone"), BankAccountHolder: v.Get("bank_account_holder"),
		BankAccountNumber: v.Get("bank_account_number"), BankName: v.Get("bank_name"), Notes: v.Get("notes")}
	if raw := number("ward"); raw != "" {
		var err error
		if in.Ward, err = strconv.Atoi(raw); err != nil {
			bad.Add("ward", "field.choice")
		}
	}
	if raw := number("age"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			bad.Add("age", "field.number")
		} else {
			in.Age = &n
		}
	}
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"latitude", &in.Latitude}, {"longitude", &in.Longitude}} {
		if raw := number(c.name); raw != "" {
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				bad.Add(c.name, "incident.coordinate_invalid")
				continue
			}
			*c.dst = &x
		}
	}
	in.Version, _ = strconv.Atoi(v.Get("version"))
	return in, &bad
}

func (s *Server) beneficiaryNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderBeneficiaryForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) beneficiaryCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	in, bad := beneficiaryInputFrom(r.PostForm)
	b, err := s.createBeneficiary(r, in, bad)
	if err != nil {
		if leoc.ErrorCode(err) == leoc.EInternal {
			s.renderError(w, r, err)
			return
		}
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderBeneficiaryForm(w, r, status, nil, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/beneficiaries/"+idString(b.ID))
}

func (s *Server) beneficiaryEditPage(w http.ResponseWriter, r *http.Request) {
	editForm(s, w, r, s.store.Beneficiary, func(b *leoc.Beneficiary) int { return b.Ward },
		func(b *leoc.Beneficiary) { s.renderBeneficiaryForm(w, r, http.StatusOK, b, nil) })
}

func (s *Server) beneficiaryUpdate(w http.ResponseWriter, r *http.Request) {
	b := s.loadBeneficiary(w, r)
	if b == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	orig := *b
	in, bad := beneficiaryInputFrom(r.PostForm)
	err := s.updateBeneficiary(r, b, in, bad)
	s.formSaved(w, r, err, "/beneficiaries/"+idString(b.ID), func(f *form, status int) { s.renderBeneficiaryForm(w, r, status, &orig, f) })
}

func (s *Server) beneficiaryDelete(w http.ResponseWriter, r *http.Request) {
	s.deleteForm(w, r, "/beneficiaries", s.store.DeleteBeneficiary)
}
