package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

type option struct{ Value, Label string }

type checkView struct {
	Text, Platform, Account, ReplyTo string
	Platforms, Kinds                 []string
	Accounts                         []option
	Error                            string
	Report                           *model.Report
	Highlighted                      any
	Findings                         []findingView
	Counts                           string
}

// maxPostChars bounds the text of one check from the UI, in characters;
// far above any platform's limit, far below what could slow the server.
const maxPostChars = 100_000

// postTooLong says whether text has more than maxPostChars characters.
func postTooLong(text string) bool {
	return len(text) > maxPostChars && utf8.RuneCountInString(text) > maxPostChars
}

var draftKinds = []string{model.KindPersonal, model.KindCorporate, model.KindCountryOffice, model.KindProject}

// checkForm fills a view from the page's form (or a fresh one for GET).
// The registry's accounts are listed only for a page (withAccounts), not
// for the live counter.
func (s *Server) checkForm(r *http.Request, withAccounts bool) (*checkView, error) {
	v := &checkView{Platforms: s.platforms(), Kinds: draftKinds, Account: "kind:personal"}
	if withAccounts {
		accs, _, err := s.registry.AccountsFor(r.Context(), state(r).user, store.AccountFilter{Sort: "handle", Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, a := range accs {
			if a.Status == model.StatusClosed || a.Status == model.StatusRejected {
				continue
			}
			v.Accounts = append(v.Accounts, option{Value: fmt.Sprintf("id:%d", a.ID),
				Label: tr(r, "common.on_platform", a.Handle, a.Platform) + " (" + enum(pageLang(r), "kind", a.Kind) + ")"})
		}
	}
	if r.Method == http.MethodPost {
		v.Text, v.Platform, v.ReplyTo = r.PostFormValue("text"), r.PostFormValue("platform"), r.PostFormValue("reply_to")
		if a := r.PostFormValue("account"); a != "" {
			v.Account = a
		}
	}
	return v, nil
}

// draft turns the form into a Draft, looking up a registry account.
func (s *Server) draft(r *http.Request, v *checkView) (model.Draft, error) {
	d := model.Draft{Text: v.Text, ReplyTo: v.ReplyTo, Platform: v.Platform}
	if postTooLong(v.Text + v.ReplyTo) {
		return d, errorf(errs.Invalid, "the_post_and_reply_are_longer", "the post (with the message it answers) is longer than %d characters", maxPostChars)
	}
	kind, rest, _ := strings.Cut(v.Account, ":")
	switch kind {
	case "kind":
		if !validKind(rest) {
			return d, errorf(errs.Invalid, "unknown_account_kind", "unknown account kind %q", rest)
		}
		d.Account.Kind = rest
	case "id":
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return d, errorf(errs.Invalid, "unknown_account", "unknown account %q", v.Account)
		}
		a, err := s.registry.Account(r.Context(), id)
		if err == nil && !registry.MaySeeAccount(state(r).user, a) {
			err = errs.E(errs.NotFound, "account.not_found", "no such account") // someone else's request
		}
		if errs.Is(err, errs.NotFound) {
			return d, errorf(errs.Invalid, "no_account_in_the", "no account %d in the registry", id)
		} else if err != nil {
			return d, err
		}
		d.Account = model.DraftAccount{Kind: a.Kind, Handle: a.Handle, Project: a.Project}
		if d.Platform == "" {
			d.Platform = a.Platform
		}
	default:
		return d, errorf(errs.Invalid, "choose_an_account_or", "choose an account or a kind of account")
	}
	if d.Platform == "" {
		d.Platform = "x"
	}
	if _, ok := s.checker.Pack().Parameters.Platforms[d.Platform]; !ok {
		return d, errorf(errs.Invalid, "unknown_platform", "unknown platform %q", d.Platform)
	}
	return d, nil
}

func validKind(k string) bool {
	for _, x := range draftKinds {
		if k == x {
			return true
		}
	}
	return false
}

// runCheck checks a draft and counts it in the metrics.
func (s *Server) runCheck(d model.Draft) model.Report {
	rep := s.checker.Check(d)
	s.metrics.checks.Inc()
	for _, f := range rep.Findings {
		s.metrics.findings.WithLabelValues(f.Clause).Inc()
	}
	return rep
}

func (s *Server) checkPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.checkForm(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "check", page{Title: tr(r, "title.check"), Active: "/check", Data: v})
}

func (s *Server) checkSubmit(w http.ResponseWriter, r *http.Request) {
	v, err := s.checkForm(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.TrimSpace(v.Text) == "" {
		v.Error = tr(r, "check.empty")
		s.render(w, r, http.StatusBadRequest, "check", page{Title: tr(r, "title.check"), Active: "/check", Data: v})
		return
	}
	d, err := s.draft(r, v)
	var ae *errs.Error
	if errors.As(err, &ae) {
		v.Error = message(r, err)
		s.render(w, r, http.StatusBadRequest, "check", page{Title: tr(r, "title.check"), Active: "/check", Data: v})
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := s.runCheck(d)
	v.Report = &rep
	v.Highlighted = highlight(pageLang(r), d.Text, rep.Findings)
	v.Findings, v.Counts = s.findingViews(pageLang(r), d.Text, rep.Findings)
	s.render(w, r, http.StatusOK, "check", page{Title: tr(r, "title.check"), Active: "/check", Data: v})
}

// checkPreview answers the page's live counter: length, limit and findings as JSON.
func (s *Server) checkPreview(w http.ResponseWriter, r *http.Request) {
	v, err := s.checkForm(r, false)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	d, err := s.draft(r, v)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	rep := s.runCheck(d)
	writeJSON(w, http.StatusOK, map[string]any{"platform": rep.Platform.Name, "length": rep.Platform.Length,
		"limit": rep.Platform.Limit, "findings": rep.Findings,
		"counter": counterText(pageLang(r), rep.Platform, len(rep.Findings))})
}

// apiCheck checks a Draft and returns its Report. Image paths are refused:
// a path would name a file on the server.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	var d model.Draft
	if err := decodeJSON(r, &d); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	switch {
	case strings.TrimSpace(d.Text) == "" && len(d.Images) == 0:
		// As on the page: an empty post is asked for text, never told "no findings".
		s.writeAPIError(w, r, errorf(errs.Invalid, "check_empty_text", "text: write some text to check; the post is empty"))
		return
	case len(d.Images) > 0:
		s.writeAPIError(w, r, errorf(errs.Invalid, "images_are_not_accepted", "images are not accepted by the API: an image path would name a file on the server"))
		return
	case d.Account.Kind != "" && !validKind(d.Account.Kind):
		s.writeAPIError(w, r, errorf(errs.Invalid, "account_kind_must_be", "account.kind must be one of personal, corporate, country-office, project"))
		return
	}
	if d.Platform != "" {
		if _, ok := s.checker.Pack().Parameters.Platforms[d.Platform]; !ok {
			s.writeAPIError(w, r, errorf(errs.Invalid, "unknown_platform_known", "unknown platform %q; known: %s", d.Platform, strings.Join(s.platforms(), ", ")))
			return
		}
	}
	writeJSON(w, http.StatusOK, s.runCheck(d))
}

// apiPack is the policy pack in force: what a client needs to explain a
// finding (its clause) and to fill a draft's checklist. Texts are by
// language code.
type apiPack struct {
	ID        string             `json:"id"`
	Version   string             `json:"version"`
	Policy    apiPackPolicy      `json:"policy"`
	Languages []string           `json:"languages"`
	Clauses   []apiPackClause    `json:"clauses"`
	Rules     []apiPackRule      `json:"rules"`
	Checklist []apiChecklistItem `json:"checklist"`
}

type apiPackPolicy struct {
	Reference string `json:"reference"`
	Title     string `json:"title"`
	Effective string `json:"effective"`
}

type apiPackClause struct {
	ID      string            `json:"id"`
	Title   map[string]string `json:"title"`
	Summary map[string]string `json:"summary"`
}

type apiPackRule struct {
	ID         string            `json:"id"`
	Clause     string            `json:"clause"`
	Severity   string            `json:"severity"`
	Enabled    bool              `json:"enabled"`
	Kinds      []string          `json:"kinds"`     // empty: every kind
	Platforms  []string          `json:"platforms"` // empty: every platform
	Message    map[string]string `json:"message"`
	Suggestion map[string]string `json:"suggestion"`
}

type apiChecklistItem struct {
	ID     string            `json:"id"`
	Clause string            `json:"clause"`
	Text   map[string]string `json:"text"`
}

// apiPackShow answers the pack: identity, clauses with their titles, rules
// (not their detection terms) and the checklist.
func (s *Server) apiPackShow(w http.ResponseWriter, r *http.Request) {
	p := s.checker.Pack()
	// Every text in each of the pack's languages, falling back as pages do
	// (a text written once serves every language).
	langs := p.Pack.Languages
	if len(langs) == 0 {
		langs = []string{"en"}
	}
	texts := func(t policy.Text) map[string]string {
		out := map[string]string{}
		for _, l := range langs {
			if s := t.In(l); s != "" {
				out[l] = s
			}
		}
		return out
	}
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	out := apiPack{ID: p.Pack.ID, Version: p.Pack.Version, Languages: list(p.Pack.Languages),
		Policy:  apiPackPolicy{Reference: p.Pack.Policy.Reference, Title: p.Pack.Policy.Title, Effective: p.Pack.Policy.Effective},
		Clauses: []apiPackClause{}, Rules: []apiPackRule{}, Checklist: []apiChecklistItem{}}
	for _, c := range p.Clauses {
		out.Clauses = append(out.Clauses, apiPackClause{ID: c.ID, Title: texts(c.Title), Summary: texts(c.Summary)})
	}
	for _, rl := range p.Rules {
		out.Rules = append(out.Rules, apiPackRule{ID: rl.ID, Clause: rl.Clause, Severity: rl.Severity, Enabled: !rl.Disabled,
			Kinds: list(rl.Applies.Kinds), Platforms: list(rl.Applies.Platforms), Message: texts(rl.Message), Suggestion: texts(rl.Suggestion)})
	}
	for _, c := range p.Checklist {
		out.Checklist = append(out.Checklist, apiChecklistItem{ID: c.ID, Clause: c.Clause, Text: texts(c.Text)})
	}
	writeEntity(w, http.StatusOK, out)
}
