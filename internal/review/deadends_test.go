package review_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

// TestChecklistRefusalNamesItems: the refusal lists what the author must
// tick as the checklist says it, never its internal ids.
func TestChecklistRefusalNamesItems(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		v, err := f.svc.Create(f.ctx, actor(f.author), f.author, review.DraftInput{AccountID: f.acc.ID, Text: "Water points delivered."})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Submit(f.ctx, actor(f.author), f.author, v.Draft.ID)
		if !errors.Is(err, review.ErrChecklist) {
			t.Fatalf("submit without ticks: %v", err)
		}
		msg := errs.Of(err).Message
		items := f.svc.Checker.Pack().Checklist
		if len(items) == 0 {
			t.Fatal("the default pack has no checklist")
		}
		for _, c := range items {
			if !strings.Contains(msg, "“"+c.Text["en"]+"”") {
				t.Errorf("refusal %q does not name %q", msg, c.Text["en"])
			}
			if strings.Contains(msg, "tick "+c.ID+",") || strings.HasSuffix(msg, " "+c.ID) {
				t.Errorf("refusal %q shows the id %s", msg, c.ID)
			}
		}
	})
}

// TestProjectEndedWarns: a draft for a project account past its end date
// is allowed, with a warning citing 4.6.
func TestProjectEndedWarns(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		acc := model.Account{Kind: model.KindProject, Project: &model.Project{Name: "Clean Water", EndDate: "2025-02-01"}}
		w := f.svc.Warnings(acc) // the fixture's clock is 2025-03-01
		if len(w) != 1 || w[0].Clause != "4.6" || w[0].Key != "draft.project_ended" ||
			!strings.Contains(w[0].Message, `"Clean Water" ended on 2025-02-01`) {
			t.Fatalf("warnings %+v", w)
		}
		for _, a := range []model.Account{
			{Kind: model.KindProject, Project: &model.Project{Name: "Clean Water", EndDate: "2025-03-01"}}, // ends today
			{Kind: model.KindProject, Project: &model.Project{Name: "Clean Water"}},
			{Kind: model.KindCorporate},
		} {
			if w := f.svc.Warnings(a); len(w) != 0 {
				t.Errorf("%+v: warnings %+v", a.Project, w)
			}
		}
	})
}

// TestTextLimitInCharacters: the limit counts characters, not bytes, and
// the refusal says how many there are and how many are allowed.
func TestTextLimitInCharacters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := review.DraftInput{AccountID: f.corp.ID, Text: strings.Repeat("é", 65536), Checklist: f.ticks()}
		if _, err := f.svc.Create(f.ctx, actor(f.author), f.author, in); err != nil {
			t.Fatalf("65,536 characters (131,072 bytes): %v", err)
		}
		in.Text += "é"
		_, err := f.svc.Create(f.ctx, actor(f.author), f.author, in)
		if !errs.Is(err, errs.Invalid) || errs.Of(err).Message != "the text has 65537 characters; at most 65536 are allowed" {
			t.Fatalf("65,537 characters: %v", err)
		}
	})
}
