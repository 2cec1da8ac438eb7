package server

import (
	"net/http"
	"time"

	"leoc/internal/leoc"
)

// userJSON is a user in the API. It never carries the password hash.
type userJSON struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        leoc.Role  `json:"role"`
	Wards       []int      `json:"wards"`
	CanUnlock   bool       `json:"can_unlock"`
	SeeAll      bool       `json:"see_all_personal"`
	Disabled    bool       `json:"disabled"`
	Lang        string     `json:"lang"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
}

func toUserJSON(u *leoc.User) userJSON {
	j := userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Wards: u.Wards,
		CanUnlock: u.CanUnlock, SeeAll: u.SeeAllPersonal, Disabled: u.Disabled, Lang: u.Lang, CreatedAt: u.CreatedAt}
	if j.Wards == nil {
		j.Wards = []int{}
	}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt
		j.LastLoginAt = &t
	}
	return j
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	perms := []leoc.Permission{}
	for _, p := range []leoc.Permission{leoc.PermRead, leoc.PermWriteRecords, leoc.PermWriteFinance, leoc.PermManageUsers,
		leoc.PermManageSetting, leoc.PermViewAudit, leoc.PermUnlock, leoc.PermPublish} {
		if u.Can(p) {
			perms = append(perms, p)
		}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"user": toUserJSON(u), "permissions": perms,
		"sees_all_personal_data": u.SeesAllPersonalData()})
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, toUserJSON(u))
	}
	s.writeJSON(w, r, http.StatusOK, listPage[userJSON]{Items: out, Total: len(out), Page: 1, PerPage: len(out)})
}

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) {
	if u := s.loadUserParam(w, r); u != nil {
		s.writeJSON(w, r, http.StatusOK, toUserJSON(u))
	}
}

type userInput struct {
	Username    string    `json:"username"`
	Password    string    `json:"password"`
	DisplayName string    `json:"display_name"`
	Role        leoc.Role `json:"role"`
	Wards       []int     `json:"wards"`
	CanUnlock   bool      `json:"can_unlock"`
	SeeAll      bool      `json:"see_all_personal"`
	Disabled    bool      `json:"disabled"`
	Lang        string    `json:"lang"`
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) {
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	u := &leoc.User{Username: leoc.NormalizeUsername(in.Username), DisplayName: in.DisplayName, Role: in.Role, Wards: in.Wards,
		CanUnlock: in.CanUnlock, SeeAllPersonal: in.SeeAll, Disabled: in.Disabled, Lang: in.Lang}
	if err := s.createUser(r, u, in.Password, in.Password); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+idString(u.ID))
	s.writeJSON(w, r, http.StatusCreated, toUserJSON(u))
}

// apiUserUpdate replaces the editable fields; a password in the body sets a
// new password (and ends the user's sessions).
func (s *Server) apiUserUpdate(w http.ResponseWriter, r *http.Request) {
	u := s.loadUserParam(w, r)
	if u == nil {
		return
	}
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if in.Username != "" && leoc.NormalizeUsername(in.Username) != u.Username {
		s.renderError(w, r, &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
			Fields: map[string]leoc.Msg{"username": leoc.M("user.username_fixed")}})
		return
	}
	if in.Password != "" {
		if k := leoc.CheckPassword(in.Password, u.Username); k != "" {
			s.renderError(w, r, &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
				Fields: map[string]leoc.Msg{"password": leoc.M(k, leoc.PasswordMinLen)}})
			return
		}
	}
	edit := *u
	edit.DisplayName, edit.Role, edit.Wards, edit.CanUnlock, edit.Disabled, edit.Lang = in.DisplayName, in.Role, in.Wards, in.CanUnlock, in.Disabled, in.Lang
	edit.SeeAllPersonal = in.SeeAll
	if err := s.store.UpdateUser(r.Context(), actor(r), &edit); err != nil {
		s.renderError(w, r, err)
		return
	}
	if in.Password != "" {
		if err := s.setPassword(r, u.ID, in.Password, true); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.writeJSON(w, r, http.StatusOK, toUserJSON(&edit))
}
