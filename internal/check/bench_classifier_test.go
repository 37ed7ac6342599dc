package check

import (
	"slices"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// BenchmarkCheckModels checks the same drafts with the default pack and
// with its rules' classifiers removed (word lists only), one core: the
// difference is what the trained models cost per check.
func BenchmarkCheckModels(b *testing.B) {
	p := benchPack(b)
	lists := *p
	lists.Rules = slices.Clone(p.Rules)
	for i := range lists.Rules {
		lists.Rules[i].Detect.Classifier = nil
	}
	var drafts []model.Draft
	for _, s := range benchPosts {
		drafts = append(drafts, model.Draft{Text: s, Platform: "x", Account: model.DraftAccount{Kind: "country-office"}})
	}
	drafts = append(drafts,
		model.Draft{Text: benchPosts[0], Platform: "x", Account: model.DraftAccount{Kind: "project"}},
		model.Draft{Text: "Thank you for your message, the school opens in May.", ReplyTo: "You people are useless, shut up and do your job",
			Account: model.DraftAccount{Kind: "corporate"}})
	for _, v := range []struct {
		name string
		c    func() (*Checker, error)
	}{
		{"lists", func() (*Checker, error) { return Compile(&lists, Options{}) }},
		{"lists+models", func() (*Checker, error) { return Compile(p, Options{}) }},
	} {
		c, err := v.c()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c.Check(drafts[i%len(drafts)])
			}
		})
	}
}
