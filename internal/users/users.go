// Package users holds the rules about people and their credentials: adding
// users, roles, disabling and enabling, passwords (one-time, reset,
// changed), API tokens and single sign-on accounts. The web pages and the
// command line both go through it, so a rule is written once.
//
// A password reset or change ends the user's sessions and revokes their API
// tokens (signOutEverywhere): whoever knew the old password may have made
// one.
package users

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Service applies the rules; Store is required, Now may be nil.
type Service struct {
	Store *store.Store
	Now   func() time.Time
	Log   *slog.Logger // nil: slog.Default()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// List is every user, for the Users page.
func (s *Service) List(ctx context.Context) ([]model.User, error) { return s.Store.Users(ctx) }

// Get returns the user with id; errs.NotFound names no id.
func (s *Service) Get(ctx context.Context, id int64) (*model.User, error) {
	u, err := s.Store.User(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "user.not_found", "no such user")
	}
	return u, err
}

// ByEmail returns the user with the e-mail address (any case).
func (s *Service) ByEmail(ctx context.Context, email string) (*model.User, error) {
	return s.Store.UserByEmail(ctx, email)
}

// NewUser is what Add takes.
type NewUser struct {
	Name, Email string
	Role        model.Role
	// Password is the user's first password; empty makes a one-time
	// password that must be changed at first sign-in.
	Password string
}

// Add creates a user. It returns the one-time password it made (empty when
// in.Password was given), to be shown once and never stored in clear.
func (s *Service) Add(ctx context.Context, a model.Actor, in NewUser) (*model.User, string, error) {
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.ToLower(strings.TrimSpace(in.Email))
	switch {
	case in.Name == "" || len(in.Name) > 200:
		return nil, "", errs.E(errs.Invalid, "user.name", "Give a name of at most 200 characters.")
	case len(in.Email) > 254 || !strings.Contains(in.Email, "@") || strings.ContainsAny(in.Email, " \t\r\n"):
		return nil, "", errs.E(errs.Invalid, "user.email", "Give an e-mail address.")
	case !in.Role.Valid():
		return nil, "", errs.E(errs.Invalid, "user.role", "Choose one of the roles.")
	}
	var oneTime, hash string
	var err error
	if in.Password == "" {
		oneTime, hash, err = auth.NewOneTimePassword()
	} else {
		if err := auth.CheckNewPassword(in.Password, in.Email, in.Name); err != nil {
			return nil, "", err
		}
		hash, err = auth.HashPassword(in.Password)
	}
	if err != nil {
		return nil, "", err
	}
	u := &model.User{Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash}
	if err := s.Store.CreateUser(ctx, a, u); errs.Is(err, errs.Conflict) {
		return nil, "", errs.Errorf(errs.Conflict, "user.exists", "A user with e-mail %s already exists.", in.Email)
	} else if err != nil {
		return nil, "", err
	}
	return u, oneTime, nil
}

// notSelf refuses an admin acting on themselves: one who demotes or
// disables themselves could leave nobody able to undo it.
func notSelf(by, u *model.User, key, msg string) error {
	if by.ID == u.ID {
		return errs.E(errs.Forbidden, key, msg)
	}
	return nil
}

// SetRole changes user id's role.
func (s *Service) SetRole(ctx context.Context, a model.Actor, by *model.User, id int64, role model.Role) (*model.User, error) {
	if !role.Valid() {
		return nil, errs.E(errs.Invalid, "user.role", "Choose one of the roles.")
	}
	u, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if role == u.Role {
		return u, nil
	}
	if err := notSelf(by, u, "user.own_role", "You cannot change your own role; another administrator can."); err != nil {
		return nil, err
	}
	u.Role = role
	return u, s.Store.UpdateUser(ctx, a, u)
}

// Disable disables user id and ends their sessions, so they are signed out
// at their next request.
func (s *Service) Disable(ctx context.Context, a model.Actor, by *model.User, id int64) (*model.User, error) {
	u, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := notSelf(by, u, "user.disable_self", "You cannot disable yourself; another administrator can."); err != nil {
		return nil, err
	}
	if u.DisabledAt == nil {
		now := s.now()
		u.DisabledAt = &now
		if err := s.Store.UpdateUser(ctx, a, u); err != nil {
			return nil, err
		}
	}
	// Even for a user already disabled: the sessions go whatever happened before.
	return u, s.Store.DeleteUserSessions(ctx, u.ID, "")
}

// Enable lets user id sign in again.
func (s *Service) Enable(ctx context.Context, a model.Actor, id int64) (*model.User, error) {
	u, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	u.DisabledAt = nil
	return u, s.Store.UpdateUser(ctx, a, u)
}

// ResetPassword gives user id a new one-time password, returned to be
// shown once, ends their sessions and revokes their API tokens.
func (s *Service) ResetPassword(ctx context.Context, a model.Actor, by *model.User, id int64) (*model.User, string, error) {
	u, err := s.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if err := notSelf(by, u, "user.reset_self", "Change your own password on the Settings page."); err != nil {
		return nil, "", err
	}
	if u.PasswordHash == "" {
		return nil, "", errs.Errorf(errs.Conflict, "user.sso_only", "%s signs in through single sign-on only; their password is managed there.", u.Email)
	}
	password, hash, err := auth.NewOneTimePassword()
	if err != nil {
		return nil, "", err
	}
	if err := s.Store.SetPassword(ctx, a, u.ID, hash); err != nil {
		return nil, "", err
	}
	return u, password, s.signOutEverywhere(ctx, a, u.ID)
}

// signOutEverywhere ends every session of user id and revokes their API
// tokens, after their password changed.
func (s *Service) signOutEverywhere(ctx context.Context, a model.Actor, id int64) error {
	if err := s.Store.DeleteUserSessions(ctx, id, ""); err != nil {
		return err
	}
	_, err := s.Store.RevokeUserTokens(ctx, a, id)
	return err
}

// ChangePassword sets u's new password after checking the current one,
// ends every session of u and revokes u's API tokens; the caller starts a
// fresh session. u.PasswordHash is updated.
func (s *Service) ChangePassword(ctx context.Context, a model.Actor, u *model.User, current, newPw, confirm string) error {
	if u.PasswordHash == "" {
		return errs.E(errs.Invalid, "password.sso", "You sign in through single sign-on; your password is managed there.")
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, current)
	if err != nil {
		return err
	}
	switch {
	case !ok:
		return errs.E(errs.Invalid, "password.wrong", "The current password is wrong.")
	case newPw != confirm:
		return errs.E(errs.Invalid, "password.differ", "The two new passwords differ.")
	case newPw == current:
		return errs.E(errs.Invalid, "password.same", "The new password must differ from the current one.")
	}
	if err := auth.CheckNewPassword(newPw, u.Email, u.Name); err != nil {
		return err
	}
	hash, err := auth.HashPassword(newPw)
	if err != nil {
		return err
	}
	if err := s.Store.SetPassword(ctx, a, u.ID, hash); err != nil {
		return err
	}
	if err := s.signOutEverywhere(ctx, a, u.ID); err != nil {
		return err
	}
	u.PasswordHash = hash
	return nil
}

// SetLang saves the language u reads Herald in: one of i18n.Languages, or
// "" to follow the browser. u.Lang is updated.
func (s *Service) SetLang(ctx context.Context, a model.Actor, u *model.User, lang string) error {
	if lang != "" && !i18n.Supported(lang) {
		return errs.Errorf(errs.Invalid, "users.unknown_lang", "There is no language %q.", lang)
	}
	if err := s.Store.SetUserLang(ctx, a, u.ID, lang); err != nil {
		return err
	}
	u.Lang = lang
	return nil
}

// Tokens lists userID's API tokens.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]model.APIToken, error) {
	return s.Store.Tokens(ctx, userID)
}

// CreateToken makes an API token for u and returns it in clear, to be
// shown once; the store keeps its hash. A disabled user gets none.
func (s *Service) CreateToken(ctx context.Context, a model.Actor, u *model.User, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", errs.E(errs.Invalid, "token.name", "Give the token a name of at most 100 characters.")
	}
	if u.DisabledAt != nil {
		return "", errs.Errorf(errs.Conflict, "token.disabled", "user %s is disabled", u.Email)
	}
	token := auth.NewAPIToken()
	t := &model.APIToken{UserID: u.ID, Name: name, Hash: auth.HashToken(token)}
	if err := s.Store.CreateToken(ctx, a, t); err != nil {
		return "", err
	}
	return token, nil
}

// RevokeToken revokes one of userID's tokens; someone else's token, or
// none, is errs.NotFound alike.
func (s *Service) RevokeToken(ctx context.Context, a model.Actor, userID, tokenID int64) error {
	toks, err := s.Store.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	for _, t := range toks {
		if t.ID == tokenID {
			if err := s.Store.RevokeToken(ctx, a, tokenID); err != nil && !errs.Is(err, errs.NotFound) {
				return err
			}
			return nil
		}
	}
	return errs.E(errs.NotFound, "token.not_found", "no such token")
}

// ErrDisabled is returned when a disabled user signs in through single sign-on.
var ErrDisabled = errs.E(errs.Forbidden, "user.disabled", "This account is disabled.")

// Errors of SignInOIDC that the sign-in page explains.
var (
	ErrNeedsPassword   = errs.E(errs.Unauthorized, "oidc.needs-password", "A Herald account with this e-mail address already exists. Sign in once with its password to link it to your single sign-on, or ask an administrator.")
	ErrLinkedElsewhere = errs.E(errs.Forbidden, "oidc.linked-elsewhere", "This e-mail address belongs to a Herald account linked to another single sign-on identity. Ask an administrator.")
)

// SignInOIDC finds the user behind id (auth.DecideOIDC): by subject, else a
// new user with the mapped role when the e-mail is unknown. An existing
// account is never linked on the provider's word alone (ErrNeedsPassword:
// its password, or an administrator's herald user link-oidc, links it). The
// role follows the provider's claims at every sign-in, except changes to or
// from admin (auth.ClaimRole), which are logged, audited and left to an
// administrator.
func (s *Service) SignInOIDC(ctx context.Context, a model.Actor, id *auth.Identity) (*model.User, error) {
	bySubject, err := s.Store.UserByOIDCSubject(ctx, id.Subject)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	var byEmail *model.User
	if bySubject == nil {
		if byEmail, err = s.Store.UserByEmail(ctx, id.Email); err != nil && !errs.Is(err, errs.NotFound) {
			return nil, err
		}
	}
	switch auth.DecideOIDC(id, bySubject, byEmail) {
	case auth.OIDCCreate:
		u := &model.User{Email: strings.ToLower(id.Email), Name: id.Name, Role: id.Role, OIDCSubject: id.Subject}
		if err := s.Store.CreateUser(ctx, a, u); err != nil {
			return nil, err
		}
		return u, nil
	case auth.OIDCRefused:
		return nil, ErrLinkedElsewhere
	case auth.OIDCNeedsPassword:
		if byEmail.DisabledAt != nil {
			return nil, ErrDisabled
		}
		s.log().InfoContext(ctx, "single sign-on link waits for the account's password (or herald user link-oidc)",
			"user_id", byEmail.ID, "subject", id.Subject)
		return nil, ErrNeedsPassword
	}
	u := bySubject
	if u.DisabledAt != nil {
		return nil, ErrDisabled
	}
	role, withheld := auth.ClaimRole(u.Role, id.Role)
	if withheld {
		s.log().WarnContext(ctx, "role change from identity provider claims withheld",
			"user_id", u.ID, "role", u.Role, "claimed", id.Role)
		if err := s.Store.AppendAudit(ctx, model.AuditEvent{ActorEmail: a.Email, Addr: a.Addr, Action: "user.role-claim-withheld",
			ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			Summary: fmt.Sprintf("the identity provider claims role %s for %s, who is %s; not applied: an administrator changes admin roles", id.Role, u.Email, u.Role)}); err != nil {
			return nil, err
		}
	}
	if role != u.Role {
		s.log().InfoContext(ctx, "role changed from identity provider claims", "user_id", u.ID, "from", u.Role, "to", role)
		u.Role = role
		if err := s.Store.UpdateUser(ctx, a, u); err != nil { // audited as user.update, role X → Y
			return nil, err
		}
	}
	return u, nil
}

// LinkOIDC links subject to u after u proved the account is theirs (a
// password sign-in in the browser that started the single sign-on), and
// records it in the audit trail. A user already linked keeps its link.
func (s *Service) LinkOIDC(ctx context.Context, a model.Actor, u *model.User, subject string) error {
	if subject == "" || u.OIDCSubject != "" {
		return nil
	}
	u.OIDCSubject = subject
	if err := s.Store.UpdateUser(ctx, a, u); err != nil {
		return err
	}
	return s.Store.AppendAudit(ctx, model.AuditEvent{ActorID: u.ID, ActorEmail: u.Email, Addr: a.Addr,
		Action: "user.oidc-link", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
		Summary: "linked single sign-on identity " + subject + " after a password sign-in"})
}

// SignInFailed records a failed password sign-in for email from addr in
// the audit trail (the throttle counts failures separately).
func (s *Service) SignInFailed(ctx context.Context, email, addr string) error {
	return s.Store.AppendAudit(ctx, model.AuditEvent{ActorEmail: "anonymous", Addr: addr,
		Action: "session.signin-failed", ObjectType: "user", ObjectID: email,
		Summary: "failed password sign-in"})
}
