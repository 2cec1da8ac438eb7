package server

import (
	"net/http"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// What the beneficiary pages show beyond the shared lifecycle: the
// allowance types, genders and wards by name.

type beneficiaryChoices struct {
	Allowances []choice
	Labels     map[string]string // allowance key → label in the page language
	Genders    []choice
	Wards      []store.Ward
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
	return c
}

// Label is the allowance type's label, or its key when it was removed.
func (c *beneficiaryChoices) Label(key string) string {
	if l, ok := c.Labels[key]; ok {
		return l
	}
	return key
}

// beneficiaryRows are the list page's rows and the choices of its filter.
type beneficiaryRows struct {
	Rows    []*leoc.Beneficiary
	Choices *beneficiaryChoices
}

type beneficiaryDetailData struct {
	B       *leoc.Beneficiary
	Choices *beneficiaryChoices
}

type beneficiaryFormData struct {
	Edit    *leoc.Beneficiary
	Choices *beneficiaryChoices
}
