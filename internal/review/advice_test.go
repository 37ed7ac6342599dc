package review_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/review"
)

func TestAdvice(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		q, err := f.svc.Ask(ctx, actor(f.staff), f.staff, review.AdviceInput{Text: "Proud of our team!", Question: "May I post this photo of colleagues?"})
		if err != nil || q.Kind != model.AdvicePersonal {
			t.Fatal(err, q)
		}
		q2, err := f.svc.Ask(ctx, actor(f.author), f.author, review.AdviceInput{Text: "x", Question: "y", Kind: model.AdviceInstitutional})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Advice(ctx, f.other, q.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another user reads the thread: %v", err)
		}
		if _, err := f.svc.Answer(ctx, actor(f.other), f.other, q.ID, "sure"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another user answers: %v", err)
		}
		*f.clock = f.clock.Add(2 * time.Hour)
		if _, err := f.svc.Answer(ctx, actor(f.reviewer), f.reviewer, q.ID, "Yes, if they agree."); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Answer(ctx, actor(f.staff), f.staff, q.ID, "Thanks!"); err != nil {
			t.Fatal(err)
		}
		th, err := f.svc.Advice(ctx, f.staff, q.ID)
		if err != nil || len(th.Answers) != 2 || th.FirstAnswerAt == nil || th.FirstAnswerAt.Sub(th.CreatedAt) != 2*time.Hour {
			t.Fatalf("thread %v %+v", err, th)
		}
		ns, _ := f.st.Notifications(ctx, f.staff.ID, 10)
		if len(ns) != 1 || ns[0].Subject != "Your question was answered" {
			t.Fatalf("asker notifications %+v", ns)
		}
		mine, n, err := f.svc.AdviceList(ctx, f.staff, review.AdviceFilter{})
		if err != nil || n != 1 || mine[0].ID != q.ID {
			t.Fatalf("staff list %v %d", err, n)
		}
		if _, n, _ := f.svc.AdviceList(ctx, f.reviewer, review.AdviceFilter{Unanswered: true}); n != 1 {
			t.Fatalf("unanswered %d", n)
		}
		if _, err := f.svc.AdviceStats(ctx, f.reviewer, time.Time{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("reviewer stats: %v", err)
		}
		st, err := f.svc.AdviceStats(ctx, f.admin, time.Time{})
		if err != nil || st.Count != 2 || st.Answered != 1 || st.MedianFirstAnswer != 2*time.Hour {
			t.Fatalf("stats %v %+v", err, st)
		}
		_ = q2
	})
}

// The asker's follow-up is news to those who answered: they are told, in
// their language; the asker is not told of their own message.
func TestAdviceFollowUpTellsAnswerers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		f.reviewer.Lang = "fr"
		if err := f.st.SetUserLang(ctx, actor(f.reviewer), f.reviewer.ID, "fr"); err != nil {
			t.Fatal(err)
		}
		q, err := f.svc.Ask(ctx, actor(f.staff), f.staff, review.AdviceInput{Question: "May I post this?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Answer(ctx, actor(f.reviewer), f.reviewer, q.ID, "Yes."); err != nil {
			t.Fatal(err)
		}
		before, _ := f.st.Notifications(ctx, f.reviewer.ID, 10)
		if _, err := f.svc.Answer(ctx, actor(f.staff), f.staff, q.ID, "And if I tag the office?"); err != nil {
			t.Fatal(err)
		}
		after, _ := f.st.Notifications(ctx, f.reviewer.ID, 10)
		if len(after) != len(before)+1 || after[0].Key != "advice.follow-up" || after[0].Link != fmt.Sprintf("/advice/%d", q.ID) ||
			!strings.Contains(after[0].Subject, f.staff.Email) || strings.Contains(after[0].Subject, "follows up") {
			t.Fatalf("the answerer's notifications: %+v", after)
		}
		if ns, _ := f.st.Notifications(ctx, f.admin.ID, 10); len(ns) != 1 { // advice.new only: the admin did not answer
			t.Fatalf("the admin's notifications: %+v", ns)
		}
		if ns, _ := f.st.Notifications(ctx, f.staff.ID, 10); len(ns) != 1 {
			t.Fatalf("the asker's notifications: %+v", ns)
		}
	})
}

func TestRecheckOnPackChange(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		id := f.create(t, f.corp, "Call +41 22 917 8000 today.").Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		untouched := f.create(t, f.corp, clean).Draft.ID // a draft not in review is not re-checked
		base, _ := policy.Default()
		p := *base
		p.Pack.Version = "1.1.0"
		p.Rules = slices.DeleteFunc(slices.Clone(p.Rules), func(r policy.Rule) bool { return r.ID == "safety.phone-number" })
		chk, err := check.Compile(&p, check.Options{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.RecheckPending(ctx, chk)
		if err != nil || n != 1 {
			t.Fatalf("rechecked %d: %v", n, err)
		}
		v := must(t)(f.svc.Get(ctx, f.reviewer, id))
		d := v.Draft.Diff
		if d == nil || d.From.Version != "1.0.0" || d.To.Version != "1.1.0" || len(d.Removed) != 1 || d.Removed[0].Rule != "safety.phone-number" || len(d.Added) != 0 {
			t.Fatalf("diff %+v", d)
		}
		if v.Draft.Report.Pack.Version != "1.1.0" || v.Draft.Report.HasErrors() || v.Events[len(v.Events)-1].Kind != model.DraftEventRecheck {
			t.Fatalf("report %+v", v.Draft.Report)
		}
		if n, err := f.svc.RecheckPending(ctx, chk); err != nil || n != 0 {
			t.Fatalf("second pass %d %v", n, err)
		}
		if u := must(t)(f.svc.Get(ctx, f.author, untouched)); u.Draft.Report.Pack.Version != "1.0.0" {
			t.Fatalf("draft not in review rechecked")
		}
		// The clause filter follows the new report.
		if _, n, _ := f.svc.Queue(ctx, f.reviewer, review.QueueFilter{Clause: "3.4(g)"}); n != 0 {
			t.Fatalf("clause filter after recheck: %d", n)
		}
	})
}
