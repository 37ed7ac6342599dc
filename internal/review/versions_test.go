package review_test

import (
	"errors"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/review"
)

// An edit that changes the text clears the ticks given for the old text,
// unless they are given again with it; an edit that keeps the text keeps
// them. Every version's text is kept for the diff.
func TestTicksResetAndVersions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		v := f.create(t, f.acc, clean)
		id := v.Draft.ID
		if len(v.Draft.Checklist) == 0 {
			t.Fatal("the created draft has no ticks to reset")
		}
		v = must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 1, review.DraftInput{Text: clean + " At noon.", Checklist: f.ticks()}))
		if len(v.Draft.Checklist) != 0 {
			t.Fatalf("the text changed but the ticks stayed: %v", v.Draft.Checklist)
		}
		if _, err := f.svc.Submit(ctx, actor(f.author), f.author, id); !errors.Is(err, review.ErrChecklist) {
			t.Fatalf("submitting without ticks for the new text: %v", err)
		}
		v = must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 2, review.DraftInput{Text: clean + " At noon.", Checklist: f.ticks()}))
		if len(v.Draft.Checklist) != len(f.ticks()) {
			t.Fatalf("ticking again on the same text: %v", v.Draft.Checklist)
		}
		v = must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 3, review.DraftInput{Text: clean + " At one.", Checklist: f.ticks(), Reticked: true}))
		if len(v.Draft.Checklist) != len(f.ticks()) {
			t.Fatalf("ticks given with the new text were dropped: %v", v.Draft.Checklist)
		}
		vs, err := f.svc.Versions(ctx, f.author, id)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{clean, clean + " At noon.", clean + " At noon.", clean + " At one."}
		if len(vs) != len(want) {
			t.Fatalf("versions: %+v", vs)
		}
		for i, w := range want {
			if vs[i].Version != i+1 || vs[i].Text != w {
				t.Errorf("version %d: %+v, want %q", i+1, vs[i], w)
			}
		}
		if _, err := f.svc.Versions(ctx, f.staff, id); !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Forbidden) {
			t.Errorf("an outsider reads the versions: %v", err)
		}
	})
}
