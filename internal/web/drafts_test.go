package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/publish"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/users"
)

// draftWorld is a server whose review service publishes to a fake
// Mastodon, with two institutional accounts: hq (corporate, managed by the
// demo manager, reviewed by the Communications Group) and another office's
// account managed by someone else.
type draftWorld struct {
	*testEnv
	masto           *connectortest.MastodonPoster
	hq, otherOffice *model.Account
	otherManager    *model.User
}

func newDraftWorld(t *testing.T, st *store.Store) *draftWorld {
	t.Helper()
	ctx := context.Background()
	chk := checktest.Default(t)
	w := &draftWorld{masto: connectortest.NewMastodonPoster(t, "masto-token", "hq")}
	svc := &review.Service{Store: st, Checker: chk, DataDir: t.TempDir(),
		Publisher: publish.New(publish.Config{Allow: testAllow, Credentials: publish.CredentialsFunc(
			func(context.Context, model.Account) (string, error) { return "masto-token", nil })})}
	w.testEnv = newEnvOn(t, st, func(_ *Config, s *Services) { s.Review = svc })
	sys := model.SystemActor("test")
	hash, err := auth.HashPassword("other-password")
	if err != nil {
		t.Fatal(err)
	}
	w.otherManager = &model.User{Email: "other.manager@demo.herald.invalid", Name: "Other Manager", Role: model.RoleManager, PasswordHash: hash}
	if err := st.CreateUser(ctx, sys, w.otherManager); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(w.masto.URL, "http://")
	w.hq = &model.Account{Platform: "mastodon", Handle: "@hq@" + host, ProfileURL: w.masto.URL + "/@hq", Kind: model.KindCorporate,
		Office: "Headquarters", Managers: []string{demo.Email(model.RoleManager)}, Status: model.StatusActive}
	w.otherOffice = &model.Account{Platform: "mastodon", Handle: "@lima@" + host, ProfileURL: w.masto.URL + "/@lima", Kind: model.KindCorporate,
		Office: "Peru", Managers: []string{w.otherManager.Email}, Status: model.StatusActive}
	for _, a := range []*model.Account{w.hq, w.otherOffice} {
		if err := st.CreateAccount(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// tokenFor is an API token of any user.
func (w *draftWorld) tokenFor(u *model.User) string {
	w.t.Helper()
	tok, err := (&users.Service{Store: w.st}).CreateToken(context.Background(), model.SystemActor("test"), u, users.TokenSpec{Name: "test"})
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

// createOnPage writes a draft for the office's account through the editor
// as b, every checklist item ticked, and returns its path (/drafts/ID).
func (w *draftWorld) createOnPage(b *browser, text string) string {
	w.t.Helper()
	resp := b.post("/drafts/new", w.draftForm(b, text))
	readBody(resp)
	m := draftPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		w.t.Fatalf("create: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return "/drafts/" + m[1]
}

// draftForm is the editor's form for the office's account with text, every
// checklist item ticked, with b's CSRF token of the new-draft page.
func (w *draftWorld) draftForm(b *browser, text string) url.Values {
	form := url.Values{"csrf": {b.csrf("/drafts/new")}, "account": {strconv.FormatInt(w.hq.ID, 10)}, "text": {text}}
	for _, c := range w.srv.checker.Pack().Checklist {
		form.Add("checklist", c.ID)
	}
	return form
}

// ticks is every checklist item of the pack, as JSON.
func (w *draftWorld) ticks() string {
	var ids []string
	for _, c := range w.srv.checker.Pack().Checklist {
		ids = append(ids, c.ID)
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// Texts of the path: the first has an error finding (a phone number, 3.4(g)).
const (
	riskyText = "Call our field office on +254 712 345 678 for details about the new bridge."
	cleanText = "The new bridge opened today. Read how it was built on our website."
)

func hasErrors(t *testing.T, out map[string]any) bool {
	t.Helper()
	rep, ok := out["report"].(map[string]any)
	if !ok {
		t.Fatalf("no report in %v", out)
	}
	fs, _ := rep["findings"].([]any)
	for _, f := range fs {
		if f.(map[string]any)["severity"] == model.SeverityError {
			return true
		}
	}
	return false
}

// TestAPIDraftPath: draft → check → submit → request changes → edit →
// approve → publish to a local Mastodon-compatible server, on SQLite and
// PostgreSQL, with each step in the audit trail; and the refusals on the
// way (self-approval, stale version, unapproved publish, another office).
func TestAPIDraftPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		manager, reviewer := w.token(model.RoleManager), w.token(model.RoleReviewer)
		other, staff := w.tokenFor(w.otherManager), w.token(model.RoleStaff)
		expect := func(wantCode int, method, path, token, body string) map[string]any {
			t.Helper()
			code, out := apiDo(t, w.testEnv, method, path, token, body)
			if code != wantCode {
				t.Fatalf("%s %s: %d, want %d: %v", method, path, code, wantCode, out)
			}
			return out
		}

		out := expect(http.StatusCreated, "POST", "/api/v1/drafts", manager,
			fmt.Sprintf(`{"account_id":%d,"text":%q,"checklist":%s,"images":[]}`, w.hq.ID, riskyText, w.ticks()))
		if out["status"] != model.DraftDraft || !hasErrors(t, out) {
			t.Fatalf("new draft: want status draft with an error finding: %v", out)
		}
		id := int64(out["id"].(float64))
		draft := fmt.Sprintf("/api/v1/drafts/%d", id)

		// Another office's manager is told it does not exist; staff may not read drafts at all.
		expect(http.StatusNotFound, "GET", draft, other, "")
		expect(http.StatusForbidden, "GET", draft, staff, "")
		expect(http.StatusNotFound, "POST", draft+"/submit", other, "")
		// Publishing what is not approved.
		expect(http.StatusConflict, "POST", draft+"/publish", manager, "")

		_, h, _ := apiReq(t, w.testEnv, "GET", draft, manager, "", nil)
		etagBeforeReview := h.Get("ETag")
		out = expect(http.StatusOK, "POST", draft+"/submit", manager, "")
		if out["status"] != model.DraftInReview {
			t.Fatalf("submitted: %v", out)
		}
		// The author may not decide; an approval over errors needs an override.
		expect(http.StatusForbidden, "POST", draft+"/decision", manager, `{"decision":"approve","comment":"mine","override":true}`)
		expect(http.StatusConflict, "POST", draft+"/decision", reviewer, `{"decision":"approve","version":1}`)
		if out = expect(http.StatusOK, "GET", draft, reviewer, ""); out["status"] != model.DraftInReview {
			t.Fatalf("after a refused approval the draft left review: %v", out)
		}
		out = expect(http.StatusOK, "POST", draft+"/decision", reviewer,
			`{"decision":"request-changes","comment":"Do not publish a phone number.","version":1}`)
		if out["status"] != model.DraftChangesRequested {
			t.Fatalf("changes requested: %v", out)
		}

		// An edit names the draft it changes with If-Match: 428 without,
		// 412 with an ETag from before the review.
		edit := fmt.Sprintf(`{"text":%q,"checklist":%s}`, cleanText, w.ticks())
		expect(http.StatusPreconditionRequired, "PUT", draft, manager, edit)
		_, h, _ = apiReq(t, w.testEnv, "GET", draft, manager, "", nil)
		if code, _, out := apiReq(t, w.testEnv, "PUT", draft, manager, edit, []string{"If-Match", etagBeforeReview}); code != http.StatusPreconditionFailed {
			t.Fatalf("PUT with a stale ETag: %d %v", code, out)
		}
		code, h2, out := apiReq(t, w.testEnv, "PUT", draft, manager, edit, []string{"If-Match", h.Get("ETag")})
		if code != http.StatusOK || h2.Get("ETag") == "" || h2.Get("ETag") == h.Get("ETag") || out["version"].(float64) != 2 || hasErrors(t, out) {
			t.Fatalf("edited: want version 2 without error findings: %v", out)
		}
		expect(http.StatusOK, "POST", draft+"/submit", manager, "")
		// The reviewer read version 1: approving it now is refused.
		expect(http.StatusConflict, "POST", draft+"/decision", reviewer, `{"decision":"approve","version":1}`)
		out = expect(http.StatusOK, "POST", draft+"/decision", reviewer, `{"decision":"approve","comment":"Good.","version":2}`)
		if out["status"] != model.DraftApproved {
			t.Fatalf("approved: %v", out)
		}

		// The first reply is lost after the post was made; the retry must not post again.
		w.masto.LoseNextReply()
		code, out = apiDo(t, w.testEnv, "POST", draft+"/publish", manager, "")
		if code < 500 {
			t.Fatalf("publish with a lost reply: %d %v", code, out)
		}
		out = expect(http.StatusOK, "POST", draft+"/publish", manager, "")
		if out["status"] != model.DraftPublished || !strings.HasPrefix(fmt.Sprint(out["published_url"]), w.masto.URL+"/@hq/") {
			t.Fatalf("published: %v", out)
		}
		if got := w.masto.Texts(); len(got) != 1 || got[0] != cleanText {
			t.Fatalf("the platform got %q, want the approved text once", got)
		}
		expect(http.StatusConflict, "POST", draft+"/publish", manager, "")

		evs, err := w.st.AuditEvents(context.Background(), store.AuditFilter{ActionPrefix: "draft."})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range evs {
			if e.ObjectID == fmt.Sprint(id) {
				seen[e.Action]++
			}
		}
		for _, a := range []string{"draft.create", "draft.submit", "draft.request-changes", "draft.edit", "draft.approve", "draft.publish"} {
			if seen[a] == 0 {
				t.Errorf("audit trail lacks %s for draft %d (has %v)", a, id, seen)
			}
		}
		if seen["draft.submit"] != 2 || seen["draft.publish"] != 1 {
			t.Errorf("audit trail: want 2 submits and 1 publish, got %v", seen)
		}
	})
}
