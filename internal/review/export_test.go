package review_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

func TestExportDecisions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		proj := &model.Account{Platform: "mastodon", Handle: "bridges@example.org", ProfileURL: "https://example.org/@bridges",
			Kind: model.KindProject, Office: "South Sudan", Managers: []string{f.author.Email}, Status: model.StatusActive,
			Project: &model.Project{Name: "Juba Bridges", Keywords: []string{"bridge"}}}
		if err := f.st.CreateAccount(f.ctx, model.SystemActor("test"), proj); err != nil {
			t.Fatal(err)
		}
		decide := func(acc *model.Account, text, decision, comment string) *review.DraftView {
			t.Helper()
			v := f.create(t, acc, text)
			if _, err := f.svc.Submit(f.ctx, actor(f.author), f.author, v.Draft.ID); err != nil {
				t.Fatal(err)
			}
			who := f.lead
			if acc.Kind == model.KindCorporate {
				who = f.reviewer
			}
			v, err := f.svc.Decide(f.ctx, actor(who), who, v.Draft.ID, review.Decision{Decision: decision, Comment: comment})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		decide(proj, "The bridge is simply the most wonderful thing, ask @amina_k!", "request-changes", "Per 4.4(B), facts only please.")
		decide(proj, "The Juba bridge opened on 3 March and carries 40,000 people a day.", "approve", "")
		decide(proj, "We love this bridge.", "request-changes", "Shorter, please.") // not citing the clause: neither
		edited := decide(proj, "Our bridge is the best in the region.", "request-changes", "4.4(b): no judgments")
		if _, err := f.svc.Edit(f.ctx, actor(f.author), f.author, edited.Draft.ID, edited.Draft.Version,
			review.DraftInput{Text: "The bridge is 120 m long.", Checklist: f.ticks(), Reticked: true}); err != nil {
			t.Fatal(err)
		}
		decide(f.corp, "What a wonderful day for all of us.", "request-changes", "4.4(b)") // not a project account

		ex, stats, err := review.ExportDecisions(f.ctx, f.st, "4.4(b)", []string{model.KindProject}, f.svc.Checker.MaskPersonal)
		if err != nil {
			t.Fatal(err)
		}
		want := []classify.Example{
			{Text: "The bridge is simply the most wonderful thing, ask @user!", Label: true},
			{Text: "The Juba bridge opened on 3 March and carries 40,000 people a day.", Label: false},
		}
		if !reflect.DeepEqual(ex, want) {
			t.Errorf("examples %+v, want %+v", ex, want)
		}
		if stats != (review.ExportStats{Positives: 1, Negatives: 1, Edited: 1}) {
			t.Errorf("stats %+v", stats)
		}
		// Every kind: the corporate draft counts too.
		ex, _, err = review.ExportDecisions(f.ctx, f.st, "4.4(b)", nil, strings.TrimSpace)
		if err != nil || len(ex) != 3 {
			t.Errorf("all kinds: %d examples, %v", len(ex), err)
		}
	})
}
