package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
)

type settingsView struct {
	MustChange, HasPassword, CanTokens, CanUsers bool
	CanCredentials, CanWebhooks                  bool
	MinLen                                       int
	Error                                        string
	NotifyMode, NotifyError                      string // how notifications come by e-mail (notifications.go)
	Lang                                         string // the language chosen, "" to follow the browser
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, v settingsView, notice string) {
	u := state(r).user
	v.MustChange, v.HasPassword = auth.MustChange(u.PasswordHash), u.PasswordHash != ""
	v.CanTokens, v.MinLen = auth.Allowed(u.Role, auth.TokensManage), auth.MinPasswordLen
	v.CanUsers = auth.Allowed(u.Role, auth.UsersRead)
	v.CanCredentials = auth.Allowed(u.Role, auth.CredentialsManage)
	v.CanWebhooks = auth.Allowed(u.Role, auth.WebhooksManage)
	mode, err := s.inbox.Mode(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.NotifyMode, v.Lang = mode, u.Lang
	s.render(w, r, status, "settings", page{Title: tr(r, "title.settings"), Active: "/settings", Notice: notice, Data: v})
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	notice := ""
	if r.URL.Query().Get("changed") == "1" {
		notice = tr(r, "settings.notice.password")
	} else if r.URL.Query().Get("notifications") == "1" {
		notice = tr(r, "settings.notice.notifications")
	} else if r.URL.Query().Get("language") == "1" {
		notice = tr(r, "settings.notice.language")
	}
	s.renderSettings(w, r, http.StatusOK, settingsView{}, notice)
}

// setLanguage saves the language the user reads Herald in and makes the
// language cookie agree, so that an earlier ?lang= choice does not hide it.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	lang := r.PostFormValue("lang")
	if err := s.users.SetLang(r.Context(), actor(r), u, lang); err != nil {
		s.pageError(w, r, err)
		return
	}
	if lang == "" {
		http.SetCookie(w, s.cookie(r, langCookie, "", -1))
	} else {
		http.SetCookie(w, s.cookie(r, langCookie, lang, 365*24*3600))
	}
	http.Redirect(w, r, "/settings?language=1", http.StatusSeeOther)
}

// changePassword sets a new password, ends every other session of the user,
// revokes their API tokens and gives this browser a fresh session token.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	err := s.users.ChangePassword(r.Context(), actor(r), u, r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm"))
	if errs.Is(err, errs.Invalid) {
		s.renderSettings(w, r, http.StatusBadRequest, settingsView{Error: message(r, err)}, "")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.startSession(w, r, u, "password-change"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?changed=1", http.StatusSeeOther)
}

type tokensView struct {
	Tokens          []model.APIToken
	Scopes          []string
	NewToken, Error string
	Now             time.Time
}

// Expired reports whether t has passed its expiry.
func (v tokensView) Expired(t model.APIToken) bool {
	return t.ExpiresAt != nil && !v.Now.Before(*t.ExpiresAt)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v tokensView) {
	toks, err := s.users.Tokens(r.Context(), state(r).user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Tokens, v.Scopes, v.Now = toks, model.TokenScopes, s.cfg.Now()
	s.render(w, r, status, "tokens", page{Title: tr(r, "title.tokens"), Active: "/settings", Data: v})
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, tokensView{})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	exp, err := users.ParseExpiry(r.PostFormValue("expires"), s.cfg.Now())
	var token string
	if err == nil {
		token, err = s.users.CreateToken(r.Context(), actor(r), state(r).user,
			users.TokenSpec{Name: r.PostFormValue("name"), Scope: r.PostFormValue("scope"), ExpiresAt: exp})
	}
	if errs.Is(err, errs.Invalid) {
		s.renderTokens(w, r, http.StatusBadRequest, tokensView{Error: message(r, err)})
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	// The token is shown in this response only; it is never stored in clear.
	s.renderTokens(w, r, http.StatusOK, tokensView{NewToken: token})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := s.users.RevokeToken(r.Context(), actor(r), state(r).user.ID, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/tokens", http.StatusSeeOther)
}

type apiUser struct {
	ID    int64      `json:"id"`
	Email string     `json:"email"`
	Name  string     `json:"name"`
	Role  model.Role `json:"role"`
}

// apiMe says who the token acts for, and the token itself: its scope,
// expiry and last use before this request.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	u := st.user
	writeEntity(w, http.StatusOK, struct {
		apiUser
		Token apiToken `json:"token"`
	}{apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}, toAPIToken(st.token)})
}

// apiToken is an API token, never its value after creation.
type apiToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	// Token is the value, answered once at creation.
	Token string `json:"token,omitempty"`
}

func toAPIToken(t *model.APIToken) apiToken {
	return apiToken{ID: t.ID, UserID: t.UserID, Name: t.Name, Scope: t.Scope, CreatedAt: t.CreatedAt.UTC(),
		ExpiresAt: utcPtr(t.ExpiresAt), LastUsedAt: utcPtr(t.LastUsedAt), RevokedAt: utcPtr(t.RevokedAt)}
}

// apiTokens lists the caller's own tokens.
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	toks, err := s.users.Tokens(r.Context(), state(r).user.ID)
	if err == nil {
		toks, err = pageOf(lr, toks, func(t model.APIToken) int64 { return t.ID })
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, toks, toAPIToken, func(i int) string { return store.IDKey(toks[i].ID) })
}

// apiTokenCreate makes a token for the caller and answers its value once.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name      string     `json:"name"`
		Scope     string     `json:"scope"`
		ExpiresAt *time.Time `json:"expires_at"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	u := state(r).user
	token, err := s.users.CreateToken(r.Context(), actor(r), u, users.TokenSpec{Name: in.Name, Scope: in.Scope, ExpiresAt: in.ExpiresAt})
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	toks, err := s.users.Tokens(r.Context(), u.ID)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	hash := auth.HashToken(token)
	for i := range toks {
		if toks[i].Hash == hash {
			out := toAPIToken(&toks[i])
			out.Token = token
			writeJSON(w, http.StatusCreated, out)
			return
		}
	}
	s.writeAPIError(w, r, fmt.Errorf("token of user %d not listed after its creation", u.ID))
}

// apiTokenRevoke revokes one of the caller's tokens, at once.
func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	err = s.users.RevokeToken(r.Context(), actor(r), state(r).user.ID, id)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
