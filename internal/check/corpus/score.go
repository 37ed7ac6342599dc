package corpus

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/herald-gov/herald/internal/model"
)

// Cell counts one family in one language (or in all, Lang ""): how many
// drafts, how many the checker got right, and the ids of the others.
type Cell struct {
	N, Hits int
	Misses  []*Item
}

// Rate is Hits/N: recall for a clause family, the clean rate for Clean.
// An empty cell has rate 0 and ok false.
func (c Cell) Rate() (rate float64, ok bool) {
	if c.N == 0 {
		return 0, false
	}
	return float64(c.Hits) / float64(c.N), true
}

// Score is a checker's result on a set of drafts.
type Score struct {
	cells map[[2]string]*Cell // {family, lang}; lang "" is all languages
}

// Measure checks every item and counts it in its family × language cell,
// in its family's all-languages cell and, for positives, in the "positives"
// row of every family together.
func Measure(items []Item, check func(model.Draft) model.Report) Score {
	s := Score{cells: map[[2]string]*Cell{}}
	add := func(family, lang string, it *Item, hit bool) {
		k := [2]string{family, lang}
		c := s.cells[k]
		if c == nil {
			c = &Cell{}
			s.cells[k] = c
		}
		c.N++
		if hit {
			c.Hits++
		} else {
			c.Misses = append(c.Misses, it)
		}
	}
	for i := range items {
		it := &items[i]
		rep := check(it.Draft())
		hit, other := it.Found(rep), it.OtherClause(rep)
		for _, lang := range []string{it.Lang, ""} {
			add(it.Family, lang, it, hit)
			if it.Family != Clean {
				add(Positives, lang, it, hit)
				add(OtherClauses, lang, it, other)
			}
		}
	}
	return s
}

// Positives names the row that pools every clause family.
const Positives = "positives"

// OtherClauses names the row of the positives that also get a warning or
// an error of a clause that is not theirs: a finding citing the wrong
// paragraph, or a second problem the draft was not written to have. Its
// rate is a share to keep low.
const OtherClauses = "other clauses"

// Cell is the count of one family in one language; lang "" is all of them.
func (s Score) Cell(family, lang string) Cell {
	if c := s.cells[[2]string{family, lang}]; c != nil {
		return *c
	}
	return Cell{}
}

// rows are the table's rows: each family, then the pooled positives.
func rows() []Family {
	return append(Families[:len(Families):len(Families)], Family{Name: Positives, Shown: "any"}, Family{Name: OtherClauses, Shown: "not theirs"})
}

func (c Cell) String() string {
	r, ok := c.Rate()
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.3f (%d/%d)", r, c.Hits, c.N)
}

// Write prints the table: one row per family, one column per language and
// one for all, as text aligned in columns or as a Markdown table.
func (s Score) Write(w io.Writer, markdown bool) error {
	head := []string{"family", "clause", "measure"}
	for _, l := range Langs {
		head = append(head, l)
	}
	head = append(head, "all")
	var lines [][]string
	for _, f := range rows() {
		what := "recall"
		switch f.Name {
		case Clean:
			what = "clean rate"
		case OtherClauses:
			what = "positives flagged"
		}
		line := []string{f.Name, f.Shown, what}
		for _, l := range append(Langs[:len(Langs):len(Langs)], "") {
			line = append(line, s.Cell(f.Name, l).String())
		}
		lines = append(lines, line)
	}
	if markdown {
		fmt.Fprintf(w, "| %s |\n", strings.Join(head, " | "))
		fmt.Fprintf(w, "|---|---|---|%s\n", strings.Repeat("---:|", len(head)-3))
		for _, l := range lines {
			fmt.Fprintf(w, "| %s |\n", strings.Join(l, " | "))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, l := range lines {
		fmt.Fprintln(tw, strings.Join(l, "\t")+"\t")
	}
	return tw.Flush()
}
