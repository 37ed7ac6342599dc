package review_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
)

// setManagers replaces acc's managers in the store.
func (f *fixture) setManagers(t *testing.T, acc *model.Account, managers ...string) {
	t.Helper()
	acc.Managers = managers
	if err := f.st.UpdateAccount(f.ctx, actor(f.admin), acc, nil); err != nil {
		t.Fatal(err)
	}
}

// TestRemovedManagerKeepsReadOnly (issue 10, item 10): once removed from an
// account's managers, a draft's author still reads it but no longer edits,
// submits, changes images of or publishes it; the account's current
// managers publish it.
func TestRemovedManagerKeepsReadOnly(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		open := f.create(t, f.acc, clean).Draft.ID
		approved := f.create(t, f.corp, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, approved))
		must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, approved, review.Decision{Decision: "approve"}))

		f.setManagers(t, f.acc, f.lead.Email)
		f.setManagers(t, f.corp, f.other.Email)

		for _, id := range []int64{open, approved} {
			v, err := f.svc.Get(ctx, f.author, id)
			if err != nil {
				t.Fatalf("the author reads draft %d: %v", id, err)
			}
			if v.CanEdit || v.CanSubmit || v.CanPublish || v.CanMarkPublished {
				t.Errorf("draft %d offers the removed author edit %v, submit %v, publish %v, mark published %v",
					id, v.CanEdit, v.CanSubmit, v.CanPublish, v.CanMarkPublished)
			}
		}
		refused := func(what string, err error) {
			t.Helper()
			if !errs.Is(err, errs.Forbidden) || !strings.Contains(errs.Of(err).Message, "no longer manage") {
				t.Errorf("%s by the removed author: %v, want forbidden saying they no longer manage the account", what, err)
			}
		}
		_, err := f.svc.Edit(ctx, actor(f.author), f.author, open, 0, review.DraftInput{Text: clean + " Changed.", Checklist: f.ticks(), Reticked: true})
		refused("edit", err)
		_, err = f.svc.Submit(ctx, actor(f.author), f.author, open)
		refused("submit", err)
		_, err = f.svc.SetImagePeople(ctx, actor(f.author), f.author, open, "00000000000000000000000000000000", false, nil)
		refused("consent", err)
		err = f.svc.RemoveImage(ctx, actor(f.author), f.author, open, "00000000000000000000000000000000")
		refused("remove image", err)
		if _, err := f.svc.MarkPublished(ctx, actor(f.author), f.author, approved, "https://example.org/@hq/1"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("the removed author marks published: %v, want forbidden", err)
		}
		if v := must(t)(f.svc.Get(ctx, f.author, open)); v.Draft.Version != 1 || v.Draft.Status != model.DraftDraft {
			t.Errorf("the refused draft moved: version %d, %s", v.Draft.Version, v.Draft.Status)
		}

		// The account's new manager publishes what was approved.
		v, err := f.svc.MarkPublished(ctx, actor(f.other), f.other, approved, "https://example.org/@hq/1")
		if err != nil || v.Draft.Status != model.DraftPublished {
			t.Fatalf("the new manager marks published: %v", err)
		}

		// Made a manager again, the author edits again.
		f.setManagers(t, f.acc, f.lead.Email, strings.ToUpper(f.author.Email))
		if _, err := f.svc.Edit(ctx, actor(f.author), f.author, open, 0, review.DraftInput{Text: clean + " Changed.", Checklist: f.ticks(), Reticked: true}); err != nil {
			t.Errorf("the author, a manager again, edits: %v", err)
		}
	})
}

// TestDraftsOnlyForApprovedAccounts (issue 10, item 11): an account still
// a request, rejected or closed takes no draft, with a message saying why;
// active, at-risk and closure-proposed accounts do.
func TestDraftsOnlyForApprovedAccounts(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for i, status := range []string{model.StatusRequested, model.StatusInReview, model.StatusChangesRequested,
			model.StatusRejected, model.StatusClosed, model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed} {
			acc := &model.Account{Platform: "mastodon", Handle: fmt.Sprintf("s%d@example.org", i), Kind: model.KindCorporate,
				Office: "HQ", Managers: []string{f.author.Email}, Status: status}
			if err := f.st.CreateAccount(f.ctx, actor(f.admin), acc); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Create(f.ctx, actor(f.author), f.author, review.DraftInput{AccountID: acc.ID, Text: clean, Checklist: f.ticks()})
			switch status {
			case model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed:
				if err != nil {
					t.Errorf("draft for a %s account: %v", status, err)
				}
			default:
				msg := errs.Of(err).Message
				if !errs.Is(err, errs.Conflict) || !strings.Contains(msg, "only for approved accounts") || !strings.Contains(msg, status) {
					t.Errorf("draft for a %s account: %v (%s), want a conflict saying drafts need an approved account", status, err, errs.KindOf(err))
				}
			}
		}

		// A draft written while the account was active is not submitted
		// nor published once the account is closed.
		id := f.create(t, f.corp, clean).Draft.ID
		f.corp.Status = model.StatusClosed
		if err := f.st.TransitionAccount(f.ctx, actor(f.admin), store.AccountChange{Account: f.corp, From: model.StatusActive,
			Action: "account.close", Summary: "closed", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(f.ctx, actor(f.author), f.author, id); !errs.Is(err, errs.Conflict) {
			t.Errorf("submitting for a closed account: %v, want conflict", err)
		}
	})
}
