package check

import (
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// ExampleFailure is a rule example that misbehaved: a fire example on
// which the rule found nothing, or a pass example on which it fired.
type ExampleFailure struct {
	Rule    string
	Fire    bool // true for a fire example
	Example policy.Example
	Got     []model.Finding // the rule's findings on the example
}

func (f ExampleFailure) String() string {
	if f.Fire {
		return fmt.Sprintf("rule %s: should fire on %q but found nothing", f.Rule, f.Example.Text)
	}
	var ex []string
	for _, g := range f.Got {
		ex = append(ex, fmt.Sprintf("%q", g.Excerpt))
	}
	return fmt.Sprintf("rule %s: should pass %q but found %s", f.Rule, f.Example.Text, strings.Join(ex, ", "))
}

// RunExamples checks every example of every enabled rule and returns those
// that misbehave, and the number of examples run. An example that names no
// account kind or platform takes the first the rule applies to.
func (c *Checker) RunExamples() (failures []ExampleFailure, run int) {
	for i := range c.rules {
		r := &c.rules[i]
		for _, fire := range []bool{true, false} {
			examples := r.Examples.Pass
			if fire {
				examples = r.Examples.Fire
			}
			for _, ex := range examples {
				run++
				got := c.ruleFindings(r, ex)
				if fire != (len(got) > 0) {
					failures = append(failures, ExampleFailure{Rule: r.ID, Fire: fire, Example: ex, Got: got})
				}
			}
		}
	}
	return failures, run
}

// ruleFindings are r's findings on ex, with those a report leaves out as
// echoes of another rule's (dropEchoes): an example says what the rule
// finds, whatever else finds it too.
func (c *Checker) ruleFindings(r *rule, ex policy.Example) []model.Finding {
	var out []model.Finding
	tr := &trace{rule: -1, parts: map[[3]int][]Part{}, echoes: true}
	for _, f := range c.check(exampleDraft(r, ex), tr).Findings {
		if f.Rule == r.ID {
			out = append(out, f)
		}
	}
	return out
}

// exampleDraft is the draft an example of r stands for.
func exampleDraft(r *rule, ex policy.Example) model.Draft {
	d := model.Draft{Text: ex.Text, Lang: ex.Lang, Platform: ex.Platform, ReplyTo: ex.ReplyTo}
	d.Account.Kind = ex.Kind
	if d.Account.Kind == "" && len(r.Applies.Kinds) > 0 {
		d.Account.Kind = r.Applies.Kinds[0]
	}
	if d.Platform == "" && len(r.Applies.Platforms) > 0 {
		d.Platform = r.Applies.Platforms[0]
	}
	if ex.Project != "" || len(ex.Keywords) > 0 {
		d.Account.Project = &model.Project{Name: ex.Project, Keywords: ex.Keywords}
	}
	return d
}
