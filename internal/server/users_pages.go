package server

import (
	"net/http"
	"net/url"
	"strconv"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

type usersData struct {
	Users []*leoc.User
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "users", &usersData{Users: users})
}

type userFormData struct {
	Edit   *leoc.User // nil for a new user
	Roles  []leoc.Role
	Wards  []store.Ward
	Tokens []store.APIToken
}

// HasWard tells the form whether a ward box is ticked.
func (d *userFormData) HasWard(f *form, n int) bool {
	if f != nil && f.Values != nil {
		for _, v := range f.Values["wards"] {
			if v == strconv.Itoa(n) {
				return true
			}
		}
		return false
	}
	if d.Edit == nil {
		return false
	}
	for _, w := range d.Edit.Wards {
		if w == n {
			return true
		}
	}
	return false
}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, edit *leoc.User, f *form) {
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &userFormData{Edit: edit, Roles: leoc.Roles, Wards: wards}
	if edit != nil {
		if d.Tokens, err = s.store.APITokens(r.Context(), edit.ID); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.renderPageForm(w, r, status, "user_form", d, f)
}

func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderUserForm(w, r, http.StatusOK, nil, nil)
}

// userFromForm reads the account fields shared by the create and edit forms.
func userFromForm(v url.Values, u *leoc.User) error {
	var val leoc.Validation
	u.DisplayName = v.Get("display_name")
	u.Role = leoc.Role(v.Get("role"))
	u.CanUnlock = v.Get("can_unlock") == "on"
	u.SeeAllPersonal = v.Get("see_all_personal") == "on"
	u.Disabled = v.Get("disabled") == "on"
	u.Lang = v.Get("lang")
	u.Wards = nil
	for _, w := range v["wards"] {
		n, err := strconv.Atoi(w)
		if err != nil {
			val.Add("wards", "ward.unknown", w)
			continue
		}
		u.Wards = append(u.Wards, n)
	}
	return val.Err()
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	u := &leoc.User{Username: leoc.NormalizeUsername(r.PostForm.Get("username"))}
	err := userFromForm(r.PostForm, u)
	if err == nil {
		err = s.createUser(r, u, r.PostForm.Get("password"), r.PostForm.Get("confirm_password"))
	}
	if err != nil {
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderUserForm(w, r, status, nil, f)
		return
	}
	s.setFlash(w, "success", "user.created")
	s.redirect(w, r, "/users/"+idString(u.ID))
}

// createUser validates the password and creates the account; the HTML form
// and the API share it.
func (s *Server) createUser(r *http.Request, u *leoc.User, password, confirm string) error {
	var v leoc.Validation
	if !leoc.ValidUsername(u.Username) {
		v.Add("username", "user.username_invalid")
	}
	if k := leoc.CheckPassword(password, u.Username); k != "" {
		v.Add("password", k, leoc.PasswordMinLen)
	}
	v.Check(password == confirm, "confirm_password", "password.mismatch")
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.CreateUser(r.Context(), actor(r), u, hash)
}

func (s *Server) loadUserParam(w http.ResponseWriter, r *http.Request) *leoc.User {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "user.not_found"))
		return nil
	}
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return nil
	}
	return u
}

func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request) {
	if u := s.loadUserParam(w, r); u != nil {
		s.renderUserForm(w, r, http.StatusOK, u, nil)
	}
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	u := s.loadUserParam(w, r)
	if u == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	edit := *u
	err := userFromForm(r.PostForm, &edit)
	if err == nil {
		err = s.store.UpdateUser(r.Context(), actor(r), &edit)
	}
	if err != nil {
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderUserForm(w, r, status, u, f)
		return
	}
	s.setFlash(w, "success", "user.saved")
	s.redirect(w, r, "/users/"+idString(u.ID))
}

// userResetPassword lets an admin set a new password for someone who forgot
// theirs; it ends that user's sessions.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) {
	u := s.loadUserParam(w, r)
	if u == nil {
		return
	}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm_password")
	var v leoc.Validation
	if k := leoc.CheckPassword(password, u.Username); k != "" {
		v.Add("password", k, leoc.PasswordMinLen)
	}
	v.Check(password == confirm, "confirm_password", "password.mismatch")
	if err := v.Err(); err != nil {
		f, status := s.formFromError(r, nil, err)
		s.renderUserForm(w, r, status, u, f)
		return
	}
	if err := s.setPassword(r, u.ID, password, true); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.setFlash(w, "success", "password.changed")
	s.redirect(w, r, "/users/"+idString(u.ID))
}

func (s *Server) setPassword(r *http.Request, userID int64, password string, revokeTokens bool) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(r.Context(), actor(r), userID, hash, revokeTokens)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "token.not_found"))
		return
	}
	if err := s.store.RevokeAPIToken(r.Context(), actor(r), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.setFlash(w, "success", "token.revoked")
	s.redirect(w, r, safeNext(r.PostFormValue("next")))
}
