package registry

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// Limits of an account's fields, in characters (not bytes). They are
// generous against the platforms' own (a display name is at most 50 to
// 100 characters on every supported platform) and keep a stored row small
// whatever the front door: page, API or CSV import.
const (
	maxHandle       = 200
	maxURL          = 2048
	maxName         = 200 // display name, office, contact, project name
	maxProse        = 2000
	maxEmail        = 254 // RFC 5321's path limit
	maxListItems    = 50
	maxKeyword      = 100
	maxPostsPerWeek = 1000
)

// fieldProblem is one field of an account that cannot be stored, as
// errs.Invalid with a key: the field (the API and CSV column name) is its
// first argument, the limit its last where there is one.
type fieldProblem struct {
	Field string
	Err   *errs.Error
}

// validateAccount is every check of an account's fields that does not need
// the registry: the request, edit, registration and import paths all call
// it, so a rule holds whatever the front door. It returns the first
// problem; fieldProblems lists them all.
func validateAccount(acc *model.Account) error {
	if ps := fieldProblems(acc); len(ps) > 0 {
		return ps[0].Err
	}
	return nil
}

// fieldProblems lists what is wrong with acc's fields, in field order.
func fieldProblems(acc *model.Account) []fieldProblem {
	var ps []fieldProblem
	bad := func(field, key, format string, args ...any) {
		ps = append(ps, fieldProblem{Field: field,
			Err: errs.Errorf(errs.Invalid, key, "%s "+format, append([]any{field}, args...)...)})
	}
	// text checks one value: valid UTF-8, no control characters (line
	// breaks and tabs only where multiline), at most max characters.
	text := func(field, v string, max int, multiline bool) bool {
		switch {
		case !utf8.ValidString(v):
			bad(field, "account.field_utf8", "is not valid UTF-8 text")
		case strings.IndexFunc(v, func(r rune) bool {
			return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
		}) >= 0:
			bad(field, "account.field_control", "contains a control character")
		default:
			if n := utf8.RuneCountInString(v); n > max {
				bad(field, "account.field_too_long", "is %d characters long; the limit is %d", n, max)
				return false
			}
			return true
		}
		return false
	}
	list := func(field string, vs []string, max int, each func(string) bool) {
		if len(vs) > maxListItems {
			bad(field, "account.field_too_many", "has %d entries; the limit is %d", len(vs), maxListItems)
			return
		}
		for _, v := range vs {
			if !text(field, v, max, false) || (each != nil && !each(v)) {
				return // one problem per field is enough
			}
		}
	}

	text("platform", acc.Platform, 50, false)
	text("handle", acc.Handle, maxHandle, false)
	if text("profile_url", acc.ProfileURL, maxURL, false) && strings.TrimSpace(acc.ProfileURL) != "" {
		if u, err := url.Parse(strings.TrimSpace(acc.ProfileURL)); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("profile_url", "account.field_url_scheme", "must be an https:// address")
		}
	}
	text("display_name", acc.DisplayName, maxName, false)
	text("bio", acc.Bio, maxProse, true)
	text("kind", acc.Kind, 50, false)
	text("office", acc.Office, maxName, false)
	list("languages", acc.Languages, 20, func(l string) bool {
		if !languageCode.MatchString(l) {
			bad("languages", "account.field_language", "%q is not a language code such as en, fr or es", l)
			return false
		}
		return true
	})
	text("audience", acc.Audience, maxProse, true)
	text("purpose", acc.Purpose, maxProse, true)
	if p := acc.PostsPerWeek; math.IsNaN(p) || p < 0 || p > maxPostsPerWeek {
		bad("posts_per_week", "account.field_range", "must be a number from 0 to %d", maxPostsPerWeek)
	}
	email := func(field string) func(string) bool {
		return func(v string) bool {
			if _, _, ok := splitEmail(v); !ok {
				bad(field, "account.field_email", "%q is not an e-mail address", v)
				return false
			}
			return true
		}
	}
	if text("email", acc.Email, maxEmail, false) && acc.Email != "" {
		email("email")(acc.Email)
	}
	list("contacts", acc.Contacts, maxName, nil)
	list("managers", acc.Managers, maxEmail, email("managers"))
	if p := acc.Project; p != nil {
		text("project_name", p.Name, maxName, false)
		list("project_keywords", p.Keywords, maxKeyword, nil)
		if text("project_end_date", p.EndDate, 10, false) && p.EndDate != "" {
			if _, err := time.Parse(time.DateOnly, p.EndDate); err != nil {
				bad("project_end_date", "account.field_date", "%q is not a date like 2027-06-30", p.EndDate)
			}
		}
	}
	return ps
}

// addFieldProblems adds acc's field problems to an import's, one per field
// and line: a field the CSV reader already refused is not reported twice.
func addFieldProblems(pv *ImportPreview, line int, acc *model.Account) {
	for _, p := range fieldProblems(acc) {
		if !slices.ContainsFunc(pv.Problems, func(q RowProblem) bool { return q.Line == line && q.Field == p.Field }) {
			pv.Problems = append(pv.Problems, errProblem(line, p.Field, p.Err))
		}
	}
}
