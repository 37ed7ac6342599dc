package review_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
)

const clean = "Our new school in Juba opens today."

func TestWholePath(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		v := f.create(t, f.acc, "Our new school opens today. Call +41 22 917 8000.")
		id := v.Draft.ID
		if v.Draft.Status != model.DraftDraft || v.Draft.Version != 1 || !v.Draft.Report.HasErrors() {
			t.Fatalf("created: %+v", v.Draft)
		}
		v = must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		if v.Draft.Status != model.DraftInReview || v.Draft.StepWho != model.ReviewerOfficeLead {
			t.Fatalf("submitted: %s step %d %s", v.Draft.Status, v.Draft.Step, v.Draft.StepWho)
		}
		// The reviewer is not the office lead: step 1 is not theirs.
		if _, err := f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("reviewer on lead step: %v", err)
		}
		// The author never decides.
		if _, err := f.svc.Decide(ctx, actor(f.author), f.author, id, review.Decision{Decision: "approve"}); !errors.Is(err, review.ErrSelfApproval) {
			t.Fatalf("self approval: %v", err)
		}
		q, n, err := f.svc.Queue(ctx, f.lead, review.QueueFilter{Clause: "3.4(g)"})
		if err != nil || n != 1 || q[0].Draft.ID != id || q[0].Errors != 1 {
			t.Fatalf("lead queue: %v %d %+v", err, n, q)
		}
		v = must(t)(f.svc.Decide(ctx, actor(f.lead), f.lead, id, review.Decision{Decision: "request-changes", Comment: "No phone numbers.", Version: 1}))
		if v.Draft.Status != model.DraftChangesRequested {
			t.Fatalf("after request-changes: %s", v.Draft.Status)
		}
		v = must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 1, review.DraftInput{Text: clean, Checklist: f.ticks(), Reticked: true}))
		if v.Draft.Version != 2 || v.Draft.Report.HasErrors() {
			t.Fatalf("edited: v%d %+v", v.Draft.Version, v.Draft.Report)
		}
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		// A decision on the version the lead saw before the edit is stale.
		if _, err := f.svc.Decide(ctx, actor(f.lead), f.lead, id, review.Decision{Decision: "approve", Version: 1}); !errors.Is(err, review.ErrStale) {
			t.Fatalf("stale approval: %v", err)
		}
		if _, err := f.svc.Publish(ctx, actor(f.author), f.author, id); !errors.Is(err, review.ErrNotApproved) {
			t.Fatalf("publish in review: %v", err)
		}
		v = must(t)(f.svc.Decide(ctx, actor(f.lead), f.lead, id, review.Decision{Decision: "approve", Version: 2, Comment: "fine"}))
		if v.Draft.Status != model.DraftApproved || v.ExpiresAt == nil || !v.CanPublish {
			t.Fatalf("approved: %+v can publish %v", v.Draft, v.CanPublish)
		}
		v = must(t)(f.svc.Publish(ctx, actor(f.author), f.author, id))
		if v.Draft.Status != model.DraftPublished || !strings.HasPrefix(v.Draft.PublishedURL, f.masto.URL) {
			t.Fatalf("published: %s %q", v.Draft.Status, v.Draft.PublishedURL)
		}
		if got := f.masto.Posted(); len(got) != 1 || got[0]["status"] != clean {
			t.Fatalf("mastodon got %v", got)
		}
		posts, err := f.st.Posts(ctx, f.acc.ID, time.Time{}, f.clock.Add(time.Hour))
		if err != nil || len(posts) != 1 || posts[0].URL != v.Draft.PublishedURL {
			t.Fatalf("activity posts: %v %+v", err, posts)
		}
		var kinds []string
		for _, e := range v.Events {
			kinds = append(kinds, e.Kind)
		}
		want := "create submit request-changes edit submit approve publish"
		if strings.Join(kinds, " ") != want {
			t.Fatalf("timeline %v, want %s", kinds, want)
		}
		evs, err := f.st.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "draft."})
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for i := len(evs) - 1; i >= 0; i-- {
			acts = append(acts, evs[i].Action)
		}
		if got := strings.Join(acts, " "); got != "draft.create draft.submit draft.request-changes draft.edit draft.submit draft.approve draft.publish" {
			t.Fatalf("audit %s", got)
		}
		ns, err := f.st.Notifications(ctx, f.author.ID, 10)
		if err != nil || len(ns) != 2 || ns[0].Email != f.author.Email || ns[0].EmailState != model.EmailPending {
			t.Fatalf("author notifications: %v %+v", err, ns)
		}
		// Publishing again is refused; nothing more is posted.
		if _, err := f.svc.Publish(ctx, actor(f.author), f.author, id); !errors.Is(err, review.ErrNotApproved) {
			t.Fatalf("second publish: %v", err)
		}
		if len(f.masto.Posted()) != 1 {
			t.Fatal("posted twice")
		}
	})
}

// must fails the test on an error.
func must(t *testing.T) func(*review.DraftView, error) *review.DraftView {
	return func(v *review.DraftView, err error) *review.DraftView {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// An admin who changes someone else's draft wrote part of it: they do not
// decide on it either, through any version, and it leaves their queue.
func TestEditorDoesNotDecide(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		id := f.create(t, f.corp, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		v := must(t)(f.svc.Edit(ctx, actor(f.admin), f.admin, id, 1, review.DraftInput{Text: "Our new school in Juba opens today, built with our partners.", Checklist: f.ticks(), Reticked: true}))
		if v.Draft.Status != model.DraftInReview || v.CanDecide {
			t.Fatalf("after the admin's edit: %s, can decide %v", v.Draft.Status, v.CanDecide)
		}
		if _, err := f.svc.Decide(ctx, actor(f.admin), f.admin, id, review.Decision{Decision: "approve"}); !errors.Is(err, review.ErrSelfApproval) {
			t.Fatalf("editor approves: %v", err)
		}
		// The author's next version still holds the admin's words.
		must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "request-changes", Comment: "Shorter."}))
		must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 2, review.DraftInput{Text: "Our new school in Juba opens, built with our partners.", Checklist: f.ticks(), Reticked: true}))
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		if _, err := f.svc.Decide(ctx, actor(f.admin), f.admin, id, review.Decision{Decision: "approve"}); !errors.Is(err, review.ErrSelfApproval) {
			t.Fatalf("editor approves a later version: %v", err)
		}
		if q, n, err := f.svc.Queue(ctx, f.admin, review.QueueFilter{}); err != nil || n != 0 || len(q) != 0 {
			t.Fatalf("admin's queue: %v %d %+v", err, n, q)
		}
		if q, n, err := f.svc.Queue(ctx, f.reviewer, review.QueueFilter{}); err != nil || n != 1 || q[0].Draft.ID != id {
			t.Fatalf("reviewer's queue: %v %d %+v", err, n, q)
		}
		if v := must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve"})); v.Draft.Status != model.DraftApproved {
			t.Fatalf("reviewer's approval: %s", v.Draft.Status)
		}
	})
}

// A draft changed while in review goes back to its first step, and that
// step's reviewers are told to look again; the one who changed it is not.
func TestEditInReviewTellsReviewers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		id := f.create(t, f.corp, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		edited := func(u *model.User) int {
			ns, err := f.st.Notifications(ctx, u.ID, 50)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range ns {
				if x.Key == "review.edited" && x.Link == fmt.Sprintf("/drafts/%d", id) {
					n++
				}
			}
			return n
		}
		must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 0, review.DraftInput{Text: clean + " Today.", Checklist: f.ticks(), Reticked: true}))
		if edited(f.reviewer) != 1 || edited(f.admin) != 1 || edited(f.author) != 0 {
			t.Fatalf("after the author's edit: reviewer %d, admin %d, author %d notices", edited(f.reviewer), edited(f.admin), edited(f.author))
		}
		must(t)(f.svc.Edit(ctx, actor(f.admin), f.admin, id, 0, review.DraftInput{Text: clean + " Today!", Checklist: f.ticks(), Reticked: true}))
		if edited(f.reviewer) != 2 || edited(f.admin) != 1 {
			t.Fatalf("after the admin's edit: reviewer %d, admin %d notices", edited(f.reviewer), edited(f.admin))
		}
	})
}
