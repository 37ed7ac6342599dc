package registry

import (
	"strings"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// AccountInput is an account profile to check. Its JSON form is the line
// format of `herald account check --jsonl`.
type AccountInput struct {
	ID          string         `json:"id"`
	Platform    string         `json:"platform"`
	Kind        string         `json:"kind"` // corporate|country-office|project|personal
	Handle      string         `json:"handle"`
	DisplayName string         `json:"display_name"`
	Bio         string         `json:"bio"`
	Email       string         `json:"email"`
	Project     *model.Project `json:"project,omitempty"`
	// WorkUse says a personal account is used to talk about work (5.2(b), 3.4(l)).
	WorkUse bool `json:"work_use"`
	// Lang asks for messages in this language (en, fr, es); empty means en.
	Lang string `json:"lang,omitempty"`
	// Strategy is set for an account request (4.2); the checks of its
	// fields and posting plan stay quiet without it.
	Strategy *Strategy `json:"strategy,omitempty"`
	// AvatarEmblem says whether the account's avatar is one of the pack's
	// approved emblems (IsEmblem); nil when the avatar is unknown, and then
	// the emblem check (4.3) stays quiet.
	AvatarEmblem *bool `json:"avatar_emblem,omitempty"`
}

// Strategy holds the fields of an account request that say why the account
// should exist and how it will be kept alive.
type Strategy struct {
	Office       string   `json:"office"`
	Languages    []string `json:"languages"`
	Audience     string   `json:"audience"`
	Purpose      string   `json:"purpose"`
	PostsPerWeek float64  `json:"posts_per_week"`
	Contacts     []string `json:"contacts"`
}

// minContacts is how many named contacts an institutional account needs, so
// it never hangs on one person.
const minContacts = 2

// strategyLabels are the catalog keys of the strategy fields' names as the
// request form labels them, by API name: a pre-check names a missing field
// in its reader's words, not the API's.
var strategyLabels = map[string]string{
	"office":         "request.field.office",
	"languages":      "request.field.languages",
	"audience":       "request.field.audience",
	"purpose":        "request.field.purpose",
	"posts_per_week": "request.field.posts_per_week",
	"contacts":       "request.field.contacts",
}

// missing lists the strategy fields left empty, by their API names.
func (s *Strategy) missing() []string {
	var m []string
	if strings.TrimSpace(s.Office) == "" {
		m = append(m, "office")
	}
	if len(s.Languages) == 0 {
		m = append(m, "languages")
	}
	if strings.TrimSpace(s.Audience) == "" {
		m = append(m, "audience")
	}
	if strings.TrimSpace(s.Purpose) == "" {
		m = append(m, "purpose")
	}
	if s.PostsPerWeek <= 0 {
		m = append(m, "posts_per_week")
	}
	named := 0
	for _, c := range s.Contacts {
		if strings.TrimSpace(c) != "" {
			named++
		}
	}
	if named < minContacts {
		m = append(m, "contacts")
	}
	return m
}

// InputFromAccount turns a registry account or request into the input of
// its checks, strategy included.
func InputFromAccount(a model.Account) AccountInput {
	return AccountInput{
		Strategy: &Strategy{Office: a.Office, Languages: a.Languages, Audience: a.Audience,
			Purpose: a.Purpose, PostsPerWeek: a.PostsPerWeek, Contacts: a.Contacts},
		Platform:    a.Platform,
		Kind:        a.Kind,
		Handle:      a.Handle,
		DisplayName: a.DisplayName,
		Bio:         a.Bio,
		Email:       a.Email,
		Project:     a.Project,
	}
}

// Finding is one point where an account departs from the policy, or, for
// personal accounts, a piece of the policy's advice.
type Finding struct {
	Rule       string `json:"rule"`
	Clause     string `json:"clause"`
	Severity   string `json:"severity"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
}

// CheckAccount runs every account rule of the pack that applies to the
// account's kind, in the pack's order.
func CheckAccount(p *policy.Pack, a AccountInput) []Finding {
	return CheckAccountWith(p, a, nil)
}

// CheckAccountWith is CheckAccount with a staff directory, so that a
// mailbox named after a person (4.4(d)) is recognized even when it does not
// look like first.last@. dir may be nil.
func CheckAccountWith(p *policy.Pack, a AccountInput, dir *Directory) []Finding {
	c := &checkContext{pack: p, in: a, dir: dir}
	findings := []Finding{}
	for _, r := range p.AccountRules {
		if !appliesTo(r.Kinds, a.Kind) {
			continue
		}
		check, ok := accountChecks[r.Check]
		if !ok || !check(c, r.Params) {
			continue
		}
		findings = append(findings, Finding{
			Rule:       r.ID,
			Clause:     r.Clause,
			Severity:   r.Severity,
			Message:    c.expand(r.Message.In(a.Lang)),
			Suggestion: c.expand(r.Suggestion.In(a.Lang)),
		})
	}
	return findings
}

// HasErrors reports whether any finding has error severity.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == model.SeverityError {
			return true
		}
	}
	return false
}

func appliesTo(kinds []string, kind string) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// checkContext is one account being checked against one pack.
type checkContext struct {
	pack *policy.Pack
	in   AccountInput
	dir  *Directory
}

// expand fills the placeholders a pack message may use.
func (c *checkContext) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	project := ""
	if c.in.Project != nil {
		project = c.in.Project.Name
	}
	var missing, plan string
	if c.in.Strategy != nil {
		names := c.in.Strategy.missing()
		for i, f := range names {
			names[i] = i18n.T(c.in.Lang, strategyLabels[f])
		}
		missing = strings.Join(names, ", ")
		plan = i18n.Decimal(c.in.Lang, c.in.Strategy.PostsPerWeek)
	}
	return strings.NewReplacer(
		"{missing}", missing,
		"{plan}", plan,
		"{min}", i18n.Decimal(c.in.Lang, c.pack.Parameters.MinPostsPerWeek),
		"{org}", c.pack.Organization.Name,
		"{project}", project,
		"{email}", c.in.Email,
		"{handle}", c.in.Handle,
		"{domains}", strings.Join(c.pack.Organization.Domains, ", "),
	).Replace(s)
}

// orgNames is every form of the organization's name the pack knows.
func (c *checkContext) orgNames() []string {
	o := c.pack.Organization
	names := append([]string{o.Name, o.FullName}, o.Names...)
	out := names[:0]
	for _, n := range names {
		if strings.TrimSpace(n) != "" {
			out = append(out, n)
		}
	}
	return out
}
