package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// usersView is the users page: the list, and for admins the forms.
type usersView struct {
	Users     []userRow
	Roles     []model.Role
	CanManage bool
	SelfID    int64
	// NewPassword is a one-time password just made for Email; it is in this
	// response only and never stored in clear.
	NewPassword, NewPasswordFor string
	Error                       string
	Form                        userForm // the add form, refilled after an error
}

type userRow struct {
	model.User
	SignIn      string // how they sign in, in words
	HasPassword bool
}

// signInWords says how u signs in.
func signInWords(u *model.User) string {
	var ways []string
	switch {
	case auth.MustChange(u.PasswordHash):
		ways = append(ways, "one-time password (not yet changed)")
	case u.PasswordHash != "":
		ways = append(ways, "password")
	}
	if u.OIDCSubject != "" {
		ways = append(ways, "single sign-on")
	}
	if len(ways) == 0 {
		return "none"
	}
	return strings.Join(ways, ", ")
}

type userForm struct {
	Name, Email string
	Role        model.Role
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	us, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range us {
		v.Users = append(v.Users, userRow{User: us[i], SignIn: signInWords(&us[i]), HasPassword: us[i].PasswordHash != ""})
	}
	u := state(r).user
	v.Roles, v.SelfID = model.Roles, u.ID
	v.CanManage = auth.Allowed(u.Role, auth.UsersManage)
	if v.Form.Role == "" {
		v.Form.Role = model.RoleStaff
	}
	s.render(w, r, status, "users", page{Title: "Users", Active: "Users", Data: v})
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersView{})
}

// addUser creates a user with a one-time password, shown on the result page.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	f := userForm{Name: strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.ToLower(strings.TrimSpace(r.PostFormValue("email"))), Role: model.Role(r.PostFormValue("role"))}
	bad := func(status int, msg string) { s.renderUsers(w, r, status, usersView{Error: msg, Form: f}) }
	switch {
	case f.Name == "" || len(f.Name) > 200:
		bad(http.StatusBadRequest, "Give a name of at most 200 characters.")
		return
	case len(f.Email) > 254 || !strings.Contains(f.Email, "@") || strings.ContainsAny(f.Email, " \t\r\n"):
		bad(http.StatusBadRequest, "Give an e-mail address.")
		return
	case !f.Role.Valid():
		bad(http.StatusBadRequest, "Choose one of the roles.")
		return
	}
	password, hash, err := auth.NewOneTimePassword()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := &model.User{Email: f.Email, Name: f.Name, Role: f.Role, PasswordHash: hash}
	if err := s.store.CreateUser(r.Context(), actor(r), u); errs.Is(err, errs.Conflict) {
		bad(http.StatusConflict, "A user with e-mail "+f.Email+" already exists.")
		return
	} else if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderUsers(w, r, http.StatusOK, usersView{NewPassword: password, NewPasswordFor: u.Email})
}

// targetUser reads the {id} of a user route; it answers 404 itself when
// there is no such user.
func (s *Server) targetUser(w http.ResponseWriter, r *http.Request) *model.User {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderStatus(w, r, http.StatusNotFound, "No such user", "")
		return nil
	}
	u, err := s.store.User(r.Context(), id)
	if errs.Is(err, errs.NotFound) {
		s.renderStatus(w, r, http.StatusNotFound, "No such user", "")
		return nil
	} else if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return u
}

// refuseSelf answers 403 when the target is the admin acting: an admin
// who demotes or disables themselves could leave nobody able to undo it.
func (s *Server) refuseSelf(w http.ResponseWriter, r *http.Request, u *model.User, msg string) bool {
	if u.ID != state(r).user.ID {
		return false
	}
	s.renderUsers(w, r, http.StatusForbidden, usersView{Error: msg})
	return true
}

// saveUser stores u's new role or state and redirects to the list.
func (s *Server) saveUser(w http.ResponseWriter, r *http.Request, u *model.User) {
	if err := s.store.UpdateUser(r.Context(), actor(r), u); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.tokens.forgetUser(u.ID) // the cache holds the old role and state
	http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
}

func (s *Server) changeUserRole(w http.ResponseWriter, r *http.Request) {
	u := s.targetUser(w, r)
	if u == nil {
		return
	}
	role := model.Role(r.PostFormValue("role"))
	if !role.Valid() {
		s.renderUsers(w, r, http.StatusBadRequest, usersView{Error: "Choose one of the roles."})
		return
	}
	if role != u.Role && s.refuseSelf(w, r, u, "You cannot change your own role; another administrator can.") {
		return
	}
	u.Role = role
	s.saveUser(w, r, u)
}

// disableUser disables a user and ends their sessions, so they are signed
// out at their next request.
func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) {
	u := s.targetUser(w, r)
	if u == nil || s.refuseSelf(w, r, u, "You cannot disable yourself; another administrator can.") {
		return
	}
	if u.DisabledAt == nil {
		now := s.cfg.Now()
		u.DisabledAt = &now
		if err := s.store.UpdateUser(r.Context(), actor(r), u); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.tokens.forgetUser(u.ID)
	// Even for a user already disabled: the sessions go whatever happened before.
	if err := s.store.DeleteUserSessions(r.Context(), u.ID, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) {
	u := s.targetUser(w, r)
	if u == nil {
		return
	}
	u.DisabledAt = nil
	s.saveUser(w, r, u)
}

// resetUserPassword gives a user a new one-time password, shown once, and
// ends their sessions.
func (s *Server) resetUserPassword(w http.ResponseWriter, r *http.Request) {
	u := s.targetUser(w, r)
	if u == nil || s.refuseSelf(w, r, u, "Change your own password on the Settings page.") {
		return
	}
	if u.PasswordHash == "" {
		s.renderUsers(w, r, http.StatusConflict, usersView{Error: u.Email + " signs in through single sign-on only; their password is managed there."})
		return
	}
	password, hash, err := auth.NewOneTimePassword()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	if err := s.store.SetPassword(ctx, actor(r), u.ID, hash); err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderUsers(w, r, http.StatusOK, usersView{NewPassword: password, NewPasswordFor: u.Email})
}
