package server

import (
	"net/http"
	"net/url"
	"slices"
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

type beneficiaryLifecycle = lifecycle[*leoc.Beneficiary, leoc.BeneficiaryInput, *leoc.BeneficiaryInput]

func (s *Server) beneficiaries() *beneficiaryLifecycle {
	return (&beneficiaryLifecycle{
		s: s, Path: "/beneficiaries", API: "/api/v1/ssf-beneficiaries", Template: "beneficiary",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.BeneficiaryLimits,
		Get: s.store.Beneficiary, List: s.store.Beneficiaries,
		Create: asUser(s.store.CreateBeneficiary),
		Update: asUser(s.store.UpdateBeneficiary),
		Delete: asUser(s.store.DeleteBeneficiary),
		New:    func() *leoc.Beneficiary { return &leoc.Beneficiary{} },
		Input:  (*leoc.Beneficiary).Input,
		JSON:   func(b *leoc.Beneficiary) any { return toBeneficiaryJSON(b).object() },
		Ward:   func(b *leoc.Beneficiary) int { return b.Ward },
		Mask:   maskBeneficiary,
		Apply: func(r *http.Request, in *leoc.BeneficiaryInput, b *leoc.Beneficiary) error {
			rules, err := s.store.BeneficiaryRules(r.Context())
			if err != nil {
				return err
			}
			return in.Apply(rules, b)
		},
		Defaults: func(r *http.Request) url.Values {
			if u := state(r).user; len(u.Wards) == 1 {
				return url.Values{"ward": {strconv.Itoa(u.Wards[0])}}
			}
			return url.Values{}
		},
		FormData: func(r *http.Request, edit *leoc.Beneficiary, _ *form) any {
			return &beneficiaryFormData{Edit: edit, Choices: s.beneficiaryChoices(r)}
		},
		Detail: func(r *http.Request, b *leoc.Beneficiary) any {
			return &beneficiaryDetailData{B: b, Choices: s.beneficiaryChoices(r)}
		},
		ListData: s.beneficiaryRows,
		Bar:      s.beneficiaryFilterBar,
		Narrow: func(q url.Values, f *store.RecordFilter) {
			f.Types = slices.DeleteFunc(slices.Clone(q["allowance_type"]), isBlank)
		},
	}).bind()
}

// beneficiaryRoutes are the register's routes: the shared lifecycle with
// the API under the name scripts were promised, the household lookup of
// the distribution form, and the API's unlock alias.
func (s *Server) beneficiaryRoutes() []route {
	return append(s.beneficiaries().routes(),
		route{pattern: "GET /api/v1/ssf-beneficiaries/lookup", access: authenticated, perm: leoc.PermRead, h: s.apiBeneficiaryLookup},
		route{pattern: "POST /api/v1/ssf-beneficiaries/{id}/unlock", access: authenticated, perm: leoc.PermUnlock, h: func(w http.ResponseWriter, r *http.Request) {
			r.SetPathValue("register", store.BeneficiaryRegister.Name)
			s.apiUnlock(w, r)
		}},
	)
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

// object is j as encoding/json writes it (TestBeneficiaryObjectMatchesJSON),
// for the list, which appends it without reflection.
func (j beneficiaryJSON) object() *jsonObject {
	o := newJSONObject(26)
	o.add("id", j.ID)
	o.add("locked", j.Locked)
	if j.OpenUntil != nil {
		o.add("open_until", *j.OpenUntil)
	}
	o.add("version", j.Version)
	o.add("created_at", j.CreatedAt)
	o.add("created_by", j.CreatedBy)
	o.add("updated_at", j.UpdatedAt)
	o.add("updated_by", j.UpdatedBy)
	o.add("name", j.Name)
	o.add("id_number", j.IDNumber)
	o.add("allowance_type", j.AllowanceType)
	o.add("age", orNull(j.Age))
	o.add("gender", j.Gender)
	o.add("ward", j.Ward)
	o.add("tole", j.Tole)
	o.add("latitude", orNull(j.Latitude))
	o.add("longitude", orNull(j.Longitude))
	o.add("phone", j.Phone)
	o.add("bank_account_holder", j.BankAccountHolder)
	o.add("bank_account_number", j.BankAccountNumber)
	o.add("bank_name", j.BankName)
	o.add("notes", j.Notes)
	o.add("vulnerable", j.Vulnerable)
	o.add("personal_data_masked", j.Masked)
	return o
}

// orNull is *p, or nil (null in JSON) when p is nil.
func orNull[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
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
