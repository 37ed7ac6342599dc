package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestReportAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		reg, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest())
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.ReportAccount(ctx, "x", "https://x.com/UNOPS_Haiti", "is this real?")
		if err != nil || r.Outcome != ReportOfficial || r.FoundID != 0 {
			t.Fatalf("a report of the official account: %+v, %v", r, err)
		}
		r, err = f.svc.ReportAccount(ctx, "twitter", "@UN0PS_Haiti", "asks for money "+strings.Repeat("x", 2000))
		if err != nil || r.Outcome != ReportQueued || r.Count != 1 {
			t.Fatalf("first report: %+v, %v", r, err)
		}
		r2, err := f.svc.ReportAccount(ctx, "x", "https://x.com/un0ps_haiti", "")
		if err != nil || r2.Outcome != ReportCounted || r2.Count != 2 || r2.FoundID != r.FoundID {
			t.Fatalf("second report: %+v, %v", r2, err)
		}
		// The Communications Group is told of the new entry once; the
		// second report only counts.
		reports := func(u *model.User) (n int, subject string) {
			ns, err := f.svc.Store.Notifications(ctx, u.ID, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range ns {
				if x.Key == "report.new" && x.Link == "/found?state=new" {
					n, subject = n+1, x.Subject
				}
			}
			return n, subject
		}
		for _, u := range []*model.User{f.reviewer, f.admin} {
			if n, subject := reports(u); n != 1 || !strings.Contains(subject, "@UN0PS_Haiti") {
				t.Errorf("%s: %d notices of the report (%q), want one naming it", u.Email, n, subject)
			}
		}
		if n, _ := reports(f.manager); n != 0 {
			t.Errorf("a manager was told of the report")
		}
		fa, err := f.svc.Store.FoundAccount(ctx, r.FoundID)
		if err != nil {
			t.Fatal(err)
		}
		if fa.Source != "report" || fa.ReportCount != 2 || fa.Handle != "UN0PS_Haiti" || fa.LookalikeScore == nil ||
			*fa.LookalikeScore < 0.8 || fa.ImitatesID == nil || *fa.ImitatesID != reg.Account.ID {
			t.Errorf("queued as %+v", fa)
		}
		events, err := f.svc.Store.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "found.report"})
		if err != nil || len(events) != 2 || !strings.Contains(events[len(events)-1].Summary, "asks for money") && !strings.Contains(events[0].Summary, "asks for money") {
			t.Errorf("audit %+v, %v", events, err)
		}
		for _, e := range events {
			if len([]rune(e.Summary)) > maxReportNote+200 {
				t.Errorf("note not capped: %d runes", len([]rune(e.Summary)))
			}
		}
		if _, err := f.svc.ReportAccount(ctx, "myspace", "someone", ""); !errs.Is(err, errs.Invalid) {
			t.Errorf("an unknown platform: %v", err)
		}
	})
}
