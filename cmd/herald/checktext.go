package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/model"
)

// useColour reports whether stdout is a terminal and NO_COLOR is unset.
func useColour(env Env) bool {
	if env.Getenv != nil && env.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := env.Stdout.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

var severityColour = map[string]string{"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "advice": "\x1b[1;36m"}

// writeReport prints a report for people: each finding with the line of
// the post it is on, the span underlined, its clause, message and
// suggestion.
func writeReport(out io.Writer, c *check.Checker, d model.Draft, rep model.Report, colour bool) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	paint := func(code, s string) string {
		if !colour || code == "" {
			return s
		}
		return code + s + "\x1b[0m"
	}
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	summary := "no findings"
	if n := len(rep.Findings); n > 0 {
		var parts []string
		for _, s := range []string{"error", "warning", "advice"} {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			}
		}
		summary = fmt.Sprintf("%d finding%s (%s)", n, plural(n), strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "%s — pack %s %s", summary, rep.Pack.ID, rep.Pack.Version)
	if rep.Platform.Name != "" {
		fmt.Fprintf(w, " — %s %d/%d", rep.Platform.Name, rep.Platform.Length, rep.Platform.Limit)
	} else {
		fmt.Fprintf(w, " — %d characters", rep.Platform.Length)
	}
	fmt.Fprintln(w)
	for _, f := range rep.Findings {
		fmt.Fprintln(w)
		switch {
		case f.Image != nil:
			name := ""
			if *f.Image < len(d.Images) {
				name = d.Images[*f.Image]
			}
			fmt.Fprintf(w, "  image %d: %s\n", *f.Image+1, name)
		case f.End > f.Start:
			writeSpan(w, d.Text, f.Start, f.End, paint(severityColour[f.Severity], ""))
		case f.Excerpt != "":
			fmt.Fprintf(w, "  in the message replied to: %q\n", f.Excerpt)
		}
		clause := f.Clause
		if cl := c.Pack().Clause(f.Clause); cl != nil {
			clause += " " + cl.Title.In(rep.Lang) // the language the messages are in
		}
		fmt.Fprintf(w, "  %s  %s  %s\n", paint(severityColour[f.Severity], f.Severity), f.Rule, clause)
		fmt.Fprintf(w, "    %s\n", f.Message)
		if v := f.Classifier; v != nil {
			fmt.Fprintf(w, "    model %s: %.2f (%s)\n", v.Model, v.Score, strings.Join(v.Words, ", "))
		}
		if f.Suggestion != "" {
			fmt.Fprintf(w, "    → %s\n", f.Suggestion)
		}
	}
}

// writeSpan prints the line of text holding [start, end) with the span
// underlined by carets (to the end of that line if the span goes on).
func writeSpan(w io.Writer, text string, start, end int, colour string) {
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	lineEnd := len(text)
	if i := strings.IndexByte(text[start:], '\n'); i >= 0 {
		lineEnd = start + i
	}
	lineNo := strings.Count(text[:lineStart], "\n") + 1
	line := text[lineStart:lineEnd]
	const maxShown = 120
	pre := text[lineStart:start]
	if utf8.RuneCountInString(pre) > maxShown/2 {
		// Keep the start of the span in view on a long line.
		cut := len(pre)
		for n := 0; n < maxShown/2 && cut > 0; n++ {
			_, size := utf8.DecodeLastRuneInString(pre[:cut])
			cut -= size
		}
		pre = "…" + pre[cut:]
		line = "…" + text[lineStart+cut:lineEnd]
	}
	line = printable(line)
	under := min(end, lineEnd) - start
	fmt.Fprintf(w, "  %4d | %s\n", lineNo, line)
	reset := ""
	if colour != "" {
		reset = "\x1b[0m"
	}
	fmt.Fprintf(w, "       | %s%s%s%s\n", strings.Repeat(" ", utf8.RuneCountInString(printable(pre))),
		colour, strings.Repeat("^", max(1, utf8.RuneCountInString(printable(text[start:start+under])))), reset)
}

// printable replaces control characters and invalid bytes so that a post
// cannot move the cursor or change colours on the reader's terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '·'
		}
		return r
	}, s)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
