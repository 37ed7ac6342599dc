// Package corpus reads the checker's evaluation corpus
// (internal/check/testdata/corpus) and scores a checker on it: recall per
// clause family and language, and the share of clean posts left alone.
//
// The corpus is split once, by a hash of each draft's id, into a tune half
// (rules may be adjusted while looking at it) and a test half (only its
// figures are read). Half says where an id belongs, and Load refuses a
// draft filed in the other half, so items never move between halves.
package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/model"
)

// The two halves of the corpus.
const (
	Tune = "tune"
	Test = "test"
)

// Clean is the family of posts that must raise no error and no warning.
const Clean = "clean"

// Family is a group of drafts scored together.
type Family struct {
	Name   string
	Clause string // every positive of the family expects it
	Shown  string // the clauses the family's drafts expect, for tables
}

// Families lists the clause families in report order; Clean comes last.
var Families = []Family{
	{"movement", "3.4(g)", "3.4(g)"},
	{"beneficiary-location", "3.4(h)", "3.4(g)+(h)"},
	{"sides", "3.4(i)", "3.4(i)"},
	{"internal", "3.4(f)", "3.4(f)"},
	{"sensitive-event", "3.4(e)", "3.4(e)"},
	{"contempt", "3.4(n)", "3.4(n)"},
	{"opinion", "4.4(b)", "4.4(b)"},
	{Clean, "", "none"},
}

// Langs are the corpus languages, in report order.
var Langs = []string{"en", "fr", "es"}

// Date is the day the corpus is checked as of: posts name years relative
// to it, so the stale-figure rule judges them the same way every year.
var Date = time.Date(2026, time.November, 1, 12, 0, 0, 0, time.UTC)

// Item is one draft of the corpus with what the checker should say of it.
type Item struct {
	ID       string             `json:"id"`
	Lang     string             `json:"lang"`
	Family   string             `json:"family"`
	Clauses  []string           `json:"clauses"`
	Account  model.DraftAccount `json:"account"`
	Platform string             `json:"platform,omitempty"`
	Text     string             `json:"text"`
	// SeverityMin raises the bar for a positive to "error"; by default
	// an error or a warning counts as found.
	SeverityMin string `json:"severity_min,omitempty"`

	Half string `json:"-"` // the half it was read from
	Pos  string `json:"-"` // file:line, for messages
}

// Draft is the item as the checker receives it. The language is left out
// on purpose: the checker must tell a post's language by itself.
func (it Item) Draft() model.Draft {
	return model.Draft{ID: it.ID, Text: it.Text, Platform: it.Platform, Account: it.Account}
}

// Half is the half an id belongs to: the low bit of the first byte of its
// SHA-256. It depends on the id alone, so adding drafts never moves others.
func Half(id string) string {
	if sha256.Sum256([]byte(id))[0]&1 == 1 {
		return Test
	}
	return Tune
}

// Group is the triplet a draft belongs to: rounds 6 and later (ids x9…)
// were written as one draft and its two translations (x9sides-017-en,
// x9sides-017-fr2, x9sides-017-es), which share a fold in
// cross-validation; otherwise a draft's translation, seen in training,
// made its held-out score that of known text (on the tune half of 1,486
// drafts, contempt's held-out recall at 0.25 was 0.761, and 0.528 on the
// next round's unseen drafts). Older drafts are their own group.
func Group(id string) string {
	if !strings.HasPrefix(id, "x9") {
		return id
	}
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return id
	}
	lang := strings.TrimRight(id[i+1:], "0123456789")
	if lang != "en" && lang != "fr" && lang != "es" {
		return id
	}
	return id[:i]
}

// Load reads every *.jsonl file of dir/half and checks each line: known
// keys only, a known language, family, account kind and clauses, a unique
// id, and the half the id hashes to. Any bad line is an error naming it.
func Load(dir, half string) ([]Item, error) {
	if half != Tune && half != Test {
		return nil, fmt.Errorf("corpus: half %q: want %q or %q", half, Tune, Test)
	}
	files, err := filepath.Glob(filepath.Join(dir, half, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("corpus: no *.jsonl files in %s", filepath.Join(dir, half))
	}
	sort.Strings(files)
	var items []Item
	seen := map[string]string{}
	var errs []error
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			pos := fmt.Sprintf("%s:%d", filepath.ToSlash(name), n)
			it, err := ParseLine(line)
			if err == nil && Half(it.ID) != half {
				err = fmt.Errorf("id %q belongs in the %s half", it.ID, Half(it.ID))
			}
			if err == nil && seen[it.ID] != "" {
				err = fmt.Errorf("id %q already used at %s", it.ID, seen[it.ID])
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", pos, err))
				continue
			}
			it.Half, it.Pos = half, pos
			seen[it.ID] = pos
			items = append(items, it)
		}
		if err := sc.Err(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	return items, errors.Join(errs...)
}

var (
	clauseRe = regexp.MustCompile(`^[1-9]\.[1-9][0-9]?(?:\([a-z]\))?$`)
	kinds    = []string{model.KindCorporate, model.KindCountryOffice, model.KindProject, model.KindPersonal}
)

// ParseLine reads one corpus line and checks it on its own (not its half
// or the uniqueness of its id, which need the whole corpus).
func ParseLine(line []byte) (Item, error) {
	var it Item
	if !utf8.Valid(line) {
		return it, errors.New("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		return it, err
	}
	if dec.More() {
		return it, errors.New("more than one JSON value on the line")
	}
	var family *Family
	for i := range Families {
		if Families[i].Name == it.Family {
			family = &Families[i]
		}
	}
	switch {
	case strings.TrimSpace(it.ID) == "" || strings.TrimSpace(it.ID) != it.ID:
		return it, fmt.Errorf("id %q: want a non-empty id without surrounding spaces", it.ID)
	case !slices.Contains(Langs, it.Lang):
		return it, fmt.Errorf("%s: lang %q: want one of %v", it.ID, it.Lang, Langs)
	case family == nil:
		return it, fmt.Errorf("%s: unknown family %q", it.ID, it.Family)
	case strings.TrimSpace(it.Text) == "":
		return it, fmt.Errorf("%s: empty text", it.ID)
	case !slices.Contains(kinds, it.Account.Kind):
		return it, fmt.Errorf("%s: account kind %q: want one of %v", it.ID, it.Account.Kind, kinds)
	case (it.Account.Kind == model.KindProject) != (it.Account.Project != nil):
		return it, fmt.Errorf("%s: a project account, and only one, names its project", it.ID)
	case it.Account.Project != nil && strings.TrimSpace(it.Account.Project.Name) == "":
		return it, fmt.Errorf("%s: project without a name", it.ID)
	case it.SeverityMin != "" && it.SeverityMin != model.SeverityError && it.SeverityMin != model.SeverityWarning:
		return it, fmt.Errorf("%s: severity_min %q: want error or warning", it.ID, it.SeverityMin)
	case it.Family == Clean && (len(it.Clauses) > 0 || it.SeverityMin != ""):
		return it, fmt.Errorf("%s: a clean post expects no clause", it.ID)
	case it.Family != Clean && !slices.Contains(it.Clauses, family.Clause):
		return it, fmt.Errorf("%s: family %s expects clause %s, got %v", it.ID, it.Family, family.Clause, it.Clauses)
	}
	for _, c := range it.Clauses {
		if !clauseRe.MatchString(c) {
			return it, fmt.Errorf("%s: clause %q is not of the form 3.4(g)", it.ID, c)
		}
	}
	return it, nil
}

// OtherClause reports whether a positive's report has a warning or an
// error of a clause the item does not list.
func (it Item) OtherClause(rep model.Report) bool {
	if it.Family == Clean {
		return false
	}
	for _, f := range rep.Findings {
		if (f.Severity == model.SeverityError || f.Severity == model.SeverityWarning) && !slices.Contains(it.Clauses, f.Clause) {
			return true
		}
	}
	return false
}

// Found reports whether a report does what the item asks: for a positive,
// a finding of one of its clauses at warning or above (error when
// SeverityMin says so); for a clean post, no error and no warning at all.
func (it Item) Found(rep model.Report) bool {
	if it.Family == Clean {
		for _, f := range rep.Findings {
			if f.Severity == model.SeverityError || f.Severity == model.SeverityWarning {
				return false
			}
		}
		return true
	}
	for _, f := range rep.Findings {
		ok := f.Severity == model.SeverityError || f.Severity == model.SeverityWarning && it.SeverityMin != model.SeverityError
		if ok && slices.Contains(it.Clauses, f.Clause) {
			return true
		}
	}
	return false
}
