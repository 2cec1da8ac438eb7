package server

import (
	"net/http"
	"strconv"

	"leoc/internal/store"
)

// The distribution form's warehouse: relief items are issued from it (the
// store takes them from stock in the same transaction). The warehouse of
// the household's ward is proposed, else the municipality's MAIN store;
// forms.js changes the proposal with the ward until the clerk chooses.

// warehouseChoice is a warehouse as the form offers it, with its ward.
type warehouseChoice struct {
	choice
	Ward string // "" for a municipality-wide store
	Main bool
}

func (s *Server) warehouseChoices(r *http.Request) ([]warehouseChoice, error) {
	whs, _, err := s.store.Warehouses().List(r.Context(), store.RecordFilter{PerPage: store.MaxPerPage})
	if err != nil {
		return nil, err
	}
	lang := state(r).lang
	out := make([]warehouseChoice, len(whs))
	for i, w := range whs {
		c := warehouseChoice{choice: choice{strconv.FormatInt(w.ID, 10), w.Code + " – " + w.Name(lang)}, Main: w.Code == "MAIN"}
		if w.Ward != 0 {
			c.Ward = strconv.Itoa(w.Ward)
		}
		out[i] = c
	}
	return out, nil
}

// proposedWarehouse is the id of the first warehouse of the ward, else of
// MAIN, else "" (no warehouse: the items are recorded, not taken from stock).
func proposedWarehouse(whs []warehouseChoice, ward string) string {
	for _, w := range whs {
		if ward != "" && w.Ward == ward {
			return w.Value
		}
	}
	for _, w := range whs {
		if w.Main {
			return w.Value
		}
	}
	return ""
}

// distributableChoices are the catalogue items a distribution may hand out.
func (s *Server) distributableChoices(r *http.Request, lang string) ([]choice, error) {
	items, err := s.store.DistributableItems(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]choice, len(items))
	for i, v := range items {
		out[i] = choice{v.Key, v.Label(lang)}
	}
	return out, nil
}
