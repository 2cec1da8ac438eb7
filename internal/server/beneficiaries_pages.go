package server

import (
	"net/http"
	"strconv"

	"leoc/internal/bs"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// What the beneficiary pages show beyond the shared lifecycle: the
// allowance types, genders and wards by name.

type beneficiaryChoices struct {
	Allowances  []choice
	Labels      map[string]string // allowance key → label in the page language
	Genders     []choice
	Wards       []store.Ward
	WardNumbers []choice // the wards as the form offers them: by number
}

func (s *Server) beneficiaryChoices(r *http.Request) *beneficiaryChoices {
	c := &beneficiaryChoices{Allowances: s.listChoices(r, store.ListAllowanceType), Labels: map[string]string{}}
	for _, a := range c.Allowances {
		c.Labels[a.Value] = a.Label
	}
	for _, g := range leoc.Genders {
		c.Genders = append(c.Genders, choice{g, s.cat.T(state(r).lang, "beneficiary.gender."+g)})
	}
	_, c.Wards = s.wardChoices(r)
	for _, w := range c.Wards {
		n := strconv.Itoa(w.Number)
		label := n
		if state(r).lang == "ne" {
			label = bs.DevanagariDigits(n)
		}
		c.WardNumbers = append(c.WardNumbers, choice{n, label})
	}
	return c
}

// Label is the allowance type's label, or its key when it was removed.
func (c *beneficiaryChoices) Label(key string) string {
	if l, ok := c.Labels[key]; ok {
		return l
	}
	return key
}

// beneficiaryRow is a beneficiary in the list, with the allowance's label.
type beneficiaryRow struct {
	*leoc.Beneficiary
	Allowance string
}

type beneficiaryRows []beneficiaryRow

func (s *Server) beneficiaryRows(r *http.Request, items []*leoc.Beneficiary) any {
	c, rows := s.beneficiaryChoices(r), make(beneficiaryRows, len(items))
	for i, b := range items {
		rows[i] = beneficiaryRow{b, c.Label(b.AllowanceType)}
	}
	return rows
}

func (s *Server) beneficiaryFilterBar(r *http.Request) *filterBar {
	c := s.beneficiaryChoices(r)
	return &filterBar{Action: "/beneficiaries", Types: c.Allowances, TypeParam: "allowance_type", Wards: c.Wards,
		Query: r.URL.Query(), SearchLabel: "beneficiary.search"}
}

type beneficiaryDetailData struct {
	B       *leoc.Beneficiary
	Choices *beneficiaryChoices
}

type beneficiaryFormData struct {
	Edit    *leoc.Beneficiary
	Choices *beneficiaryChoices
}
