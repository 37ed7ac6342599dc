package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/model"
)

// page is what every template gets.
type page struct {
	Title  string
	Active string // the navigation entry to mark as current
	User   *model.User
	CSRF   string
	Demo   bool
	Nav    []navItem
	Notice string // a one-line message at the top of the page
	Unread int    // unread notifications, for the header's bell
	Data   any
}

type navItem struct {
	Label, Href string
	Current     bool
}

// navigation is the main menu; entries the user's role may not open are left out.
var navigation = []struct {
	label, href string
	perm        auth.Permission
}{
	{"Dashboard", "/", auth.DashboardRead},
	{"Accounts", "/accounts", auth.AccountsRead},
	{"Requests", "/requests", auth.RequestsRead},
	{"Drafts", "/drafts", auth.DraftsWrite},
	{"Review", "/review", auth.DraftsReview},
	{"Advice", "/advice", auth.AdviceRead},
	{"Found", "/found", auth.FoundTriage},
	{"Check a post", "/check", auth.CheckRun},
	{"My accounts check", "/my-accounts-check", auth.Self},
	{"Verify", "/verify", auth.Public},
	{"Registry", "/registry", auth.Public},
	{"Audit", "/audit", auth.AuditRead},
	{"Users", "/settings/users", auth.UsersRead},
	{"Settings", "/settings", auth.Self},
}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset":  s.assets.url,
		"add":    func(a, b int) int { return a + b },
		"linked": linkAccounts,
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
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
	return pages, nil
}

// render writes the named page with status. It renders into a buffer
// first, so a template error gives a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	st := state(r)
	p.User, p.CSRF, p.Demo = st.user, st.csrf, s.cfg.Demo
	if st.user != nil {
		p.Unread = s.unreadCount(r, st.user)
		for _, n := range navigation {
			if auth.Allowed(st.user.Role, n.perm) {
				p.Nav = append(p.Nav, navItem{Label: n.label, Href: n.href, Current: n.label == p.Active})
			}
		}
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "render", "request_id", st.id, "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
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
	if err := s.pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		s.log.ErrorContext(r.Context(), "render", "request_id", state(r).id, "fragment", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func pageTitleFor(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusMethodNotAllowed:
		return "Method not allowed"
	case http.StatusForbidden:
		return "Not allowed"
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
	s.renderStatus(w, r, http.StatusInternalServerError, "Something went wrong",
		"Something went wrong (reference "+requestID(r)+"). The error was logged.")
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
