package familydata

import (
	"slices"
	"testing"

	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/model"
)

func TestExamples(t *testing.T) {
	acc := func(kind string) model.DraftAccount { return model.DraftAccount{Kind: kind} }
	items := []corpus.Item{
		{ID: "x9sides-001-en", Family: "sides", Account: acc(model.KindPersonal), Text: "The opposition is right."},
		{ID: "x9clean-002-en", Family: corpus.Clean, Account: acc(model.KindCountryOffice), Text: "We opened a school. The ministry attended."},
		{ID: "x9cont-003-en", Family: "contempt", Account: acc(model.KindCountryOffice), Text: "Typical of them."},
		{ID: "x9clean-004-en", Family: corpus.Clean, Account: acc(model.KindPersonal), Text: "One sentence only."},
	}
	general := []classify.Example{{Text: "a film about a town"}}

	s := Examples(items, "sides", nil, general)
	var texts []string
	for _, e := range s.Examples {
		texts = append(texts, e.Text)
	}
	// The drafts, the general negatives, the clean posts' sentences, then
	// (sides counts clean posts 3 times) two more copies of each clean post.
	want := []string{items[0].Text, items[1].Text, items[2].Text, items[3].Text, general[0].Text,
		"We opened a school.", "The ministry attended.", items[1].Text, items[3].Text, items[1].Text, items[3].Text}
	if !slices.Equal(texts, want) {
		t.Fatalf("examples %q, want %q", texts, want)
	}
	if !s.Examples[0].Label || slices.ContainsFunc(s.Examples[1:], func(e classify.Example) bool { return e.Label }) {
		t.Error("only the sides draft should be positive")
	}
	if s.Weights[2] != OtherWeight || s.Weights[0] != 1 || s.Weights[1] != 1 || s.Weights[5] != 1 {
		t.Errorf("weights %v", s.Weights)
	}
	if g := s.Groups; g[5] != g[1] || g[6] != g[1] || g[7] != g[1] || g[4] != "" || g[0] == g[1] {
		t.Errorf("groups %q: a post's sentences and copies share its fold", g)
	}
	if len(s.Groups) != len(s.Examples) || len(s.Weights) != len(s.Examples) || !slices.Equal(s.Index, []int{0, 1, 2, 3}) {
		t.Errorf("lengths %d %d %d, index %v", len(s.Examples), len(s.Groups), len(s.Weights), s.Index)
	}

	s = Examples(items, Problem, nil, nil)
	for i, want := range []bool{true, false, true, false, false, false} { // two families, two clean posts, two sentences
		if s.Examples[i].Label != want || s.Weights[i] != 1 {
			t.Errorf("problem: example %d (%q) label %v weight %v, want %v weight 1", i, s.Examples[i].Text, s.Examples[i].Label, s.Weights[i], want)
		}
	}
	if len(s.Examples) != 6 {
		t.Errorf("problem: %d examples, want 6 (each clean post once)", len(s.Examples))
	}

	s = Examples(items, "opinion", []string{model.KindCountryOffice}, nil)
	if !slices.Equal(s.Index, []int{1, 2}) || len(s.Examples) != 4 { // two drafts, two sentences
		t.Errorf("kinds: index %v, %d examples", s.Index, len(s.Examples))
	}
}
