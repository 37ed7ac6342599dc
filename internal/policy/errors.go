package policy

import (
	"fmt"
	"sort"
	"strings"
)

// pos is a place in a pack file.
type pos struct {
	file string
	line int
}

func (p pos) String() string {
	if p.line <= 0 {
		return p.file
	}
	return fmt.Sprintf("%s:%d", p.file, p.line)
}

// sources remembers where a pack's parts were written: rulePos and
// clausePos run parallel to Pack.Rules and Pack.Clauses.
type sources struct {
	file       string
	rulePos    []pos
	clausePos  []pos
	conceptPos []pos
	healthPos  pos // first line of parameters.health
}

// RulePos returns "file:line" where the rule with this id was written, or
// the pack's file name when unknown. The checker uses it in its errors.
func (p *Pack) RulePos(id string) string {
	for i, r := range p.Rules {
		if r.ID == id && i < len(p.src.rulePos) {
			return p.src.rulePos[i].String()
		}
	}
	return p.src.file
}

// problem is one error in a pack.
type problem struct {
	at   pos
	rule string
	msg  string
}

// problems collects a pack's errors so that an author sees all of them at
// once, each as "file:line: rule ID: message".
type problems []problem

// maxProblems bounds the report for a hopelessly broken file.
const maxProblems = 50

func (ps *problems) add(at pos, rule, format string, a ...any) {
	*ps = append(*ps, problem{at: at, rule: rule, msg: fmt.Sprintf(format, a...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].at.file != ps[j].at.file {
			return ps[i].at.file < ps[j].at.file
		}
		return ps[i].at.line < ps[j].at.line
	})
	var b strings.Builder
	for i, p := range ps {
		if i == maxProblems {
			fmt.Fprintf(&b, "\n... and %d more", len(ps)-maxProblems)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.at.String())
		b.WriteString(": ")
		if p.rule != "" {
			fmt.Fprintf(&b, "rule %s: ", p.rule)
		}
		b.WriteString(p.msg)
	}
	return &PackError{Problems: len(ps), text: b.String()}
}

// PackError is an invalid pack or overlay; its text lists every problem
// found, one per line.
type PackError struct {
	Problems int
	text     string
}

func (e *PackError) Error() string { return e.text }
