package server

import (
	"net/http"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The social-security beneficiary register (सामाजिक सुरक्षा लाभग्राही): API
// under /api/v1/ssf-beneficiaries, pages under /beneficiaries. The register
// is named "beneficiaries" (pages, audit, unlock form); the API keeps the
// name scripts were promised and has its own unlock alias.

// beneficiaryRoutes are the social-security beneficiary register's routes.
func (s *Server) beneficiaryRoutes() []route {
	read, write := leoc.PermRead, leoc.PermWriteRecords
	return []route{
		{pattern: "GET /beneficiaries", access: authenticated, perm: read, h: s.beneficiariesPage},
		{pattern: "GET /beneficiaries/new", access: authenticated, perm: write, h: s.beneficiaryNewPage},
		{pattern: "POST /beneficiaries", access: authenticated, perm: write, h: s.beneficiaryCreate},
		{pattern: "GET /beneficiaries/{id}", access: authenticated, perm: read, h: s.beneficiaryPage},
		{pattern: "GET /beneficiaries/{id}/edit", access: authenticated, perm: write, h: s.beneficiaryEditPage},
		{pattern: "POST /beneficiaries/{id}", access: authenticated, perm: write, h: s.beneficiaryUpdate},
		{pattern: "POST /beneficiaries/{id}/delete", access: authenticated, perm: write, h: s.beneficiaryDelete},
		{pattern: "GET /api/v1/ssf-beneficiaries", access: authenticated, perm: read, h: s.apiBeneficiaries},
		{pattern: "GET /api/v1/ssf-beneficiaries/lookup", access: authenticated, perm: read, h: s.apiBeneficiaryLookup},
		{pattern: "POST /api/v1/ssf-beneficiaries", access: authenticated, perm: write, h: s.apiBeneficiaryCreate},
		{pattern: "GET /api/v1/ssf-beneficiaries/{id}", access: authenticated, perm: read, h: s.apiBeneficiary},
		{pattern: "PUT /api/v1/ssf-beneficiaries/{id}", access: authenticated, perm: write, h: s.apiBeneficiaryUpdate},
		{pattern: "DELETE /api/v1/ssf-beneficiaries/{id}", access: authenticated, perm: write, h: s.apiBeneficiaryDelete},
		{pattern: "POST /api/v1/ssf-beneficiaries/{id}/unlock", access: authenticated, perm: leoc.PermUnlock, h: func(w http.ResponseWriter, r *http.Request) {
			r.SetPathValue("register", store.BeneficiaryRegister.Name)
			s.apiUnlock(w, r)
		}},
	}
}

type beneficiaryJSON struct {
	recordJSON
	Name              string   `json:"name"`
	IDNumber          string   `json:"id_number"`
	AllowanceType     string   `json:"allowance_type"`
	Age               *int     `json:"age"`
	Gender            string   `json:"gender"`
	Ward              int      `json:"ward"`
	Tole              string   `json:"tole"`
	Latitude          *float64 `json:"latitude"`
	Longitude         *float64 `json:"longitude"`
	Phone             string   `json:"phone"`
	BankAccountHolder string   `json:"bank_account_holder"`
	BankAccountNumber string   `json:"bank_account_number"`
	BankName          string   `json:"bank_name"`
	Notes             string   `json:"notes"`
	Vulnerable        bool     `json:"vulnerable"`
	Masked            bool     `json:"personal_data_masked"`
}

func toBeneficiaryJSON(b *leoc.Beneficiary) beneficiaryJSON {
	j := beneficiaryJSON{recordJSON: toRecordJSON(b.Record), Name: b.Name, IDNumber: b.IDNumber, AllowanceType: b.AllowanceType,
		Age: b.Age, Gender: b.Gender, Ward: b.Ward, Tole: b.Tole, Phone: b.Phone, BankAccountHolder: b.BankAccountHolder,
		BankAccountNumber: b.BankAccountNumber, BankName: b.BankName, Notes: b.Notes, Vulnerable: b.Vulnerable(), Masked: b.Masked}
	if b.Coords != nil {
		lat, lon := b.Coords.Latitude, b.Coords.Longitude
		j.Latitude, j.Longitude = &lat, &lon
	}
	return j
}

// beneficiaryFilter reads the shared filters (ward, q, page, per_page,
// sort, order) plus allowance_type (repeatable).
func (s *Server) beneficiaryFilter(r *http.Request) (store.RecordFilter, error) {
	q := r.URL.Query()
	f, err := s.recordFilter(q, state(r).user)
	f.Types = nil
	for _, t := range q["allowance_type"] {
		if t != "" {
			f.Types = append(f.Types, t)
		}
	}
	return f, err
}

func (s *Server) apiBeneficiaries(w http.ResponseWriter, r *http.Request) {
	f, err := s.beneficiaryFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, total, err := s.store.Beneficiaries(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]beneficiaryJSON, 0, len(items))
	for _, b := range items {
		maskBeneficiary(state(r).user, b)
		out = append(out, toBeneficiaryJSON(b))
	}
	writeList(s, w, r, out, total, f.Page, f.PerPage, f.Keyset)
}

// apiBeneficiaryLookup is for the distribution form: who in this household
// (by ID number, phone or name, optionally in one ward) receives an
// allowance, and is the household vulnerable?
func (s *Server) apiBeneficiaryLookup(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var v leoc.Validation
	v.Check(q != "", "q", "field.required")
	v.Check(len([]rune(q)) <= 200, "q", "field.too_long", 200)
	ward := 0
	if raw := strings.TrimSpace(bs.ASCIIDigits(r.URL.Query().Get("ward"))); raw != "" {
		n, err := strconv.Atoi(raw)
		v.Check(err == nil && n > 0 && n < 100, "ward", "ward.unknown", raw)
		ward = n
	}
	if err := v.Err(); err != nil {
		s.renderError(w, r, err)
		return
	}
	list, err := s.store.BeneficiariesByHousehold(r.Context(), q, ward)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := struct {
		Items      []beneficiaryJSON `json:"items"`
		Vulnerable bool              `json:"vulnerable"`
	}{Items: make([]beneficiaryJSON, 0, len(list))}
	u := state(r).user
	for _, b := range list {
		// A household of a ward the user may not see is found by its
		// identity number (the clerk holds the card), never by a name or a
		// phone typed in: that would tell who receives which allowance.
		if !u.SeesPersonalData(b.Ward) && leoc.HouseholdKey(b.IDNumber) != leoc.HouseholdKey(q) {
			continue
		}
		maskBeneficiary(u, b)
		out.Items = append(out.Items, toBeneficiaryJSON(b))
		out.Vulnerable = out.Vulnerable || b.Vulnerable()
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) loadBeneficiary(w http.ResponseWriter, r *http.Request) *leoc.Beneficiary {
	return loadRecord(s, w, r, s.store.Beneficiary)
}

func (s *Server) apiBeneficiary(w http.ResponseWriter, r *http.Request) {
	if b := s.loadBeneficiary(w, r); b != nil {
		maskBeneficiary(state(r).user, b)
		s.writeJSON(w, r, http.StatusOK, toBeneficiaryJSON(b))
	}
}

func (s *Server) createBeneficiary(r *http.Request, in *leoc.BeneficiaryInput, parseErr *leoc.Validation) (*leoc.Beneficiary, error) {
	rules, err := s.store.BeneficiaryRules(r.Context())
	if err != nil {
		return nil, err
	}
	b := &leoc.Beneficiary{}
	if err := withParseErrors(parseErr, in.Apply(rules, b)); err != nil {
		return nil, err
	}
	return b, s.store.CreateBeneficiary(r.Context(), actor(r), state(r).user, b)
}

// updateBeneficiary applies an edit: ward and lock first (what stands in
// the way), then the version the client saw, then the input.
func (s *Server) updateBeneficiary(r *http.Request, b *leoc.Beneficiary, in *leoc.BeneficiaryInput, parseErr *leoc.Validation) error {
	if u := state(r).user; !u.CanWriteWard(b.Ward) {
		return leoc.Errorf(leoc.EForbidden, "record.other_ward", b.Ward)
	}
	if b.Locked {
		return leoc.Errorf(leoc.ELocked, "record.locked")
	}
	if in.Version <= 0 {
		return errVersionRequired()
	}
	rules, err := s.store.BeneficiaryRules(r.Context())
	if err != nil {
		return err
	}
	if err := withParseErrors(parseErr, in.Apply(rules, b)); err != nil {
		return err
	}
	b.Version = in.Version
	return s.store.UpdateBeneficiary(r.Context(), actor(r), state(r).user, b)
}

func (s *Server) apiBeneficiaryCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.BeneficiaryInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	b, err := s.createBeneficiary(r, &in, nil)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/ssf-beneficiaries/"+idString(b.ID))
	s.writeJSON(w, r, http.StatusCreated, toBeneficiaryJSON(b))
}

func (s *Server) apiBeneficiaryUpdate(w http.ResponseWriter, r *http.Request) {
	b := s.loadBeneficiary(w, r)
	if b == nil {
		return
	}
	var in leoc.BeneficiaryInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.updateBeneficiary(r, b, &in, nil); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, toBeneficiaryJSON(b))
}

func (s *Server) apiBeneficiaryDelete(w http.ResponseWriter, r *http.Request) {
	s.apiDelete(w, r, s.store.DeleteBeneficiary)
}
