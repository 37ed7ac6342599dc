package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/users"
)

// oidcLogin sends the browser to the identity provider, remembering state
// and nonce in a short-lived cookie.
func (s *Server) oidcLogin(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		s.renderStatus(w, r, http.StatusNotFound, pageTitleFor(r, http.StatusNotFound), tr(r, "oidc.not_configured"))
		return
	}
	stateTok, nonce := auth.NewToken(), auth.NewToken()
	http.SetCookie(w, s.cookie(r, oidcCookie, stateTok+"."+nonce, 600))
	http.Redirect(w, r, s.oidc.AuthCodeURL(stateTok, nonce), http.StatusFound)
}

// oidcCallback finishes single sign-on: it checks state, exchanges the code,
// and signs in the linked user, linking by e-mail or creating one at first sign-in.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		s.renderStatus(w, r, http.StatusNotFound, pageTitleFor(r, http.StatusNotFound), tr(r, "oidc.not_configured"))
		return
	}
	refuse := func(msg string) {
		s.renderSignin(w, r, http.StatusUnauthorized, signinView{Error: msg})
	}
	c, err := r.Cookie(oidcCookie)
	http.SetCookie(w, s.cookie(r, oidcCookie, "", -1))
	if err != nil {
		refuse(tr(r, "oidc.expired"))
		return
	}
	stateTok, nonce, _ := strings.Cut(c.Value, ".")
	q := r.URL.Query()
	if q.Get("error") != "" {
		refuse(tr(r, "oidc.refused"))
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(stateTok)) != 1 || stateTok == "" {
		refuse(tr(r, "oidc.other_browser"))
		return
	}
	id, err := s.oidc.Exchange(r.Context(), q.Get("code"), nonce)
	if err != nil {
		s.log.WarnContext(r.Context(), "oidc sign-in refused", "request_id", requestID(r), "err", err)
		refuse(tr(r, "oidc.failed"))
		return
	}
	u, err := s.oidcUser(r, id)
	switch {
	case errors.Is(err, users.ErrNeedsPassword):
		// The first link to an existing account needs its password.
		http.SetCookie(w, s.cookie(r, oidcLinkCookie, s.oidcLinks.Add(id.Subject, id.Email), 600))
		s.renderSignin(w, r, http.StatusUnauthorized, signinView{Email: strings.ToLower(id.Email), Error: message(r, err)})
		return
	case errors.Is(err, users.ErrDisabled), errors.Is(err, users.ErrLinkedElsewhere):
		refuse(message(r, err))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if err := s.startSession(w, r, u, "oidc"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// oidcLinkCookie names an identity waiting for its user's password (auth.PendingLinks).
const oidcLinkCookie = "herald_oidc_link"

// oidcUser finds or makes the user behind id (users.SignInOIDC).
func (s *Server) oidcUser(r *http.Request, id *auth.Identity) (*model.User, error) {
	return s.users.SignInOIDC(r.Context(), model.Actor{Email: "system:oidc", Addr: state(r).addr}, id)
}

// linkPendingOIDC finishes a first single sign-on link after u signed in
// with their password, when this browser carries one waiting for u.
func (s *Server) linkPendingOIDC(w http.ResponseWriter, r *http.Request, u *model.User) error {
	c, err := r.Cookie(oidcLinkCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	http.SetCookie(w, s.cookie(r, oidcLinkCookie, "", -1))
	subject := s.oidcLinks.Take(c.Value, u.Email)
	return s.users.LinkOIDC(r.Context(), model.Actor{UserID: u.ID, Email: u.Email, Addr: state(r).addr}, u, subject)
}
