package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// oidcLogin sends the browser to the identity provider, remembering state
// and nonce in a short-lived cookie.
func (s *Server) oidcLogin(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		s.renderStatus(w, r, http.StatusNotFound, "Page not found", "Single sign-on is not configured.")
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
		s.renderStatus(w, r, http.StatusNotFound, "Page not found", "Single sign-on is not configured.")
		return
	}
	refuse := func(msg string) {
		s.renderSignin(w, r, http.StatusUnauthorized, signinView{Error: msg})
	}
	c, err := r.Cookie(oidcCookie)
	http.SetCookie(w, s.cookie(r, oidcCookie, "", -1))
	if err != nil {
		refuse("The single sign-on took too long or was started elsewhere. Try again.")
		return
	}
	stateTok, nonce, _ := strings.Cut(c.Value, ".")
	q := r.URL.Query()
	if q.Get("error") != "" {
		refuse("The identity provider refused the sign-in.")
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(stateTok)) != 1 || stateTok == "" {
		refuse("The single sign-on answer does not belong to this browser. Try again.")
		return
	}
	id, err := s.oidc.Exchange(r.Context(), q.Get("code"), nonce)
	if err != nil {
		s.log.WarnContext(r.Context(), "oidc sign-in refused", "request_id", requestID(r), "err", err)
		refuse("Single sign-on failed: your account has no role in Herald, or the provider's answer was invalid.")
		return
	}
	u, err := s.oidcUser(r, id)
	switch {
	case errors.Is(err, errDisabled):
		refuse("This account is disabled.")
		return
	case errors.Is(err, errLinkedElsewhere):
		refuse("This e-mail address belongs to a Herald account linked to another single sign-on identity. Ask an administrator.")
		return
	case errors.Is(err, errNeedsPassword):
		// The first link to an existing account needs its password.
		http.SetCookie(w, s.cookie(r, oidcLinkCookie, s.oidcLinks.Add(id.Subject, id.Email), 600))
		s.renderSignin(w, r, http.StatusUnauthorized, signinView{Email: strings.ToLower(id.Email),
			Error: "A Herald account with this e-mail address already exists. Sign in once with its password to link it to your single sign-on, or ask an administrator."})
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

var (
	errDisabled        = errors.New("account disabled")
	errNeedsPassword   = errors.New("the first single sign-on link needs the account's password")
	errLinkedElsewhere = errors.New("the account is linked to another identity")
)

// oidcUser finds the user behind id (auth.DecideOIDC): by subject, else a
// new user with the mapped role when the e-mail is unknown. An existing
// account is never linked on the provider's word alone. The role follows
// the provider's claims at every sign-in, except changes to or from admin
// (auth.ClaimRole), which are logged, audited and left to an administrator.
func (s *Server) oidcUser(r *http.Request, id *auth.Identity) (*model.User, error) {
	ctx := r.Context()
	a := model.Actor{Email: "system:oidc", Addr: state(r).addr}
	bySubject, err := s.store.UserByOIDCSubject(ctx, id.Subject)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var byEmail *model.User
	if bySubject == nil {
		if byEmail, err = s.store.UserByEmail(ctx, id.Email); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	switch auth.DecideOIDC(id, bySubject, byEmail) {
	case auth.OIDCCreate:
		u := &model.User{Email: strings.ToLower(id.Email), Name: id.Name, Role: id.Role, OIDCSubject: id.Subject}
		if err := s.store.CreateUser(ctx, a, u); err != nil {
			return nil, err
		}
		return u, nil
	case auth.OIDCRefused:
		return nil, errLinkedElsewhere
	case auth.OIDCNeedsPassword:
		if byEmail.DisabledAt != nil {
			return nil, errDisabled
		}
		s.log.InfoContext(ctx, "single sign-on link waits for the account's password (or herald user link-oidc)",
			"request_id", requestID(r), "user_id", byEmail.ID, "subject", id.Subject)
		return nil, errNeedsPassword
	}
	u := bySubject
	if u.DisabledAt != nil {
		return nil, errDisabled
	}
	role, withheld := auth.ClaimRole(u.Role, id.Role)
	if withheld {
		s.log.WarnContext(ctx, "role change from identity provider claims withheld", "request_id", requestID(r),
			"user_id", u.ID, "role", u.Role, "claimed", id.Role)
		if err := s.store.AppendAudit(ctx, model.AuditEvent{ActorEmail: a.Email, Addr: a.Addr, Action: "user.role-claim-withheld",
			ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			Summary: fmt.Sprintf("the identity provider claims role %s for %s, who is %s; not applied: an administrator changes admin roles", id.Role, u.Email, u.Role)}); err != nil {
			return nil, err
		}
	}
	if role != u.Role {
		s.log.InfoContext(ctx, "role changed from identity provider claims", "request_id", requestID(r),
			"user_id", u.ID, "from", u.Role, "to", role)
		u.Role = role
		if err := s.store.UpdateUser(ctx, a, u); err != nil { // audited as user.update, role X → Y
			return nil, err
		}
	}
	return u, nil
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
	if subject == "" || u.OIDCSubject != "" {
		return nil
	}
	u.OIDCSubject = subject
	a := model.Actor{UserID: u.ID, Email: u.Email, Addr: state(r).addr}
	if err := s.store.UpdateUser(r.Context(), a, u); err != nil {
		return err
	}
	return s.store.AppendAudit(r.Context(), model.AuditEvent{ActorID: u.ID, ActorEmail: u.Email, Addr: a.Addr,
		Action: "user.oidc-link", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
		Summary: "linked single sign-on identity " + subject + " after a password sign-in"})
}
