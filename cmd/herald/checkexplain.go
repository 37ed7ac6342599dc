package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/model"
)

// writeExplanation prints a report, then for each finding what made it
// and, for the rule asked about, how its frames saw each sentence.
func writeExplanation(out io.Writer, c *check.Checker, d model.Draft, ex check.Explanation) {
	writeReport(out, c, d, ex.Report, false)
	w := bufio.NewWriter(out)
	defer w.Flush()
	if len(ex.Findings) > 0 {
		fmt.Fprintln(w, "\nWhy each finding:")
	}
	for i, f := range ex.Findings {
		fmt.Fprintf(w, "  %d. %s %q\n", i+1, f.Rule, printable(f.Excerpt))
		if len(f.Parts) == 0 {
			fmt.Fprintf(w, "     found by the rule's %s\n", describeDetection(c, f.Rule))
			continue
		}
		for _, p := range f.Parts {
			fmt.Fprintf(w, "     %-16s %q at %d-%d\n", p.Concept, printable(p.Text), p.Start, p.End)
		}
	}
	if ex.Rule == "" {
		return
	}
	fmt.Fprintf(w, "\nRule %s:\n", ex.Rule)
	for _, why := range ex.Why {
		fmt.Fprintf(w, "  %s\n", why)
	}
	for _, d := range ex.Dropped {
		fmt.Fprintf(w, "  %s\n", printable(d.String()))
	}
	if len(ex.Why) == 0 && len(ex.Units) == 0 {
		fmt.Fprintln(w, "  no sentence holds any concept of its frames")
	}
	for _, u := range ex.Units {
		for i, line := range strings.Split(strings.TrimSuffix(u.String(), "\n"), "\n") {
			if i == 0 {
				fmt.Fprintf(w, "  frame %d, %s\n", u.Frame+1, printable(line))
				continue
			}
			fmt.Fprintf(w, "  %s\n", printable(line))
		}
	}
}

// describeDetection names how a rule without frames finds what it finds.
func describeDetection(c *check.Checker, id string) string {
	for _, r := range c.Pack().Rules {
		if r.ID == id {
			return method(r)
		}
	}
	return "detection"
}
