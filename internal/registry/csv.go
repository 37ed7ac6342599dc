package registry

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// csvColumns are the registry's CSV columns, in export order. Lists
// (languages, contacts, managers, project_keywords) are ";"-separated.
var csvColumns = []string{
	"id", "platform", "handle", "profile_url", "display_name", "bio", "kind", "office",
	"languages", "audience", "purpose", "posts_per_week", "email", "contacts", "managers",
	"project_name", "project_keywords", "project_end_date", "status", "created_at", "updated_at", "closed_at",
}

// csvAliases are other header names people give the same columns.
var csvAliases = map[string]string{
	"language": "languages", "contact": "contacts", "manager": "managers", "url": "profile_url",
	"profile": "profile_url", "name": "display_name", "unit": "office", "owning_unit": "office",
	"e_mail": "email", "mail": "email", "project": "project_name", "keywords": "project_keywords",
	"end_date": "project_end_date", "project_end": "project_end_date", "posts": "posts_per_week",
	"type": "kind", "username": "handle",
}

// requiredColumns must be in every import.
var requiredColumns = []string{"platform", "handle", "kind", "office"}

// maxCell bounds one cell, so a malformed file cannot make a row of megabytes.
const maxCell = 10000

// ImportPreview is what a CSV import would write, and everything wrong
// with it. Nothing may be written unless Problems is empty.
type ImportPreview struct {
	Rows     []ImportRow
	Problems []RowProblem
	// Columns are the file's columns by their registry names: an update
	// changes only these, so a file without a bio column keeps the bios.
	Columns []string
}

// ImportRow is one account read from a line of the file. An account the
// registry already has on the platform under the same handle is updated:
// ExistingID names it and Changes lists what the import changes on it
// (none when the row says what the registry says).
type ImportRow struct {
	Line       int
	Account    model.Account
	ExistingID int64
	Changes    []FieldChange
}

// FieldChange is one field an import changes on an existing account, as
// the CSV file writes it.
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Row actions.
const (
	ImportAdd       = "add"
	ImportUpdate    = "update"
	ImportUnchanged = "unchanged"
)

// Action says what committing the row does: add, update or unchanged.
func (r ImportRow) Action() string {
	switch {
	case r.ExistingID == 0:
		return ImportAdd
	case len(r.Changes) > 0:
		return ImportUpdate
	}
	return ImportUnchanged
}

// Count returns how many rows have the action.
func (p ImportPreview) Count(action string) int {
	n := 0
	for _, r := range p.Rows {
		if r.Action() == action {
			n++
		}
	}
	return n
}

// RowProblem is one thing wrong at a line of the file (1 is the header).
// Field is the column, empty for problems with the whole line.
type RowProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (p RowProblem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return fmt.Sprintf("line %d, %s: %s", p.Line, p.Field, p.Message)
}

// OK reports whether the file can be imported as it is.
func (p ImportPreview) OK() bool { return len(p.Problems) == 0 }

// Accounts returns the rows' accounts.
func (p ImportPreview) Accounts() []model.Account {
	out := make([]model.Account, len(p.Rows))
	for i, r := range p.Rows {
		out[i] = r.Account
	}
	return out
}

// ImportError lists the problems that stop an import.
type ImportError struct{ Problems []RowProblem }

func (e *ImportError) Error() string { return e.message().Message }

// message is the error as a person reads it: the count, then the first
// problems.
func (e *ImportError) message() *errs.Error {
	const shown = 5
	var b strings.Builder
	for i, p := range e.Problems {
		if i == shown {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-shown)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return errs.Errorf(errs.Invalid, "import.problems", "%d problem(s) in the CSV file; %s", len(e.Problems), b.String())
}

// importError is an *ImportError as the invalid input it is, so every front
// door shows its message; errors.As still finds the *ImportError.
func importError(problems []RowProblem) error {
	ie := &ImportError{Problems: problems}
	e := ie.message()
	e.Err = ie
	return e
}

// ParseCSV reads a registry CSV file and returns its accounts, or an
// *ImportError listing every problem.
func ParseCSV(r io.Reader) ([]model.Account, error) {
	p := PreviewCSV(r)
	if !p.OK() {
		return nil, importError(p.Problems)
	}
	return p.Accounts(), nil
}

// PreviewCSV reads a registry CSV file, finding columns by their header
// names (case, spaces, hyphens and underscores do not matter), and
// validates every row. A line that cannot be read as CSV at all ends the
// preview with a problem at that line.
func PreviewCSV(r io.Reader) ImportPreview {
	var pv ImportPreview
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // rows of the wrong width are reported, not fatal
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errs.E(errs.Invalid, "import.empty", "the file is empty; it needs a header line")
		}
		pv.Problems = append(pv.Problems, RowProblem{Line: 1, Message: csvErrorMessage(err)})
		return pv
	}
	cols, problems := mapHeader(header)
	pv.Problems = append(pv.Problems, problems...)
	if len(problems) > 0 {
		return pv
	}
	for _, c := range csvColumns {
		if cols[c] != 0 {
			pv.Columns = append(pv.Columns, c)
		}
	}
	seen := map[string]int{} // platform + normalized handle → line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			pv.Problems = append(pv.Problems, RowProblem{Line: line, Message: csvErrorMessage(err)})
			return pv
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			pv.Problems = append(pv.Problems, RowProblem{Line: line,
				Message: fmt.Sprintf("%d cells where the header has %d", len(rec), len(header))})
			continue
		}
		row := rowReader{line: line, cols: cols, rec: rec}
		acc := row.account()
		if len(row.problems) == 0 {
			key := canonicalPlatform(acc.Platform) + " " + row.handleKey
			if first, dup := seen[key]; dup {
				row.add("handle", fmt.Sprintf("%s on %s is already on line %d", acc.Handle, acc.Platform, first))
			} else {
				seen[key] = line
			}
		}
		pv.Problems = append(pv.Problems, row.problems...)
		pv.Rows = append(pv.Rows, ImportRow{Line: line, Account: acc})
	}
	return pv
}

func csvErrorMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not valid CSV: " + pe.Err.Error()
	}
	return err.Error()
}

// headerKey reduces a header name to the form csvColumns use.
func headerKey(h string) string {
	h = strings.TrimPrefix(h, "\ufeff") // a byte order mark from spreadsheet exports
	f := strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
		return r == ' ' || r == '_' || r == '-' || r == '\t'
	})
	k := strings.Join(f, "_")
	if a, ok := csvAliases[k]; ok {
		return a
	}
	return k
}

// mapHeader maps column names to their index in the file.
func mapHeader(header []string) (map[string]int, []RowProblem) {
	known := map[string]bool{}
	for _, c := range csvColumns {
		known[c] = true
	}
	cols := map[string]int{}
	var ps []RowProblem
	for i, h := range header {
		k := headerKey(h)
		switch {
		case k == "":
			ps = append(ps, RowProblem{Line: 1, Message: fmt.Sprintf("column %d has no name", i+1)})
		case !known[k]:
			ps = append(ps, RowProblem{Line: 1, Field: h, Message: "unknown column; known columns are " + strings.Join(csvColumns, ", ")})
		case cols[k] != 0:
			ps = append(ps, RowProblem{Line: 1, Field: h, Message: "column appears twice"})
		default:
			cols[k] = i + 1 // 1-based so the zero value means absent
		}
	}
	for _, c := range requiredColumns {
		if cols[c] == 0 && len(ps) == 0 {
			ps = append(ps, RowProblem{Line: 1, Field: c, Message: "required column is missing"})
		}
	}
	return cols, ps
}

// rowReader validates one record and collects its problems.
type rowReader struct {
	line      int
	cols      map[string]int
	rec       []string
	problems  []RowProblem
	handleKey string
}

func (r *rowReader) add(field, msg string) {
	r.problems = append(r.problems, RowProblem{Line: r.line, Field: field, Message: msg})
}

// get returns a cell trimmed and with its formula guard removed.
func (r *rowReader) get(col string) string {
	i := r.cols[col]
	if i == 0 {
		return ""
	}
	s := unguardCell(strings.TrimSpace(r.rec[i-1]))
	if len(s) > maxCell {
		r.add(col, fmt.Sprintf("longer than %d bytes", maxCell))
		return ""
	}
	return s
}

func (r *rowReader) list(col string) []string {
	var out []string
	for _, s := range strings.Split(r.get(col), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *rowReader) time(col string) time.Time {
	s := r.get(col)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.add(col, fmt.Sprintf("%q is not a date and time like 2024-05-01T09:00:00Z", s))
	}
	return t.UTC()
}

var languageCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

func (r *rowReader) account() model.Account {
	a := model.Account{
		Platform:    strings.ToLower(r.get("platform")),
		Handle:      r.get("handle"),
		ProfileURL:  r.get("profile_url"),
		DisplayName: r.get("display_name"),
		Bio:         r.get("bio"),
		Kind:        strings.ToLower(r.get("kind")),
		Office:      r.get("office"),
		Languages:   r.list("languages"),
		Audience:    r.get("audience"),
		Purpose:     r.get("purpose"),
		Email:       r.get("email"),
		Contacts:    r.list("contacts"),
		Managers:    r.list("managers"),
		Status:      strings.ToLower(r.get("status")),
		CreatedAt:   r.time("created_at"),
		UpdatedAt:   r.time("updated_at"),
	}
	if s := r.get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			r.add("id", fmt.Sprintf("%q is not a positive whole number", s))
		}
		a.ID = id
	}
	if a.Platform == "" {
		r.add("platform", "missing")
	} else if _, ok := handleRules[canonicalPlatform(a.Platform)]; !ok {
		r.add("platform", fmt.Sprintf("%q is not a known platform", a.Platform))
	} else if a.Handle == "" {
		r.add("handle", "missing")
	} else if key, err := NormalizeHandle(a.Platform, a.Handle); err != nil {
		r.add("handle", err.Error())
	} else {
		r.handleKey = key
	}
	if a.ProfileURL != "" {
		if u, err := url.Parse(a.ProfileURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			r.add("profile_url", fmt.Sprintf("%q is not an http(s) address", a.ProfileURL))
		}
	}
	switch a.Kind {
	case model.KindCorporate, model.KindCountryOffice, model.KindProject:
	case "":
		r.add("kind", "missing")
	default:
		r.add("kind", fmt.Sprintf("%q is not corporate, country-office or project", a.Kind))
	}
	if a.Office == "" {
		r.add("office", "missing: every institutional account has an owning unit")
	}
	for _, l := range a.Languages {
		if !languageCode.MatchString(l) {
			r.add("languages", fmt.Sprintf("%q is not a language code such as en, fr or es", l))
		}
	}
	if s := r.get("posts_per_week"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > 1000 {
			r.add("posts_per_week", fmt.Sprintf("%q is not a number of posts between 0 and 1000", s))
		} else {
			a.PostsPerWeek = v
		}
	}
	if a.Email != "" {
		if _, _, ok := splitEmail(a.Email); !ok {
			r.add("email", fmt.Sprintf("%q is not an email address", a.Email))
		}
	}
	for _, m := range a.Managers {
		if _, _, ok := splitEmail(m); !ok {
			r.add("managers", fmt.Sprintf("%q is not an email address", m))
		}
	}
	r.project(&a)
	if a.Status == "" {
		a.Status = model.StatusActive // an import registers accounts that already exist
	} else if !ValidStatus(a.Status) {
		r.add("status", fmt.Sprintf("%q is not a status (%s)", a.Status, strings.Join(Statuses, ", ")))
	}
	if t := r.time("closed_at"); !t.IsZero() {
		if a.Status != model.StatusClosed {
			r.add("closed_at", "set on an account that is not closed")
		}
		a.ClosedAt = &t
	}
	return a
}

func (r *rowReader) project(a *model.Account) {
	name, keywords, end := r.get("project_name"), r.list("project_keywords"), r.get("project_end_date")
	if a.Kind != model.KindProject {
		if name != "" || len(keywords) > 0 || end != "" {
			r.add("project_name", "project fields on an account that is not a project account")
		}
		return
	}
	if name == "" {
		r.add("project_name", "missing: a project account names its project")
	}
	if end != "" {
		if _, err := time.Parse(time.DateOnly, end); err != nil {
			r.add("project_end_date", fmt.Sprintf("%q is not a date like 2027-06-30", end))
		}
	}
	a.Project = &model.Project{Name: name, Keywords: keywords, EndDate: end}
}

// WriteCSV writes accounts with a header line, in the form ParseCSV reads.
// Cells that a spreadsheet would run as a formula are guarded.
func WriteCSV(w io.Writer, accounts []model.Account) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	rec := make([]string, len(csvColumns))
	for _, a := range accounts {
		var pname, pend string
		var pkeys []string
		if a.Project != nil {
			pname, pkeys, pend = a.Project.Name, a.Project.Keywords, a.Project.EndDate
		}
		id := ""
		if a.ID != 0 {
			id = strconv.FormatInt(a.ID, 10)
		}
		posts := ""
		if a.PostsPerWeek != 0 {
			posts = strconv.FormatFloat(a.PostsPerWeek, 'f', -1, 64)
		}
		closed := ""
		if a.ClosedAt != nil {
			closed = formatTime(*a.ClosedAt)
		}
		vals := []string{id, a.Platform, a.Handle, a.ProfileURL, a.DisplayName, a.Bio, a.Kind, a.Office,
			strings.Join(a.Languages, ";"), a.Audience, a.Purpose, posts, a.Email,
			strings.Join(a.Contacts, ";"), strings.Join(a.Managers, ";"),
			pname, strings.Join(pkeys, ";"), pend, a.Status,
			formatTime(a.CreatedAt), formatTime(a.UpdatedAt), closed}
		for i, v := range vals {
			rec[i] = guardCell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// formulaStart are the first characters that make a spreadsheet treat a
// cell as a formula.
const formulaStart = "=+-@\t\r"

// guardCell prefixes an apostrophe to a cell a spreadsheet would run as a
// formula ("=HYPERLINK(...)", "@SUM(...)"), and to a cell that already
// starts with an apostrophe before such a character, so that unguardCell
// gives back exactly what was written.
func guardCell(s string) string {
	if s == "" {
		return s
	}
	if strings.IndexByte(formulaStart, s[0]) >= 0 || (s[0] == '\'' && len(s) > 1 && strings.IndexByte(formulaStart+"'", s[1]) >= 0) {
		return "'" + s
	}
	return s
}

// unguardCell removes the apostrophe guardCell adds.
func unguardCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStart+"'", s[1]) >= 0 {
		return s[1:]
	}
	return s
}
