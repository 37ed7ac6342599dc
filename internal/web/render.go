package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// page is what every template gets.
type page struct {
	Title  string
	Active string // the href of the navigation entry to mark as current
	User   *model.User
	CSRF   string
	Demo   bool
	Nav    []navItem
	Notice string // a one-line message at the top of the page
	Unread int    // unread notifications, for the header's bell
	Lang   string // the page's language (i18n code)
	Langs  []langLink
	Data   any
}

type navItem struct {
	Label, Href string
	Current     bool
}

// navigation is the main menu; entries the user's role may not open are left out.
var navigation = []struct {
	key, href string
	perm      auth.Permission
}{
	{"nav.dashboard", "/", auth.DashboardRead},
	{"nav.accounts", "/accounts", auth.AccountsRead},
	{"nav.requests", "/requests", auth.RequestsRead},
	{"nav.drafts", "/drafts", auth.DraftsWrite},
	{"nav.review", "/review", auth.DraftsReview},
	{"nav.advice", "/advice", auth.AdviceRead},
	{"nav.found", "/found", auth.FoundTriage},
	{"nav.check", "/check", auth.CheckRun},
	{"nav.my_accounts_check", "/my-accounts-check", auth.Self},
	{"nav.verify", "/verify", auth.Public},
	{"nav.registry", "/registry", auth.Public},
	{"nav.audit", "/audit", auth.AuditRead},
	{"nav.users", "/settings/users", auth.UsersRead},
	{"nav.settings", "/settings", auth.Self},
}

// parseTemplates parses every page once per language, each with the "t"
// function and formats of its language: language → page → template.
func (s *Server) parseTemplates() (map[string]map[string]*template.Template, error) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	all := map[string]map[string]*template.Template{}
	for _, lang := range i18n.Languages() {
		funcs := s.templateFuncs(lang)
		funcs["asset"], funcs["add"], funcs["linked"] = s.assets.url, func(a, b int) int { return a + b }, linkAccounts
		pages := map[string]*template.Template{}
		for _, n := range names {
			if n == "templates/layout.html" || strings.HasSuffix(n, "partials.html") {
				continue
			}
			t, err := template.New("").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/*partials.html", n)
			if err != nil {
				return nil, err
			}
			pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
		}
		all[lang] = pages
	}
	return all, nil
}

// render writes the named page with status. It renders into a buffer
// first, so a template error gives a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	st := state(r)
	p.User, p.CSRF, p.Demo = st.user, st.csrf, s.cfg.Demo
	p.Lang, p.Langs = pageLang(r), switcher(r, pageLang(r))
	if st.user != nil {
		p.Unread = s.unreadCount(r, st.user)
		for _, n := range navigation {
			if auth.Allowed(st.user.Role, n.perm) {
				p.Nav = append(p.Nav, navItem{Label: tr(r, n.key), Href: n.href, Current: n.href == p.Active})
			}
		}
	}
	var buf bytes.Buffer
	if err := s.pages[p.Lang][name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "render", "request_id", st.id, "page", name, "err", err)
		http.Error(w, tr(r, "error.internal_plain"), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderFragment writes one template of a page, without the layout, for a
// script that puts it into the page (the request form's live pre-checks).
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[pageLang(r)][page].ExecuteTemplate(&buf, name, data); err != nil {
		s.log.ErrorContext(r.Context(), "render", "request_id", state(r).id, "fragment", name, "err", err)
		http.Error(w, tr(r, "error.internal_plain"), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// pageTitleFor is the error page's title for status, in r's language.
func pageTitleFor(r *http.Request, status int) string {
	if key := "error.status." + strconv.Itoa(status); i18n.Has(key) {
		return tr(r, key)
	}
	return http.StatusText(status)
}

// renderStatus writes the error page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	s.render(w, r, status, "error", page{Title: title, Data: map[string]any{"Status": status, "Message": message}})
}

// fail logs err and shows the 500 page, which names the request id as a
// reference and nothing of the error.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "internal error", "request_id", requestID(r), "err", err)
	s.renderStatus(w, r, http.StatusInternalServerError, pageTitleFor(r, http.StatusInternalServerError),
		tr(r, "error.internal_logged", requestID(r)))
}

func (s *Server) platforms() []string {
	var ps []string
	for p := range s.checker.Pack().Parameters.Platforms {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// accountPath is how a message names an account ("… is already in the
// registry as account 12 (active), /accounts/12").
var accountPath = regexp.MustCompile(`/accounts/[0-9]+\b`)

// linkAccounts escapes a message and makes the account paths it names
// links, so a duplicate leads to the existing account.
func linkAccounts(msg string) template.HTML {
	esc := template.HTMLEscapeString(msg)
	return template.HTML(accountPath.ReplaceAllString(esc, `<a href="$0">$0</a>`))
}
