package publish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// Verify checks that the account's stored secret opens that account and no
// other, without posting: Mastodon's verify_credentials names the token's
// account; Bluesky opens a session with the app password.
func (p *Publisher) Verify(ctx context.Context, acc model.Account) error {
	secret, err := p.secret(ctx, acc)
	if err != nil {
		return err
	}
	want := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	var got string
	switch acc.Platform {
	case "mastodon":
		base, err := MastodonInstance(acc, p.cfg.Allow)
		if err != nil {
			return err
		}
		want, _, _ = strings.Cut(want, "@")
		req, err := jsonRequest(ctx, http.MethodGet, base+"/api/v1/accounts/verify_credentials", nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		var me struct {
			Username string `json:"username"`
		}
		if err := p.do(req, &me); err != nil {
			return refusedToken(err)
		}
		got = me.Username
	case "bluesky":
		base, err := baseURL(p.cfg.BlueskyPDS, p.cfg.Allow)
		if err != nil {
			return err
		}
		req, err := jsonRequest(ctx, http.MethodPost, base+"/xrpc/com.atproto.server.createSession",
			map[string]string{"identifier": want, "password": secret})
		if err != nil {
			return err
		}
		var sess bskySession
		if err := p.do(req, &sess); err != nil {
			return refusedToken(err)
		}
		got = sess.Handle
	default:
		return fmt.Errorf("publish: platform %q is not supported", acc.Platform)
	}
	if got != "" && !strings.EqualFold(got, want) {
		return errs.Errorf(errs.Conflict, "publish.token_other_account",
			"the token opens the account %s, not %s: posts would go out under the wrong name; set the token of %s", got, want, acc.Handle)
	}
	return nil
}

// refusedToken says in words that the platform turned the secret down.
func refusedToken(err error) error {
	var he *HTTPError
	if errors.As(err, &he) && (he.Status == http.StatusUnauthorized || he.Status == http.StatusForbidden) {
		return errs.Wrap(errs.Conflict, "publish.token_refused",
			fmt.Sprintf("the platform refused the token (HTTP %d): it is wrong, expired or revoked; set a new one", he.Status), err)
	}
	return err
}
