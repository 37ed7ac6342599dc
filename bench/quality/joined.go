package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// joined asks for joinedDrafts.
var joined bool

// joinedTrials is how many joined texts each row of -joined checks.
const joinedTrials = 600

// joinedDrafts prints how the checker reads long posts: texts made of k
// drafts of the corpus half, of one language and account kind, as
// paragraphs. Clean drafts joined are a clean text, so any warning there is
// a false alarm the length made; a positive joined with clean drafts is
// still a positive, found when its clause is. The texts are drawn with a
// fixed seed, so the figures repeat.
func joinedDrafts(w io.Writer, p *policy.Pack, dir, half string) error {
	items, c, err := corpusChecker(p, dir, half)
	if err != nil {
		return err
	}
	cleanOf := map[string][]corpus.Item{} // by language and account kind
	var clean, positives []corpus.Item
	for _, it := range items {
		if it.Family == corpus.Clean {
			k := it.Lang + "/" + it.Account.Kind
			cleanOf[k] = append(cleanOf[k], it)
			clean = append(clean, it)
		} else {
			positives = append(positives, it)
		}
	}
	// join checks a draft made of it and k-1 clean drafts of its kind,
	// it at place at.
	join := func(r *rand.Rand, it corpus.Item, k int) model.Report {
		pool := cleanOf[it.Lang+"/"+it.Account.Kind]
		at := r.IntN(k)
		parts := make([]string, k)
		for i := range parts {
			if i == at {
				parts[i] = it.Text
			} else {
				parts[i] = pool[r.IntN(len(pool))].Text
			}
		}
		d := it.Draft()
		d.Text, d.Platform = strings.Join(parts, "\n\n"), "facebook" // room for the longest
		return c.Check(d)
	}
	fmt.Fprintf(w, "\nJoined drafts of the %s half (%d texts per row, each of k drafts as paragraphs):\n\n", half, joinedTrials)
	fmt.Fprintf(w, "%3s  %-28s  %-28s  %s\n", "k", "clean texts with a warning", "of them by a model rule", "positives found")
	for _, k := range []int{1, 2, 4, 8, 16} {
		r := rand.New(rand.NewPCG(1, uint64(k)))
		flagged, byModel := 0, 0
		for range joinedTrials {
			rep := join(r, clean[r.IntN(len(clean))], k)
			any, mod := false, false
			for _, f := range rep.Findings {
				if f.Severity == model.SeverityError || f.Severity == model.SeverityWarning {
					any = true
					mod = mod || f.Classifier != nil && strings.HasPrefix(f.Classifier.Model, "corpus-")
				}
			}
			if any {
				flagged++
			}
			if mod {
				byModel++
			}
		}
		found := 0
		for range joinedTrials {
			it := positives[r.IntN(len(positives))]
			if it.Found(join(r, it, k)) {
				found++
			}
		}
		fmt.Fprintf(w, "%3d  %-28s  %-28s  %s\n", k,
			fmt.Sprintf("%.3f (%d)", float64(flagged)/joinedTrials, flagged),
			fmt.Sprintf("%.3f (%d)", float64(byModel)/joinedTrials, byModel),
			fmt.Sprintf("%.3f (%d)", float64(found)/joinedTrials, found))
	}
	return nil
}
