package registry

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/policy"
)

// checkFunc reports whether an account rule fires on the account.
type checkFunc func(c *checkContext, params map[string]any) bool

// accountChecks are the checks an AccountRule may name in its `check` field.
var accountChecks = map[string]checkFunc{
	// 4.3, 4.4(a): institutional branding.
	"display-name-org":     checkDisplayNameOrg,
	"display-name-project": checkDisplayNameProject,
	"avatar-emblem": func(c *checkContext, _ map[string]any) bool {
		return c.in.AvatarEmblem != nil && !*c.in.AvatarEmblem && len(c.pack.Organization.Emblems) > 0
	},
	"project-branded": func(c *checkContext, _ map[string]any) bool {
		return !containsAnyName(c.in.DisplayName, c.orgNames()) && !containsAnyName(c.in.Bio, c.orgNames())
	},
	// 4.4: what a project account must declare; 4.6: the date it should close.
	"project-name":     func(c *checkContext, _ map[string]any) bool { return c.projectName() == "" },
	"project-end-date": checkProjectEndDate,
	// 4.4(d): the shared team mailbox.
	"email-missing":  func(c *checkContext, _ map[string]any) bool { return strings.TrimSpace(c.in.Email) == "" },
	"email-domain":   checkEmailDomain,
	"email-webmail":  checkEmailWebmail,
	"email-personal": checkEmailPersonal,
	// 4.2, 4.6: what a request must declare, and a plan that keeps it alive.
	"strategy-fields": func(c *checkContext, _ map[string]any) bool {
		return c.in.Strategy != nil && len(c.in.Strategy.missing()) > 0
	},
	"posting-plan": func(c *checkContext, _ map[string]any) bool {
		s := c.in.Strategy
		return s != nil && s.PostsPerWeek > 0 && s.PostsPerWeek < c.pack.Parameters.MinPostsPerWeek
	},
	// 5.2 and 3.4(l): personal accounts.
	"username-org":       checkUsernameOrg,
	"bio-job-role":       checkBioJobRole,
	"disclaimer-missing": func(c *checkContext, p map[string]any) bool { return c.in.WorkUse && !hasTerm(c.in.Bio, p) },
	"disclaimer-present": func(c *checkContext, p map[string]any) bool { return hasTerm(c.in.Bio, p) },
	"reminder":           func(c *checkContext, _ map[string]any) bool { return true },
	"work-use-reminder":  func(c *checkContext, _ map[string]any) bool { return c.in.WorkUse },
	"pseudonymous":       checkPseudonymous,
}

// CheckNames lists the checks account rules may name, sorted.
func CheckNames() []string {
	names := make([]string, 0, len(accountChecks))
	for n := range accountChecks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ValidateAccountRules refuses account rules that name an unknown check,
// lack an id or carry an unknown severity, so a pack is refused when loaded
// rather than silently skipping a rule.
func ValidateAccountRules(rules []policy.AccountRule) error {
	seen := map[string]bool{}
	for i, r := range rules {
		switch {
		case r.ID == "":
			return fmt.Errorf("account rule %d: no id", i+1)
		case seen[r.ID]:
			return fmt.Errorf("account rule %s: duplicate id", r.ID)
		case accountChecks[r.Check] == nil:
			return fmt.Errorf("account rule %s: unknown check %q (known: %s)", r.ID, r.Check, strings.Join(CheckNames(), ", "))
		case r.Severity != "error" && r.Severity != "warning" && r.Severity != "advice":
			return fmt.Errorf("account rule %s: severity %q is not error, warning or advice", r.ID, r.Severity)
		case r.Message["en"] == "":
			return fmt.Errorf("account rule %s: no English message", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

func (c *checkContext) projectName() string {
	if c.in.Project == nil {
		return ""
	}
	return strings.TrimSpace(c.in.Project.Name)
}

func checkDisplayNameOrg(c *checkContext, _ map[string]any) bool {
	return !containsAnyName(c.in.DisplayName, c.orgNames())
}

// checkDisplayNameProject fires when a project account's display name does
// not show its project. A missing project name is the project-name check's
// business, so this one stays quiet then.
//
// Params: generic_words (words a display name may leave out of the project
// name, such as "programme"), abbreviations (project name → accepted short
// forms).
func checkDisplayNameProject(c *checkContext, p map[string]any) bool {
	name := c.projectName()
	if name == "" {
		return false
	}
	generic := map[string]bool{}
	for _, w := range stringList(p, "generic_words") {
		for _, f := range words(w) {
			generic[f] = true
		}
	}
	var abbr []string
	if m, ok := p["abbreviations"].(map[string]any); ok {
		for k, v := range m {
			if compact(k) == compact(name) {
				abbr = append(abbr, anyStrings(v)...)
			}
		}
	}
	return !containsProject(c.in.DisplayName, name, generic, abbr)
}

// checkUsernameOrg fires when a personal username carries the organization's
// name anywhere (5.2(a)): usernames glue words and digits together
// ("jdoe_unops1", "unopsmaria"), so a substring is enough.
func checkUsernameOrg(c *checkContext, _ map[string]any) bool {
	h := compact(c.in.Handle)
	for _, n := range c.orgNames() {
		if cn := compact(n); len(cn) >= 4 && strings.Contains(h, cn) || containsName(c.in.Handle, n) {
			return true
		}
	}
	return false
}

func checkProjectEndDate(c *checkContext, _ map[string]any) bool {
	if c.in.Project == nil {
		return true
	}
	_, err := time.Parse(time.DateOnly, strings.TrimSpace(c.in.Project.EndDate))
	return err != nil
}

// checkBioJobRole fires when a personal account used for work does not
// describe the holder's job role in its bio (5.2(b)). Params: terms per
// language, the words that name a role.
func checkBioJobRole(c *checkContext, p map[string]any) bool {
	return c.in.WorkUse && !hasTerm(c.in.Bio, p)
}

// checkPseudonymous fires when a personal account used for work shows no
// recognizable name (3.4(l)): no display name, a single word, digits, or a
// term from params (anonymous, insider, ...).
func checkPseudonymous(c *checkContext, p map[string]any) bool {
	if !c.in.WorkUse {
		return false
	}
	if hasTerm(c.in.DisplayName, p) {
		return true
	}
	ws := words(c.in.DisplayName)
	letters, long := 0, false
	for _, w := range ws {
		for _, r := range w {
			if r >= '0' && r <= '9' {
				return true
			}
		}
		letters++
		if len([]rune(w)) >= 2 {
			long = true
		}
	}
	return letters < 2 || !long
}

// hasTerm reports whether text carries one of the params' terms, given per
// language under "terms" and matched as whole words after folding.
func hasTerm(text string, p map[string]any) bool {
	tw := words(text)
	terms, _ := p["terms"].(map[string]any)
	for _, list := range terms {
		for _, t := range anyStrings(list) {
			if tt := words(t); len(tt) > 0 && hasSequence(tw, tt) {
				return true
			}
		}
	}
	return false
}

// stringList reads a list of strings from params; YAML gives []any.
func stringList(p map[string]any, key string) []string {
	return anyStrings(p[key])
}

func anyStrings(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		return []string{v}
	}
	return nil
}
