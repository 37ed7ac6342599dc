package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

var htmlLang = regexp.MustCompile(`<html lang="([a-z]+)">`)

// getLang fetches path with an Accept-Language header (none when empty)
// and returns the page's <html lang> and body.
func (b *browser) getLang(path, accept string) (string, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.ts.URL+path, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	resp, err := b.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK {
		b.e.t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	m := htmlLang.FindStringSubmatch(body)
	if m == nil {
		b.e.t.Fatalf("GET %s: no <html lang>", path)
	}
	return m[1], body
}

// says reports whether body shows the catalog's text for key in lang.
func says(body, lang, key string, args ...any) bool {
	return strings.Contains(body, template.HTMLEscapeString(i18n.T(lang, key, args...)))
}

// TestPublicPagesAnswerInTheAskedLanguage: ?lang= and Accept-Language
// choose the language of the public pages, <html lang> says it, and the
// verify page names the organization and explains official accounts in it.
func TestPublicPagesAnswerInTheAskedLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	org := e.srv.orgName()
	for _, tt := range []struct {
		path, accept, want string
	}{
		{"/verify?lang=fr", "", "fr"},
		{"/verify", "fr-CA,fr;q=0.9", "fr"},
		{"/verify?lang=es", "fr", "es"},
		{"/verify", "es-419", "es"},
		{"/verify", "de", "en"},
		{"/verify", "", "en"},
	} {
		lang, body := e.browser().getLang(tt.path, tt.accept)
		if lang != tt.want {
			t.Errorf("%s with Accept-Language %q: <html lang=%q>, want %q", tt.path, tt.accept, lang, tt.want)
		}
		for _, key := range []string{"verify.about.title", "report.report_a_suspicious_account", "layout.skip_to_content"} {
			if !says(body, tt.want, key) {
				t.Errorf("%s (%s): %s is not in %s", tt.path, tt.accept, key, tt.want)
			}
		}
		if !says(body, tt.want, "verify.heading", org) || !says(body, tt.want, "verify.about.official", org) {
			t.Errorf("%s (%s): the verify page does not name %s in %s", tt.path, tt.accept, org, tt.want)
		}
	}
	for _, p := range []struct {
		path, key string
		args      []any
	}{{"/registry", "registry.official_accounts_of", []any{org}}, {"/signin", "signin.sign_in", nil}} {
		for _, lang := range []string{"fr", "es"} {
			got, body := e.browser().getLang(p.path, lang)
			if got != lang || !says(body, lang, p.key, p.args...) {
				t.Errorf("%s with Accept-Language %s: <html lang=%q>, %s missing", p.path, lang, got, p.key)
			}
		}
	}
}

// TestLangKeptInCookie: a ?lang= choice holds for the next pages, over
// Accept-Language, and the switcher links every language by its own name.
func TestLangKeptInCookie(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.browser()
	if lang, body := b.getLang("/registry?lang=es&platform=x", "fr"); lang != "es" ||
		!strings.Contains(body, `href="/registry?lang=fr&amp;platform=x"`) || !strings.Contains(body, ">Français<") {
		t.Fatalf("switcher: lang %q, links to French with the filter kept: %v", lang, strings.Contains(body, "Français"))
	}
	if lang, _ := b.getLang("/verify", "fr"); lang != "es" {
		t.Errorf("after ?lang=es the next page is in %q", lang)
	}
}

// TestSignedInUserChoosesFrench: the language saved in settings holds in
// every later session, whatever the browser asks.
func TestSignedInUserChoosesFrench(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleManager)
	resp := b.post("/settings/language", url.Values{"csrf": {b.csrf("/settings")}, "lang": {"fr"}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the language: status %d", resp.StatusCode)
	}
	if lang, body := b.getLang("/settings?language=1", "en"); lang != "fr" || !says(body, "fr", "settings.notice.language") {
		t.Errorf("settings after choosing French: lang %q", lang)
	}
	other := e.browser() // another browser: no language cookie
	readBody(other.signin(demo.Email(model.RoleManager), demo.Password))
	for _, p := range []struct{ path, key string }{{"/", "title.dashboard"}, {"/drafts", "drafts.write_a_new_draft"}, {"/requests", "requests.request_an_account"}, {"/check", "check.check_a_post"}} {
		lang, body := other.getLang(p.path, "es")
		if lang != "fr" || !says(body, "fr", p.key) || !says(body, "fr", "nav.settings") {
			t.Errorf("%s for a user who chose French: lang %q, %s shown: %v", p.path, lang, p.key, says(body, "fr", p.key))
		}
	}
	resp = b.post("/settings/language", url.Values{"csrf": {b.csrf("/settings")}, "lang": {"xx"}})
	if readBody(resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown language: status %d, want 400", resp.StatusCode)
	}
}

// TestAPIErrorsFollowAcceptLanguage: an API error's message is the
// catalog's errors.<key> with the error's arguments.
func TestAPIErrorsFollowAcceptLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	for accept, lang := range map[string]string{"fr": "fr", "es-ES,es;q=0.9": "es", "": "en"} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/nothing", nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Error apiError }
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if want := i18n.T(lang, "errors.web.no_route", "GET", "/api/v1/nothing"); got.Error.Message != want || got.Error.Code != "not_found" {
			t.Errorf("Accept-Language %q: %+v, want message %q", accept, got.Error, want)
		}
	}
}

// TestFrenchPostInEnglishPage: a French post and its findings carry
// lang="fr" inside an English page.
func TestFrenchPostInEnglishPage(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	resp := b.post("/check", url.Values{"csrf": {b.csrf("/check")}, "account": {"kind:personal"},
		"text": {"Nous aidons les victimes impuissantes et nous sommes fiers du pont."}})
	body := readBody(resp)
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, `id="checked-text" lang="fr"`) ||
		!strings.Contains(body, `class="message" lang="fr"`) {
		t.Errorf("a French post in an English page is not marked lang=\"fr\" (status %d)", resp.StatusCode)
	}
}

// TestPagesFormatEveryMessage: in each language the main pages show no
// fmt error (a message given the wrong arguments) and no bare key (a
// message missing from the catalogs).
func TestPagesFormatEveryMessage(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleAdmin)
	for _, lang := range i18n.Languages() {
		for _, path := range []string{"/", "/accounts", "/requests", "/requests/new", "/drafts", "/review", "/advice", "/found",
			"/check", "/my-accounts-check", "/verify?platform=x&handle=nobody", "/registry", "/audit", "/settings/users",
			"/settings", "/settings/tokens", "/settings/credentials", "/notifications", "/accounts/1", "/accounts/import"} {
			b.formatted(t, path, lang)
		}
	}
}

// formatted fetches path in lang and checks the page is in lang, with no
// fmt error and no bare key.
func (b *browser) formatted(t *testing.T, path, lang string) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	got, body := b.getLang(path+sep+"lang="+lang, "")
	if got != lang {
		t.Errorf("%s in %s: <html lang=%q>", path, lang, got)
	}
	if i := strings.Index(body, "%!"); i >= 0 {
		t.Errorf("%s in %s: a message with wrong arguments: %q", path, lang, body[max(0, i-80):i+20])
	}
	for _, key := range i18n.Keys() {
		if strings.Contains(body, ">"+key+"<") || strings.Contains(body, "> "+key) {
			t.Errorf("%s in %s: shows the key %s", path, lang, key)
		}
	}
}

// TestDraftPagesInEachLanguage: a draft in review, its editor and the
// review queue are whole in every language, for its author and reviewer.
func TestDraftPagesInEachLanguage(t *testing.T) {
	w := newDraftWorld(t, openTestStore(t))
	manager, reviewer := w.signedIn(model.RoleManager), w.signedIn(model.RoleReviewer)
	draft := w.createOnPage(manager, riskyText)
	resp := manager.post(draft+"/submit", url.Values{"csrf": {manager.csrf(draft)}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	for _, lang := range i18n.Languages() {
		manager.formatted(t, draft, lang)
		manager.formatted(t, "/drafts/new", lang)
		reviewer.formatted(t, draft, lang)
		reviewer.formatted(t, "/review", lang)
	}
	if _, body := reviewer.getLang(draft+"?lang=es", ""); !says(body, "es", "draft.step_of", 1, 1, i18n.T("es", "review.step.communications")) {
		t.Error("the draft's review step is not said in Spanish")
	}
}

// TestCheckPageInEachLanguage: the check page names the registry's accounts
// and says why a post was refused in the page's language.
func TestCheckPageInEachLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	for _, lang := range []string{"fr", "es"} {
		_, body := b.getLang("/check?lang="+lang, "")
		want := template.HTMLEscapeString(i18n.T(lang, "common.on_platform", "@UNOPS_fr", "x") + " (" + i18n.T(lang, "kind.corporate") + ")")
		if !strings.Contains(body, ">"+want+"<") {
			t.Errorf("%s: the account @UNOPS_fr is not named %q", lang, want)
		}
		resp := b.post("/check", url.Values{"csrf": {b.csrf("/check")}, "account": {"kind:personal"},
			"text": {strings.Repeat("a ", maxPostChars)}})
		body = readBody(resp)
		if resp.StatusCode != http.StatusBadRequest || !says(body, lang, "errors.web.the_post_and_reply_are_longer", maxPostChars) {
			t.Errorf("%s: a post too long: status %d, the reason is not in %s", lang, resp.StatusCode, lang)
		}
	}
}

// TestPackTextInThePageLanguage: what the pack says in several languages
// (the self-check's advice, an account's checks, the draft checklist) is
// shown in the page's language, chosen with ?lang= whatever the user's
// saved setting.
func TestPackTextInThePageLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	pack := e.srv.checker.Pack()
	rule := func(id string) policy.AccountRule {
		for _, r := range pack.AccountRules {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("the pack has no account rule %s", id)
		return policy.AccountRule{}
	}
	staff, admin, manager := e.signedIn(model.RoleStaff), e.signedIn(model.RoleAdmin), e.signedIn(model.RoleManager)
	energy := accountByHandle(t, e, "Energy_UA")
	for _, lang := range []string{"fr", "es"} {
		staff.getLang("/my-accounts-check?lang="+lang, "")
		body := readBody(staff.post("/my-accounts-check", url.Values{"csrf": {staff.csrf("/my-accounts-check")},
			"platform": {"x"}, "handle": {"@jdoe"}, "display_name": {"J. Doe"}, "work_use": {"on"}}))
		if want := rule("personal.privacy-settings").Message.In(lang); !strings.Contains(body, template.HTMLEscapeString(want)) {
			t.Errorf("self-check in %s: %q missing", lang, want)
		}
		_, body = admin.getLang(fmt.Sprintf("/accounts/%d?lang=%s", energy.ID, lang), "")
		if want := rule("request.strategy-fields").Suggestion.In(lang); !strings.Contains(body, template.HTMLEscapeString(want)) {
			t.Errorf("account page in %s: its check's suggestion %q missing", lang, want)
		}
		_, body = manager.getLang("/drafts/new?lang="+lang, "")
		if want := pack.Checklist[0].Text.In(lang); !strings.Contains(body, template.HTMLEscapeString(want)) {
			t.Errorf("draft editor in %s: the checklist's %q missing", lang, want)
		}
	}
}

// TestOnAPlatformAndOnADate: "on" before a platform and "on" before a date
// are different words in French and Spanish (sur/en, le/el).
func TestOnAPlatformAndOnADate(t *testing.T) {
	w := newDraftWorld(t, openTestStore(t))
	manager := w.signedIn(model.RoleManager)
	draft := w.createOnPage(manager, "Our new clinic opened today.")
	for lang, want := range map[string]string{"fr": "<small>sur mastodon</small>", "es": "<small>en mastodon</small>"} {
		if _, body := manager.getLang(draft+"?lang="+lang, ""); !strings.Contains(body, want) {
			t.Errorf("draft page in %s: %q missing", lang, want)
		}
	}

	e := newEnvOn(t, openTestStore(t), nil)
	now := time.Now().UTC()
	for _, at := range []time.Time{now, now.AddDate(0, 0, e.srv.checker.Pack().Parameters.Health.GraceDays+1)} {
		if _, err := e.srv.monitor.Evaluate(t.Context(), at); err != nil {
			t.Fatal(err)
		}
	}
	acc := accountByHandle(t, e, "Energy_UA")
	if acc.Status != model.StatusClosureProposed {
		t.Fatalf("%s is %s, want closure-proposed", acc.Handle, acc.Status)
	}
	a := e.signedIn(model.RoleAdmin)
	for lang, want := range map[string]string{"fr": "fermeture proposée le ", "es": "cierre propuesto el "} {
		_, body := a.getLang("/?lang="+lang, "")
		if grace := between(body, fmt.Sprintf(`id="grace-%d"`, acc.ID), "</span>"); !strings.Contains(grace, want) {
			t.Errorf("dashboard in %s: %q, want %q", lang, grace, want)
		}
	}
}

// TestReviewStepsAfterAPreposition: a review step's name starts with its
// article ("le Groupe", "el Grupo"), so a sentence must not put "à" or "a"
// right before it ("à le", "a el" are not French or Spanish).
func TestReviewStepsAfterAPreposition(t *testing.T) {
	for _, lang := range []string{"fr", "es"} {
		for _, step := range []string{"review.step.communications", "review.step.office_lead"} {
			who := i18n.T(lang, step)
			for _, got := range []string{i18n.T(lang, "draft.when_approving_also_send_it", who), i18n.T(lang, "errors.draft.step_is_for", 2, who)} {
				if got = strings.ToLower(got); strings.Contains(got, "à le ") || strings.Contains(got, " a el ") {
					t.Errorf("%s with %s: %q", lang, step, got)
				}
			}
		}
	}
}

// TestFoundQueueCountInEachLanguage: the count above the queue names the
// state shown in the page's language.
func TestFoundQueueCountInEachLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleReviewer)
	for _, lang := range []string{"fr", "es"} {
		_, body := b.getLang("/found?lang="+lang, "")
		if got, want := between(body, `id="found-total"`, "</p>"), "("+i18n.T(lang, "found_state.new")+")"; !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

// TestAdviceThreadInEachLanguage: a question's heading names the kind of
// account it is about in the page's language.
func TestAdviceThreadInEachLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	code, out := apiDo(t, e, "POST", "/api/v1/advice", e.token(model.RoleStaff), `{"text":"A post","question":"May I?","kind":"personal"}`)
	if code != http.StatusCreated {
		t.Fatalf("ask: %d %v", code, out)
	}
	b := e.signedIn(model.RoleStaff)
	for _, lang := range []string{"fr", "es"} {
		_, body := b.getLang(fmt.Sprintf("/advice/%v?lang=%s", out["id"], lang), "")
		want := template.HTMLEscapeString(i18n.T(lang, "advice_thread.question_about_a_post", i18n.T(lang, "kind.personal")))
		if !strings.Contains(body, "<h1>"+want+"</h1>") {
			t.Errorf("%s: heading %q, want %q", lang, between(body, "<h1>", "</h1>"), want)
		}
	}
}

// TestDemoSignInNamesRolesInEachLanguage: the demo's one-click buttons
// name the roles in the page's language.
func TestDemoSignInNamesRolesInEachLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, lang := range []string{"fr", "es"} {
		_, body := e.browser().getLang("/signin?lang="+lang, "")
		if want := `id="demo-signin-admin">` + i18n.T(lang, "role.admin") + "</button>"; !strings.Contains(body, want) {
			t.Errorf("%s: %q missing", lang, want)
		}
	}
}
