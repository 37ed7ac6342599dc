package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

type signinView struct {
	Email, Next, Error string
	OIDC               bool
	Roles              []model.Role
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	if state(r).user != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.renderSignin(w, r, http.StatusOK, signinView{Next: r.URL.Query().Get("next")})
}

func (s *Server) renderSignin(w http.ResponseWriter, r *http.Request, status int, v signinView) {
	v.OIDC, v.Roles = s.oidc != nil, model.Roles
	v.Next = localPath(v.Next)
	s.render(w, r, status, "signin", page{Title: tr(r, "title.signin"), Data: v})
}

// localPath keeps a post-sign-in redirect on this site.
func localPath(p string) string { return auth.SafeNext(p) }

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	ctx, st := r.Context(), state(r)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	v := signinView{Email: email, Next: r.PostFormValue("next")}
	attempt, err := s.throttle.Begin(ctx, email, st.addr)
	if err != nil {
		if errors.Is(err, auth.ErrThrottled) {
			v.Error = tr(r, "signin.throttled")
			w.Header().Set("Retry-After", "900")
			s.renderSignin(w, r, http.StatusTooManyRequests, v)
			return
		}
		s.fail(w, r, err)
		return
	}
	u, err := s.users.ByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && u.PasswordHash != "" && u.DisabledAt == nil:
		ok, err = auth.VerifyPasswordContext(ctx, u.PasswordHash, password)
	case err == nil || errs.Is(err, errs.NotFound):
		err = auth.SpendVerifyTime(ctx, password)
	}
	if errors.Is(err, auth.ErrBusy) {
		v.Error = tr(r, "signin.busy")
		w.Header().Set("Retry-After", "5")
		s.renderSignin(w, r, http.StatusServiceUnavailable, v)
		return
	}
	if err != nil && !errors.Is(err, auth.ErrBadHash) {
		s.fail(w, r, err)
		return
	}
	if err != nil {
		s.log.ErrorContext(ctx, "verify password", "request_id", st.id, "user_id", u.ID, "err", err)
	}
	if !ok {
		if err := s.users.SignInFailed(ctx, email, st.addr); err != nil {
			s.log.ErrorContext(ctx, "audit failed sign-in", "request_id", st.id, "err", err)
		}
		v.Error = tr(r, "signin.wrong")
		s.renderSignin(w, r, http.StatusUnauthorized, v)
		return
	}
	if err := s.startSession(w, r, u, "password"); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.throttle.Succeed(ctx, attempt); err != nil {
		s.log.WarnContext(ctx, "clear login failures", "request_id", st.id, "err", err)
	}
	if err := s.linkPendingOIDC(w, r, u); err != nil {
		s.log.ErrorContext(ctx, "link single sign-on", "request_id", st.id, "user_id", u.ID, "err", err)
	}
	if auth.MustChange(u.PasswordHash) {
		http.Redirect(w, r, "/settings", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, localPath(v.Next), http.StatusSeeOther)
}

// demoSignin signs in as the demo user of a role, without a password. It
// exists only in demo mode.
func (s *Server) demoSignin(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Demo {
		s.renderStatus(w, r, http.StatusNotFound, pageTitleFor(r, http.StatusNotFound), "")
		return
	}
	role := model.Role(r.PostFormValue("role"))
	if !role.Valid() {
		s.renderStatus(w, r, http.StatusBadRequest, tr(r, "signin.demo_unknown_role"), tr(r, "signin.demo_choose_role"))
		return
	}
	u, err := s.users.ByEmail(r.Context(), demo.Email(role))
	if errs.Is(err, errs.NotFound) {
		s.renderStatus(w, r, http.StatusNotFound, tr(r, "signin.demo_no_user"), tr(r, "signin.demo_not_seeded"))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.startSession(w, r, u, "demo"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if err := s.endSession(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
