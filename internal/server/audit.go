package server

import (
	"encoding/json"
	"net/http"
	"time"

	"leoc/internal/leoc"
)

type auditJSON struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	UserID   int64           `json:"user_id"`
	Username string          `json:"username"`
	IP       string          `json:"ip"`
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Details  json.RawMessage `json:"details"`
	Hash     string          `json:"hash"`
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	f, err := s.auditFilter(r.URL.Query())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	entries, total, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]auditJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, auditJSON{ID: e.ID, At: e.At, UserID: e.UserID, Username: e.Username, IP: e.IP, Action: e.Action,
			Entity: e.Entity, EntityID: e.EntityID, Details: json.RawMessage(e.Details), Hash: e.Hash})
	}
	writeList(s, w, r, out, total, f.Page, f.PerPage, f.Keyset)
}

// apiUnlock unlocks a record of any register: the caller needs the unlock
// permission (admins, or users granted it) AND the unlock key, and gives a
// reason. Wrong keys are limited per user and audited.
func (s *Server) apiUnlock(w http.ResponseWriter, r *http.Request) {
	reg, ok := s.store.Register(r.PathValue("register"))
	id, err := idParam(r)
	if !ok || err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "record.not_found"))
		return
	}
	var in struct {
		Key    string `json:"key"`
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.unlock(r, state(r).user, reg, id, in.Key, in.Reason); err != nil {
		if leoc.ErrorCode(err) == leoc.ERateLimited {
			w.Header().Set("Retry-After", "900")
		}
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"id": id, "register": reg.Name, "locked": false})
}
