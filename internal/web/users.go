package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
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
func signInWords(lang string, u *model.User) string {
	var ways []string
	switch {
	case auth.MustChange(u.PasswordHash):
		ways = append(ways, i18n.T(lang, "users.signin.one_time"))
	case u.PasswordHash != "":
		ways = append(ways, i18n.T(lang, "users.signin.password"))
	}
	if u.OIDCSubject != "" {
		ways = append(ways, i18n.T(lang, "users.signin.sso"))
	}
	if len(ways) == 0 {
		return i18n.T(lang, "users.signin.none")
	}
	return strings.Join(ways, ", ")
}

type userForm struct {
	Name, Email string
	Role        model.Role
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	us, err := s.users.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range us {
		v.Users = append(v.Users, userRow{User: us[i], SignIn: signInWords(pageLang(r), &us[i]), HasPassword: us[i].PasswordHash != ""})
	}
	u := state(r).user
	v.Roles, v.SelfID = model.Roles, u.ID
	v.CanManage = auth.Allowed(u.Role, auth.UsersManage)
	if v.Form.Role == "" {
		v.Form.Role = model.RoleStaff
	}
	s.render(w, r, status, "users", page{Title: tr(r, "title.users"), Active: "/settings/users", Data: v})
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersView{})
}

// usersError shows err on the users page, the form refilled with f; a
// missing user is the 404 page, an unexpected error the 500 page.
func (s *Server) usersError(w http.ResponseWriter, r *http.Request, err error, f userForm) {
	switch ae := toAPIError(state(r).lang, err); ae.kind {
	case errs.Internal, errs.NotFound:
		s.pageError(w, r, err)
	default:
		s.renderUsers(w, r, ae.status, usersView{Error: ae.Message, Form: f})
	}
}

// addUser creates a user with a one-time password, shown on the result page.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	f := userForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Role: model.Role(r.PostFormValue("role"))}
	u, password, err := s.users.Add(r.Context(), actor(r), users.NewUser{Name: f.Name, Email: f.Email, Role: f.Role})
	if err != nil {
		s.usersError(w, r, err, f)
		return
	}
	s.renderUsers(w, r, http.StatusOK, usersView{NewPassword: password, NewPasswordFor: u.Email})
}

// userID reads the {id} of a user route; an id that is no number names no user.
func userID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// afterUserChange goes back to the list. API tokens need nothing: each
// request reads its token and user from the database.
func (s *Server) afterUserChange(w http.ResponseWriter, r *http.Request, u *model.User, err error) {
	if err != nil {
		s.usersError(w, r, err, userForm{})
		return
	}
	http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
}

func (s *Server) changeUserRole(w http.ResponseWriter, r *http.Request) {
	u, err := s.users.SetRole(r.Context(), actor(r), state(r).user, userID(r), model.Role(r.PostFormValue("role")))
	s.afterUserChange(w, r, u, err)
}

// disableUser disables a user and ends their sessions.
func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.users.Disable(r.Context(), actor(r), state(r).user, userID(r))
	s.afterUserChange(w, r, u, err)
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.users.Enable(r.Context(), actor(r), userID(r))
	s.afterUserChange(w, r, u, err)
}

// resetUserPassword gives a user a new one-time password, shown once, and
// ends their sessions.
func (s *Server) resetUserPassword(w http.ResponseWriter, r *http.Request) {
	u, password, err := s.users.ResetPassword(r.Context(), actor(r), state(r).user, userID(r))
	if err != nil {
		s.usersError(w, r, err, userForm{})
		return
	}
	s.renderUsers(w, r, http.StatusOK, usersView{NewPassword: password, NewPasswordFor: u.Email})
}

// apiUserDetail is a user as the admins' API answers it.
type apiUserDetail struct {
	apiUser
	SignIn []string `json:"sign_in"` // password, one-time-password, single-sign-on

	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at"`
	// Password is a one-time password, answered once when it is made.
	Password string `json:"password,omitempty"`
}

func toAPIUser(u *model.User) apiUserDetail {
	out := apiUserDetail{apiUser: apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}, SignIn: []string{},
		CreatedAt: u.CreatedAt.UTC(), DisabledAt: utcPtr(u.DisabledAt)}
	switch {
	case auth.MustChange(u.PasswordHash):
		out.SignIn = append(out.SignIn, "one-time-password")
	case u.PasswordHash != "":
		out.SignIn = append(out.SignIn, "password")
	}
	if u.OIDCSubject != "" {
		out.SignIn = append(out.SignIn, "single-sign-on")
	}
	return out
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	us, err := s.users.List(r.Context())
	if err == nil {
		us, err = pageOf(lr, us, func(u model.User) int64 { return u.ID })
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, us, toAPIUser, func(i int) string { return store.IDKey(us[i].ID) })
}

// apiUserAdd creates a user with a one-time password, answered once.
func (s *Server) apiUserAdd(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string     `json:"email"`
		Name  string     `json:"name"`
		Role  model.Role `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	u, password, err := s.users.Add(r.Context(), actor(r), users.NewUser{Name: in.Name, Email: in.Email, Role: in.Role})
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	out := toAPIUser(u)
	out.Password = password
	writeJSON(w, http.StatusCreated, out)
}

// apiUserResult answers a change of a user with the user as it is now.
func (s *Server) apiUserResult(w http.ResponseWriter, r *http.Request, u *model.User, password string, err error) {
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	out := toAPIUser(u)
	out.Password = password
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiUserRole(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Role model.Role `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	u, err := s.users.SetRole(r.Context(), actor(r), state(r).user, userID(r), in.Role)
	s.apiUserResult(w, r, u, "", err)
}

func (s *Server) apiUserDisable(w http.ResponseWriter, r *http.Request) {
	u, err := s.users.Disable(r.Context(), actor(r), state(r).user, userID(r))
	s.apiUserResult(w, r, u, "", err)
}

func (s *Server) apiUserEnable(w http.ResponseWriter, r *http.Request) {
	u, err := s.users.Enable(r.Context(), actor(r), userID(r))
	s.apiUserResult(w, r, u, "", err)
}

// apiUserResetPassword gives a user a new one-time password, answered once.
func (s *Server) apiUserResetPassword(w http.ResponseWriter, r *http.Request) {
	u, password, err := s.users.ResetPassword(r.Context(), actor(r), state(r).user, userID(r))
	s.apiUserResult(w, r, u, password, err)
}
