// Package worddiff compares two texts word by word, for showing what
// changed between two versions of a draft.
package worddiff

import "unicode"

// Kind says what a Span is.
type Kind int

const (
	Equal  Kind = iota // in both texts
	Delete             // only in the old text
	Insert             // only in the new text
)

// Span is a run of text of one Kind.
type Span struct {
	Kind Kind
	Text string
}

// maxCells bounds the comparison table of the changed middle (after the
// common start and end are set aside): past it, the middle is shown as
// deleted then inserted whole rather than spending memory on a finer diff.
const maxCells = 1 << 21

// Diff returns the spans that turn old into new: the Equal and Delete
// spans joined give old, the Equal and Insert spans joined give new.
// Words and the spaces between them are the units compared.
func Diff(old, new string) []Span {
	a, b := split(old), split(new)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out []Span
	add := func(k Kind, tok string) {
		if n := len(out); n > 0 && out[n-1].Kind == k {
			out[n-1].Text += tok
			return
		}
		out = append(out, Span{Kind: k, Text: tok})
	}
	for _, t := range a[:pre] {
		add(Equal, t)
	}
	middle(a[pre:len(a)-suf], b[pre:len(b)-suf], add)
	for _, t := range a[len(a)-suf:] {
		add(Equal, t)
	}
	return out
}

// middle adds the spans of a longest common subsequence of a and b.
func middle(a, b []string, add func(Kind, string)) {
	n, m := len(a), len(b)
	if n*m > maxCells || n == 0 || m == 0 {
		for _, t := range a {
			add(Delete, t)
		}
		for _, t := range b {
			add(Insert, t)
		}
		return
	}
	// lcs[i][j] is the length of a longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			add(Equal, a[i])
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			add(Delete, a[i])
			i++
		default:
			add(Insert, b[j])
			j++
		}
	}
	for ; i < n; i++ {
		add(Delete, a[i])
	}
	for ; j < m; j++ {
		add(Insert, b[j])
	}
}

// split cuts s into runs of spaces and runs of anything else.
func split(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if i > start && unicode.IsSpace(r) != isSpaceAt(s, start) {
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func isSpaceAt(s string, i int) bool {
	for _, r := range s[i:] {
		return unicode.IsSpace(r)
	}
	return false
}

// Changed reports whether the spans hold any change.
func Changed(spans []Span) bool {
	for _, s := range spans {
		if s.Kind != Equal {
			return true
		}
	}
	return false
}
