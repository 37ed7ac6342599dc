package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// langCookie keeps the language chosen with ?lang= for the pages after.
const langCookie = "lang"

// chooseLang is the language of a page: ?lang= (kept in a cookie), the
// cookie, the signed-in user's setting, then defaultLang.
func (s *Server) chooseLang(w http.ResponseWriter, r *http.Request) string {
	if l, ok := i18n.Base(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, s.cookie(r, langCookie, l, 365*24*3600))
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.Base(c.Value); ok {
			return l
		}
	}
	if u := state(r).user; u != nil && i18n.Supported(u.Lang) {
		return u.Lang
	}
	return s.defaultLang(r)
}

// defaultLang is the language Accept-Language asks for, else the pack's
// first language Herald speaks, else English. The API's errors use it.
func (s *Server) defaultLang(r *http.Request) string {
	if l, ok := i18n.Match(r.Header.Get("Accept-Language")); ok {
		return l
	}
	for _, l := range s.checker.Pack().Pack.Languages {
		if i18n.Supported(l) {
			return l
		}
	}
	return "en"
}

// pageLang is the request's language, English before one is chosen.
func pageLang(r *http.Request) string {
	if l := state(r).lang; l != "" {
		return l
	}
	return "en"
}

// tr is the message for key in the request's language.
func tr(r *http.Request, key string, args ...any) string {
	return i18n.T(state(r).lang, key, args...)
}

// message is what a person reads of err, in the request's language: the
// catalog's errors.<key> formatted with the error's Args, else its English
// message.
func message(r *http.Request, err error) string {
	return toAPIError(state(r).lang, err).Message
}

// localize is e's message in lang.
func localize(lang string, e *errs.Error) string {
	if !i18n.Has("errors." + e.Key) {
		return e.Message
	}
	return i18n.T(lang, "errors."+e.Key, e.Args...) // T gives a pack's text or a Name in lang
}

// counterText is the live counter under a post, in lang: length, limit,
// what is left or over, and how many findings.
func counterText(lang string, p model.PlatformUsage, findings int) string {
	left := i18n.N(lang, "live.left", p.Limit-p.Length)
	if p.Length > p.Limit {
		left = i18n.N(lang, "live.over", p.Length-p.Limit)
	}
	s := i18n.T(lang, "live.counter", p.Length, p.Limit, p.Name, left)
	if findings > 0 {
		s += ", " + i18n.N(lang, "plural.finding", findings)
	}
	return s
}

// langLink is one entry of the language switcher.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// switcher links the page at r in each language, by name in that language;
// plain links, so it works without JavaScript.
func switcher(r *http.Request, current string) []langLink {
	var ls []langLink
	for _, code := range i18n.Languages() {
		q := url.Values{}
		if r.Method == http.MethodGet {
			q = r.URL.Query()
		}
		if next := q.Get("next"); next != "" {
			q.Set("next", localPath(next)) // the sign-in page's redirect stays on this site
		}
		q.Set("lang", code)
		ls = append(ls, langLink{Code: code, Name: i18n.T(code, "language.name"),
			Href: r.URL.Path + "?" + q.Encode(), Current: code == current})
	}
	return ls
}

// templateFuncs are the words and formats of lang for the templates.
func (s *Server) templateFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":        func(key string, args ...any) template.HTML { return translateHTML(lang, key, args) },
		"date":     func(t any) string { return formatTime(lang, t, i18n.Date) },
		"datetime": func(t any) string { return formatTime(lang, t, i18n.DateTime) },
		"number":   func(n int) string { return i18n.Number(lang, n) },
		"decimal":  func(f float64) string { return i18n.Decimal(lang, f) },
		"percent":  func(f float64) string { return i18n.Percent(lang, f) },
		"round":    func(f float64) int { return int(math.Round(f)) },
		"webhookReason": func(reason string) string {
			if key, args := model.WebhookReasonKey(reason); key != "" {
				return i18n.T(lang, key, args...)
			}
			return reason
		},
		"ago": func(t any) string {
			return formatTime(lang, t, func(l string, t time.Time) string { return i18n.Relative(l, t, s.cfg.Now()) })
		},
		"tn":   func(key string, n int, args ...any) string { return i18n.N(lang, key, n, args...) },
		"enum": func(group string, v any) string { return enum(lang, group, fmt.Sprint(v)) },
		"link": link,
		"code": func(s string) template.HTML {
			return template.HTML("<code>" + template.HTMLEscapeString(s) + "</code>")
		},
		// local is a message made outside web (a health reason, an import
		// problem) in lang.
		"local": func(v interface{ Text(string) string }) string { return v.Text(lang) },
	}
}

// enum names a code of group (a status, kind, role or severity) in lang;
// a code the catalog does not name shows as itself.
func enum(lang, group, code string) string {
	if key := group + "." + code; i18n.Has(key) {
		return i18n.T(lang, key)
	}
	return code
}

// link is an a element for a sentence made with t: the text may be HTML
// (another t), anything else is escaped.
func link(href string, text any) template.HTML {
	h, ok := text.(template.HTML)
	if !ok {
		h = template.HTML(template.HTMLEscapeString(fmt.Sprint(text)))
	}
	return template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + string(h) + `</a>`)
}

// translateHTML is T for a template: the message and its arguments are
// escaped, except numbers and arguments that are already HTML (a link made
// by a template), so a sentence may hold a link without the translator
// writing markup.
func translateHTML(lang, key string, args []any) template.HTML {
	esc := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case template.HTML:
			esc[i] = string(v)
		default:
			switch reflect.ValueOf(a).Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
				reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64, reflect.Bool:
				esc[i] = a // kept for %d and %.1f
			default:
				esc[i] = template.HTMLEscapeString(fmt.Sprint(v))
			}
		}
	}
	return template.HTML(fmt.Sprintf(template.HTMLEscapeString(i18n.Format(lang, key)), esc...))
}

// formatTime formats a time.Time or a *time.Time (nil: empty) with f.
func formatTime(lang string, v any, f func(string, time.Time) string) string {
	switch t := v.(type) {
	case time.Time:
		return f(lang, t)
	case *time.Time:
		if t != nil {
			return f(lang, *t)
		}
	}
	return ""
}
