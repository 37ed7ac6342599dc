package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

type settingsView struct {
	MustChange, HasPassword, CanTokens, CanUsers bool
	MinLen                                       int
	Error                                        string
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, v settingsView, notice string) {
	u := state(r).user
	v.MustChange, v.HasPassword = auth.MustChange(u.PasswordHash), u.PasswordHash != ""
	v.CanTokens, v.MinLen = auth.Allowed(u.Role, auth.TokensManage), auth.MinPasswordLen
	v.CanUsers = auth.Allowed(u.Role, auth.UsersRead)
	s.render(w, r, status, "settings", page{Title: "Settings", Active: "Settings", Notice: notice, Data: v})
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	notice := ""
	if r.URL.Query().Get("changed") == "1" {
		notice = "Your password was changed. Other sessions were signed out."
	}
	s.renderSettings(w, r, http.StatusOK, settingsView{}, notice)
}

// changePassword sets a new password, ends every other session of the user
// and gives this browser a fresh session token.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	bad := func(msg string) { s.renderSettings(w, r, http.StatusBadRequest, settingsView{Error: msg}, "") }
	if u.PasswordHash == "" {
		bad("You sign in through single sign-on; your password is managed there.")
		return
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, r.PostFormValue("current"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	newPw := r.PostFormValue("new")
	switch {
	case !ok:
		bad("The current password is wrong.")
		return
	case newPw != r.PostFormValue("confirm"):
		bad("The two new passwords differ.")
		return
	case newPw == r.PostFormValue("current"):
		bad("The new password must differ from the current one.")
		return
	}
	if err := auth.CheckNewPassword(newPw); err != nil {
		bad(strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + ".")
		return
	}
	hash, err := auth.HashPassword(newPw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	if err := s.store.SetPassword(ctx, actor(r), u.ID, hash); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	u.PasswordHash = hash
	if err := s.startSession(w, r, u, "password-change"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?changed=1", http.StatusSeeOther)
}

type tokensView struct {
	Tokens          []model.APIToken
	NewToken, Error string
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v tokensView) {
	toks, err := s.store.Tokens(r.Context(), state(r).user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Tokens = toks
	s.render(w, r, status, "tokens", page{Title: "API tokens", Active: "Settings", Data: v})
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, tokensView{})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len(name) > 100 {
		s.renderTokens(w, r, http.StatusBadRequest, tokensView{Error: "Give the token a name of at most 100 characters."})
		return
	}
	token, err := CreateAPIToken(r.Context(), s.store, actor(r), state(r).user.ID, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The token is shown in this response only; it is never stored in clear.
	s.renderTokens(w, r, http.StatusOK, tokensView{NewToken: token})
}

// CreateAPIToken makes a token for userID and returns it in clear; the
// store keeps its hash. herald token create uses it too.
func CreateAPIToken(ctx context.Context, st *store.Store, a model.Actor, userID int64, name string) (string, error) {
	token := auth.NewAPIToken()
	t := &model.APIToken{UserID: userID, Name: name, Hash: auth.HashToken(token)}
	if err := st.CreateToken(ctx, a, t); err != nil {
		return "", err
	}
	return token, nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderStatus(w, r, http.StatusNotFound, "Page not found", "")
		return
	}
	toks, err := s.store.Tokens(r.Context(), state(r).user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	found := false
	for _, t := range toks {
		found = found || t.ID == id
	}
	if !found { // someone else's token, or none: the same answer
		s.renderStatus(w, r, http.StatusNotFound, "No such token", "")
		return
	}
	err = s.store.RevokeToken(r.Context(), actor(r), id)
	s.tokens.forget(id) // even on error: the next use asks the database
	if err != nil && !errs.Is(err, errs.NotFound) {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/tokens", http.StatusSeeOther)
}
