package review_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

// keyed returns u's notifications with key, newest first.
func (f *fixture) keyed(t *testing.T, u *model.User, key string) []model.Notification {
	t.Helper()
	ns, err := f.st.Notifications(f.ctx, u.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Notification
	for _, n := range ns {
		if n.Key == key {
			out = append(out, n)
		}
	}
	return out
}

// TestNotifyWaiting: whoever must act is told, and only they: the step's
// reviewers when a draft is submitted and when it moves to the next step,
// the Communications Group of a new advice question.
func TestNotifyWaiting(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		link := func(id int64) string { return fmt.Sprintf("/drafts/%d", id) }
		d := f.create(t, f.acc, "Our teams delivered water points in Juba this week.")
		must(t)(f.svc.Submit(f.ctx, actor(f.author), f.author, d.Draft.ID))
		if ns := f.keyed(t, f.lead, "review.waiting"); len(ns) != 1 || ns[0].Link != link(d.Draft.ID) ||
			ns[0].Kind != "review" || ns[0].Subject != "A draft for "+f.acc.Handle+" on mastodon waits for your review at step 1." {
			t.Fatalf("the office lead's notice: %+v", ns)
		}
		for _, u := range []*model.User{f.admin, f.reviewer, f.author, f.other} {
			if ns := f.keyed(t, u, "review.waiting"); len(ns) != 0 {
				t.Fatalf("%s told of a step that is the lead's: %+v", u.Email, ns)
			}
		}
		// The lead asks for the optional Communications step: the group is told.
		must(t)(f.svc.Decide(f.ctx, actor(f.lead), f.lead, d.Draft.ID, review.Decision{Decision: "approve", Escalate: true}))
		for _, u := range []*model.User{f.admin, f.reviewer} {
			if ns := f.keyed(t, u, "review.waiting"); len(ns) != 1 || ns[0].Args[2] != "2" || ns[0].Link != link(d.Draft.ID) {
				t.Fatalf("%s's notice of step 2: %+v", u.Email, ns)
			}
		}
		if ns := f.keyed(t, f.lead, "review.waiting"); len(ns) != 1 {
			t.Fatalf("the lead told again: %+v", ns)
		}
		if ns := f.keyed(t, f.author, "draft.step-approved"); len(ns) != 1 || ns[0].Subject != "Your draft passed review step 1" ||
			ns[0].Kind != "draft" || ns[0].Link != link(d.Draft.ID) {
			t.Fatalf("the author's notice of the step: %+v", ns)
		}

		// A corporate draft goes to the Communications Group, never to its author.
		c := f.create(t, f.corp, "Our annual report is out today.")
		must(t)(f.svc.Submit(f.ctx, actor(f.author), f.author, c.Draft.ID))
		if ns := f.keyed(t, f.reviewer, "review.waiting"); len(ns) != 2 || ns[0].Link != link(c.Draft.ID) {
			t.Fatalf("reviewer's notices: %+v", ns)
		}
		if ns := f.keyed(t, f.author, "review.waiting"); len(ns) != 0 {
			t.Fatalf("author told of their own draft: %+v", ns)
		}

		q, err := f.svc.Ask(f.ctx, actor(f.staff), f.staff, review.AdviceInput{Text: "t", Question: "May I post this?"})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*model.User{f.admin, f.reviewer} {
			if ns := f.keyed(t, u, "advice.new"); len(ns) != 1 || ns[0].Link != fmt.Sprintf("/advice/%d", q.ID) ||
				ns[0].Subject != "staff@org.test asks the Communications Group for advice." {
				t.Fatalf("%s's notice of the question: %+v", u.Email, ns)
			}
		}
		if ns := f.keyed(t, f.staff, "advice.new"); len(ns) != 0 {
			t.Fatalf("asker told of their own question: %+v", ns)
		}
	})
}

// TestRemindOverdue: a step waiting past its service level reminds its
// reviewers and escalates to the Communications Group, once, even with
// two instances reminding at the same time.
func TestRemindOverdue(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		d := f.create(t, f.acc, "Our teams delivered water points in Juba this week.")
		must(t)(f.svc.Submit(f.ctx, actor(f.author), f.author, d.Draft.ID))
		c := f.create(t, f.corp, "Our annual report is out today.")
		must(t)(f.svc.Submit(f.ctx, actor(f.author), f.author, c.Draft.ID))

		remind := func() int {
			t.Helper()
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for range 2 {
				wg.Go(func() {
					n, err := f.svc.RemindOverdue(f.ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				})
			}
			wg.Wait()
			return total
		}
		*f.clock = f.clock.Add(23 * time.Hour)
		if n := remind(); n != 0 {
			t.Fatalf("reminded of %d steps within their service level", n)
		}
		*f.clock = f.clock.Add(2 * time.Hour) // 25 h: the corporate step (24 h) is late
		if n := remind(); n != 1 {
			t.Fatalf("reminded of %d steps, want the corporate one", n)
		}
		for _, u := range []*model.User{f.admin, f.reviewer} {
			if ns := f.keyed(t, u, "review.reminder"); len(ns) != 1 || ns[0].Args[2] != "25" || ns[0].Args[4] != "24" {
				t.Fatalf("%s's reminder: %+v", u.Email, ns)
			}
		}
		*f.clock = f.clock.Add(24 * time.Hour) // 49 h: the office step (48 h) is late too
		if n := remind(); n != 1 {
			t.Fatalf("reminded of %d steps, want the office one", n)
		}
		if ns := f.keyed(t, f.lead, "review.reminder"); len(ns) != 1 || ns[0].Link != fmt.Sprintf("/drafts/%d", d.Draft.ID) {
			t.Fatalf("lead's reminder: %+v", ns)
		}
		for _, u := range []*model.User{f.admin, f.reviewer} {
			if ns := f.keyed(t, u, "review.escalation"); len(ns) != 1 || ns[0].Link != fmt.Sprintf("/drafts/%d", d.Draft.ID) {
				t.Fatalf("%s's escalation: %+v", u.Email, ns)
			}
		}
		if ns := f.keyed(t, f.author, "review.reminder"); len(ns) != 0 {
			t.Fatalf("author reminded: %+v", ns)
		}

		// Approving the step starts the next one's clock afresh, from the
		// approval's time (which the store writes with the real clock).
		must(t)(f.svc.Decide(f.ctx, actor(f.lead), f.lead, d.Draft.ID, review.Decision{Decision: "approve", Escalate: true}))
		*f.clock = time.Now().Add(47 * time.Hour)
		if n := remind(); n != 0 {
			t.Fatalf("step 2 reminded after 47 h of its 48: %d", n)
		}
		*f.clock = f.clock.Add(2 * time.Hour)
		if n := remind(); n != 1 {
			t.Fatalf("step 2 late: reminded of %d", n)
		}
	})
}

func TestServiceLevels(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if err := f.svc.SetServiceLevel(f.ctx, actor(f.reviewer), f.reviewer, model.KindCorporate, 2); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a reviewer set the service level: %v", err)
		}
		for _, h := range []int{0, -1, 24*30 + 1} {
			if err := f.svc.SetServiceLevel(f.ctx, actor(f.admin), f.admin, model.KindCorporate, h); !errs.Is(err, errs.Invalid) {
				t.Fatalf("%d hours: %v", h, err)
			}
		}
		if err := f.svc.SetServiceLevel(f.ctx, actor(f.admin), f.admin, "blog", 2); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown kind: %v", err)
		}
		if err := f.svc.SetServiceLevel(f.ctx, actor(f.admin), f.admin, model.KindCorporate, 2); err != nil {
			t.Fatal(err)
		}
		sla, err := f.svc.ServiceLevels(f.ctx)
		if err != nil || sla[model.KindCorporate] != 2 || sla[model.KindProject] != 48 {
			t.Fatalf("service levels %v, %v", sla, err)
		}
		c := f.create(t, f.corp, "Our annual report is out today.")
		must(t)(f.svc.Submit(f.ctx, actor(f.author), f.author, c.Draft.ID))
		*f.clock = f.clock.Add(3 * time.Hour)
		if n, err := f.svc.RemindOverdue(f.ctx); err != nil || n != 1 {
			t.Fatalf("after 3 h of 2: %d, %v", n, err)
		}
	})
}
