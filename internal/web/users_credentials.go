package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
)

// credentialsView is the admins' page of platform tokens: which are set
// (never their values), and the forms to set, test and revoke them.
type credentialsView struct {
	Rows      []credentialRow
	Platforms []string
	Accounts  []option
	Enabled   bool // a secret key is configured; without it nothing can be stored
}

type credentialRow struct {
	Platform, Account string // Account: the handle, or "every account" for a platform-wide token
	AccountID         int64
	UpdatedAt         string
}

// credentialError turns the monitor's plain errors into what an admin can act on.
func credentialError(err error) error {
	switch {
	case errors.Is(err, monitor.ErrNoSecretKey):
		return errorf(errs.Conflict, "no_secret_key", "tokens cannot be stored: the server has no secret key; start it with HERALD_SECRET_KEY (or --secret-key)")
	case errors.Is(err, monitor.ErrNoConnector):
		return errorf(errs.Invalid, "no_connector", "Herald has no connector for this platform, so it cannot read accounts on it with a token")
	}
	return err
}

func (s *Server) credentialsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	infos, err := s.monitor.Credentials(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	accs, err := s.registry.All(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	handles := map[int64]string{}
	v := credentialsView{Platforms: s.platforms(), Enabled: s.monitor.CredentialsEnabled()}
	for _, a := range accs {
		handles[a.ID] = tr(r, "common.on_platform", a.Handle, a.Platform)
		if monitored(a.Status) {
			v.Accounts = append(v.Accounts, option{Value: strconv.FormatInt(a.ID, 10), Label: tr(r, "common.on_platform", a.Handle, a.Platform)})
		}
	}
	for _, c := range infos {
		row := credentialRow{Platform: c.Platform, AccountID: c.AccountID, Account: tr(r, "credentials.every_account"), UpdatedAt: c.UpdatedAt.UTC().Format("2006-01-02 15:04 UTC")}
		if c.AccountID != 0 {
			row.Account = cmp.Or(handles[c.AccountID], fmt.Sprintf("account %d", c.AccountID))
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, "credentials", page{Title: tr(r, "title.credentials"), Active: "/settings", Notice: credentialNotice(r), Data: v})
}

func credentialNotice(r *http.Request) string {
	q := r.URL.Query()
	switch q.Get("done") {
	case "set":
		return tr(r, "credentials.notice.set")
	case "revoked":
		return tr(r, "credentials.notice.revoked")
	case "tested":
		msg := tr(r, "credentials.notice.tested", atoiOr(q.Get("posts")))
		if q.Get("publishing") == "1" {
			msg += " " + tr(r, "credentials.notice.tested_publishing")
		}
		return msg
	}
	return ""
}

func atoiOr(s string) int {
	n, _ := strconv.Atoi(s)
	return max(n, 0)
}

// credentialFormTarget reads the form's platform and account.
func (s *Server) credentialFormTarget(r *http.Request) (string, int64, error) {
	var id int64
	if v := strings.TrimSpace(r.PostFormValue("account")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", 0, errorf(errs.Invalid, "credential_account", "choose the account from the list")
		}
		id = n
	}
	return s.credentialTarget(r.Context(), r.PostFormValue("platform"), id)
}

// credentialTarget checks a token's platform and account: an account's own
// token takes the account's platform; account 0 is platform-wide.
func (s *Server) credentialTarget(ctx context.Context, platform string, id int64) (string, int64, error) {
	platform = strings.ToLower(strings.TrimSpace(platform))
	if id != 0 {
		acc, err := s.registry.Account(ctx, id)
		if err != nil {
			return "", 0, err
		}
		platform = acc.Platform
	}
	if platform == "" {
		return "", 0, errorf(errs.Invalid, "credential_platform", "choose a platform or an account")
	}
	return platform, id, nil
}

// setCredential stores a token, encrypted; the value is never shown back.
func (s *Server) setCredential(w http.ResponseWriter, r *http.Request) {
	platform, id, err := s.credentialFormTarget(r)
	if err == nil {
		err = s.storeCredential(r.Context(), actor(r), platform, id, r.PostFormValue("token"))
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/credentials?done=set", http.StatusSeeOther)
}

// storeCredential stores a token that is not blank.
func (s *Server) storeCredential(ctx context.Context, a model.Actor, platform string, id int64, token string) error {
	token = strings.TrimSpace(token)
	if token == "" {
		return errorf(errs.Invalid, "credential_token", "paste the token: it is empty")
	}
	return credentialError(s.monitor.SetCredential(ctx, a, platform, id, token))
}

// revokeCredential removes a stored token.
func (s *Server) revokeCredential(w http.ResponseWriter, r *http.Request) {
	platform, id, err := s.credentialFormTarget(r)
	if err == nil {
		err = s.removeCredential(r.Context(), actor(r), platform, id)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/credentials?done=revoked", http.StatusSeeOther)
}

// removeCredential removes a stored token; none stored is not found.
func (s *Server) removeCredential(ctx context.Context, a model.Actor, platform string, id int64) error {
	err := s.monitor.SetCredential(ctx, a, platform, id, "")
	if errs.Is(err, errs.NotFound) {
		err = errorf(errs.NotFound, "credential_none", "no token is stored for that")
	}
	return credentialError(err)
}

// testCredential syncs one account now with the stored token.
func (s *Server) testCredential(w http.ResponseWriter, r *http.Request) {
	platform, id, err := s.credentialFormTarget(r)
	var res credentialTest
	if err == nil {
		res, err = s.tryCredential(r, platform, id)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	q := url.Values{"done": {"tested"}, "posts": {strconv.Itoa(res.Posts)}}
	if res.Publishing {
		q.Set("publishing", "1")
	}
	http.Redirect(w, r, "/settings/credentials?"+q.Encode(), http.StatusSeeOther)
}

// credentialTest is what a connection test found.
type credentialTest struct {
	AccountID  int64 `json:"account_id"` // the account read
	Posts      int   `json:"posts"`      // posts read
	Publishing bool  `json:"publishing"` // the platform accepted the token for publishing as the account
}

// tryCredential syncs one account now with the stored token and, where
// Herald publishes, checks that the token opens that account: a
// platform-wide token is tried on the platform's first monitored account.
// A failure the platform caused is logged and told in words.
func (s *Server) tryCredential(r *http.Request, platform string, id int64) (credentialTest, error) {
	ctx := r.Context()
	if id == 0 {
		accs, err := s.registry.All(ctx)
		if err != nil {
			return credentialTest{}, err
		}
		for _, a := range accs {
			if a.Platform == platform && monitored(a.Status) {
				id = a.ID
				break
			}
		}
		if id == 0 {
			return credentialTest{}, errorf(errs.Conflict, "credential_no_account", "no active account on %s to try the token with", platform)
		}
	}
	res, err := s.monitor.SyncOnce(ctx, id)
	out := credentialTest{AccountID: id, Posts: res.Posts}
	if err == nil && s.monitor.AccountBound(platform) {
		var acc *model.Account
		if acc, err = s.registry.Account(ctx, id); err == nil {
			out.Publishing, err = s.review.VerifyPublishing(ctx, *acc)
		}
	}
	if err != nil {
		ae := toAPIError(state(r).lang, credentialError(err))
		msg := ae.Message
		if ae.kind == errs.Internal {
			s.log.WarnContext(r.Context(), "credential test failed", "request_id", requestID(r), "account_id", id, "err", err)
			msg = tr(r, "credentials.test_unreachable", requestID(r))
		}
		return out, errorf(errs.Unavailable, "credential_test_failed", "the connection test failed: %s", msg)
	}
	return out, nil
}
