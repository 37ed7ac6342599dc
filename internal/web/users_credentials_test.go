package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// fakeBluesky answers every fetch with a profile and two posts.
type fakeBluesky struct{}

func (fakeBluesky) Fetch(_ context.Context, acc model.Account, _ time.Time) (*model.Profile, []model.Post, error) {
	now, followers := time.Now().UTC(), int64(10)
	return &model.Profile{AccountID: acc.ID, Platform: acc.Platform, Handle: acc.Handle, Followers: &followers, FetchedAt: now}, []model.Post{
		{AccountID: acc.ID, Platform: acc.Platform, ExternalID: "p1", PostedAt: now.Add(-time.Hour), Source: "api"},
		{AccountID: acc.ID, Platform: acc.Platform, ExternalID: "p2", PostedAt: now.Add(-2 * time.Hour), Source: "api"},
	}, nil
}

// Admins set, test and revoke platform tokens in the UI; the value is never
// shown back nor written to the audit trail.
func TestCredentialsPage(t *testing.T) {
	const secret = "bsky-app-password-never-shown"
	storetest.Each(t, func(t *testing.T, dialect string) {
		st := storetest.Open(t, dialect)
		e := newEnvOn(t, st, func(_ *Config, svc *Services) {
			m, err := monitor.New(monitor.Options{Store: st, Pack: svc.Checker.Pack(), SecretKey: bytes.Repeat([]byte{7}, 32),
				Connectors: connector.Registry{"bluesky": fakeBluesky{}}})
			if err != nil {
				t.Fatal(err)
			}
			svc.Monitor = m
		})
		peru, kenya := accountByHandle(t, e, "peru"), accountByHandle(t, e, "kenya")
		a := e.signedIn(model.RoleAdmin)
		if _, body := a.get("/settings"); !strings.Contains(body, `id="credentials-link"`) {
			t.Error("the settings page does not link to the credentials")
		}
		_, body := a.get("/settings/credentials")
		if !strings.Contains(body, `id="credentials-none"`) || strings.Contains(body, `id="credentials-disabled"`) {
			t.Fatalf("credentials page before any token:\n%s", body)
		}
		token := a.csrf("/settings/credentials")
		post := func(path string, form url.Values) (*http.Response, string) {
			form.Set("csrf", token)
			resp := a.post(path, form)
			return resp, readBody(resp)
		}
		for _, acc := range []model.Account{peru, kenya} {
			if resp, _ := post("/settings/credentials", url.Values{"account": {strconv.FormatInt(acc.ID, 10)}, "token": {secret}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("set %s: %d", acc.Handle, resp.StatusCode)
			}
		}
		if resp, body := post("/settings/credentials", url.Values{"platform": {"x"}, "token": {" "}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "token") {
			t.Errorf("an empty token: %d", resp.StatusCode)
		}
		_, body = a.get("/settings/credentials?done=set")
		if strings.Contains(body, secret) || !strings.Contains(body, peru.Handle) || !strings.Contains(body, `id="test-bluesky-`+strconv.FormatInt(peru.ID, 10)+`"`) {
			t.Errorf("the page shows the token or lacks the stored one")
		}
		evs, err := st.AuditEvents(t.Context(), store.AuditFilter{ActionPrefix: "credential."})
		if err != nil || len(evs) != 2 {
			t.Fatalf("audit: %d events, %v", len(evs), err)
		}
		for _, ev := range evs {
			if strings.Contains(ev.Summary, secret) {
				t.Errorf("the audit trail holds the token: %q", ev.Summary)
			}
		}

		// The test reads the account with the token.
		resp, _ := post("/settings/credentials/test", url.Values{"platform": {"bluesky"}, "account": {strconv.FormatInt(peru.ID, 10)}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "posts=2") {
			t.Fatalf("test: %d %q", resp.StatusCode, loc)
		}
		if _, body = a.get(loc); !strings.Contains(body, "The connection works") {
			t.Errorf("the page does not say the test worked")
		}
		// A platform Herald cannot read: the failure says why, in words.
		resp, body = post("/settings/credentials/test", url.Values{"account": {strconv.FormatInt(kenya.ID, 10)}})
		if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, "no connector") {
			t.Errorf("a test without a connector: %d", resp.StatusCode)
		}

		if resp, _ = post("/settings/credentials/revoke", url.Values{"account": {strconv.FormatInt(peru.ID, 10)}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		if set, _ := e.srv.monitor.CredentialSet(t.Context(), "bluesky", peru.ID); set {
			t.Error("the revoked token is still stored")
		}
		if resp, body = post("/settings/credentials/revoke", url.Values{"account": {strconv.FormatInt(peru.ID, 10)}}); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "no token is stored") {
			t.Errorf("revoking twice: %d", resp.StatusCode)
		}
	})
}

// Without a secret key the page says so and storing is refused in words.
func TestCredentialsWithoutKey(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	a := e.signedIn(model.RoleAdmin)
	if _, body := a.get("/settings/credentials"); !strings.Contains(body, `id="credentials-disabled"`) {
		t.Error("the page does not say tokens cannot be stored")
	}
	resp := a.post("/settings/credentials", url.Values{"csrf": {a.csrf("/settings/credentials")}, "platform": {"x"}, "token": {"t"}})
	if body := readBody(resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "HERALD_SECRET_KEY") {
		t.Errorf("storing without a key: %d", resp.StatusCode)
	}
}
