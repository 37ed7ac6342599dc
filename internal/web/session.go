package web

import (
	"net/http"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

const (
	sessionCookie = "herald_session"
	csrfCookie    = "herald_csrf" // before sign-in only (double-submit)
	oidcCookie    = "herald_oidc" // state and nonce of a single sign-on in progress
)

func (s *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: state(r).secure, SameSite: http.SameSiteLaxMode}
}

// loadSession signs the request in from its session cookie; without a valid
// one the request stays anonymous and gets a CSRF cookie for its forms.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request, st *reqState) {
	if st.user != nil {
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		sess, u, err := s.store.Session(r.Context(), auth.HashToken(c.Value), s.cfg.Now())
		switch {
		case err == nil:
			st.user, st.session, st.csrf = u, sess, sess.CSRFToken
			return
		case !errs.Is(err, errs.NotFound):
			s.log.ErrorContext(r.Context(), "load session", "request_id", st.id, "err", err)
		}
	}
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		st.csrf = c.Value
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		st.csrf = auth.NewToken()
		http.SetCookie(w, s.cookie(r, csrfCookie, st.csrf, 0))
	}
}

// startSession signs u in: any session the browser had is ended first, so
// the token changes at every sign-in (no session fixation).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *model.User, how string) error {
	st := state(r)
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(r.Context(), actor(r), auth.HashToken(c.Value)); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	token := auth.NewToken()
	now := s.cfg.Now()
	sess := model.Session{TokenHash: auth.HashToken(token), UserID: u.ID, CSRFToken: auth.NewToken(),
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), Addr: st.addr}
	a := model.Actor{UserID: u.ID, Email: u.Email, Addr: st.addr}
	if err := s.store.CreateSession(r.Context(), a, sess); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, token, int(s.cfg.SessionTTL.Seconds())))
	http.SetCookie(w, s.cookie(r, csrfCookie, "", -1))
	st.user, st.session, st.csrf = u, &sess, sess.CSRFToken
	s.log.InfoContext(r.Context(), "signed in", "request_id", st.id, "user_id", u.ID, "method", how)
	return nil
}

// endSession signs the browser out.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	http.SetCookie(w, s.cookie(r, sessionCookie, "", -1))
	if st.session == nil {
		return nil
	}
	err := s.store.DeleteSession(r.Context(), actor(r), st.session.TokenHash)
	st.user, st.session = nil, nil
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	return err
}
