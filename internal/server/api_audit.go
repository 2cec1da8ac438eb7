package server

import (
	"encoding/json"
	"net/http"
	"time"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"strconv"
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
	per, _ := pageSize(f.PerPage)
	s.writeJSON(w, r, http.StatusOK, listPage[auditJSON]{Items: out, Total: total, Page: max(f.Page, 1), PerPage: per})
}

// apiUnlock unlocks a record of any register: the caller needs the unlock
// permission (admins, or users granted it) AND the unlock key, and gives a
// reason. Wrong keys are limited per user and audited.
func (s *Server) apiUnlock(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	reg, ok := s.store.Register(r.PathValue("register"))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
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
	var v leoc.Validation
	v.Check(in.Key != "", "key", "field.required")
	v.Check(len([]rune(in.Reason)) >= 5, "reason", "unlock.reason_required")
	v.Check(len([]rune(in.Reason)) <= 500, "reason", "field.too_long", 500)
	if err := v.Err(); err != nil {
		s.renderError(w, r, err)
		return
	}
	limitKey := "unlock:" + idString(u.ID)
	if !s.unlockTry.Allow(limitKey) {
		w.Header().Set("Retry-After", "900")
		s.renderError(w, r, leoc.Errorf(leoc.ERateLimited, "unlock.rate_limited"))
		return
	}
	hash, err := s.store.UnlockKeyHash(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	match, err := auth.CheckPassword(hash, in.Key)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !match {
		s.auditOrLog(r, actor(r), "unlock.failure", reg.Name, idString(id), map[string]any{"reason": in.Reason})
		s.renderError(w, r, &leoc.Error{Code: leoc.EForbidden, Message: leoc.M("unlock.wrong_key"),
			Fields: map[string]leoc.Msg{"key": leoc.M("unlock.wrong_key")}})
		return
	}
	if err := s.store.SetLocked(r.Context(), actor(r), u, reg.Name, id, false, in.Reason); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.unlockTry.Reset(limitKey)
	s.writeJSON(w, r, http.StatusOK, map[string]any{"id": id, "register": reg.Name, "locked": false})
}
