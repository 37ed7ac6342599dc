package monitor

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// posts makes n posts of acc, one every `every`, the newest at last, with
// likes each (nil: unknown figures).
func posts(acc model.Account, n int, last time.Time, every time.Duration, likes *int64) []model.Post {
	out := make([]model.Post, n)
	for i := range out {
		out[i] = model.Post{AccountID: acc.ID, Platform: acc.Platform, ExternalID: fmt.Sprintf("%s-%d-%d", acc.Handle, last.Unix(), i),
			PostedAt: last.Add(-time.Duration(i) * every), Likes: likes, Source: "api"}
	}
	return out
}

func TestEvaluateEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		asOf := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
		created := asOf.Add(-day(400))
		for _, u := range []model.User{
			{Email: "admin@unops.org", Name: "Admin", Role: model.RoleAdmin},
			{Email: "manager@unops.org", Name: "Manager", Role: model.RoleManager},
			{Email: "staff@unops.org", Name: "Staff", Role: model.RoleStaff},
		} {
			if err := s.CreateUser(ctx, admin(), &u); err != nil {
				t.Fatal(err)
			}
		}
		mgr := []string{"manager@unops.org"}
		accs := addAccounts(t, s,
			model.Account{Platform: "x", Handle: "quiet", Managers: mgr, CreatedAt: created},
			model.Account{Platform: "x", Handle: "below", PostsPerWeek: 10, Managers: mgr, CreatedAt: created},
			model.Account{Platform: "facebook", Handle: "unheard", Managers: mgr, CreatedAt: created},
			model.Account{Platform: "x", Handle: "ended", Kind: model.KindProject, Managers: mgr, CreatedAt: created,
				Project: &model.Project{Name: "Roads", EndDate: "2025-03-31"}},
			model.Account{Platform: "x", Handle: "healthy", PostsPerWeek: 3, Managers: mgr, CreatedAt: created},
		)
		quiet, below, unheard, ended, healthy := accs[0], accs[1], accs[2], accs[3], accs[4]
		var all []model.Post
		all = append(all, posts(quiet, 50, asOf.Add(-day(60)), day(2), ptr(40))...)
		all = append(all, posts(below, 6, asOf.Add(-day(1)), day(10), ptr(40))...)
		all = append(all, posts(unheard, 40, asOf.Add(-day(1)), day(2), ptr(1))...)
		all = append(all, posts(ended, 40, asOf.Add(-day(1)), day(2), ptr(40))...)
		// The healthy account keeps posting after asOf: later evaluations see it healthy too.
		all = append(all, posts(healthy, 120, asOf.Add(day(40)), day(1), ptr(40))...)
		if err := s.UpsertPosts(ctx, all); err != nil {
			t.Fatal(err)
		}
		for _, a := range accs {
			if err := s.AddProfile(ctx, model.Profile{AccountID: a.ID, Followers: ptr(10_000), FetchedAt: asOf.Add(-day(2))}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddProfile(ctx, model.Profile{AccountID: unheard.ID, Followers: ptr(1_000_000), FetchedAt: asOf.Add(-day(1))}); err != nil {
			t.Fatal(err)
		}
		m := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}})

		sum, err := m.Evaluate(ctx, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Evaluated != 5 || sum.AtRisk != 4 || sum.Healthy != 1 || sum.Transitions["active→at-risk"] != 4 {
			t.Fatalf("summary %+v", sum)
		}
		want := map[int64]string{quiet.ID: health.CodeNoRecentPosts, below.ID: health.CodeBelowPlan,
			unheard.ID: health.CodeLowEngagement, ended.ID: health.CodeProjectEnded, healthy.ID: ""}
		for id, code := range want {
			h, err := m.Health(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			acc, _ := s.Account(ctx, id)
			if code == "" {
				if h.Result.State != health.StateHealthy || acc.Status != model.StatusActive || h.AtRiskSince != nil {
					t.Errorf("%s: %+v, status %s", acc.Handle, h.Result, acc.Status)
				}
				continue
			}
			if h.Result.Codes() != code || acc.Status != model.StatusAtRisk || h.AtRiskSince == nil || !h.AtRiskSince.Equal(asOf) {
				t.Errorf("%s: codes %q since %v status %s, want %s at-risk since %v", acc.Handle, h.Result.Codes(), h.AtRiskSince, acc.Status, code, asOf)
			}
			evs, _ := s.AccountEvents(ctx, id)
			if last := evs[len(evs)-1]; last.To != model.StatusAtRisk || !strings.Contains(last.Reason, code) {
				t.Errorf("%s: history %+v", acc.Handle, last)
			}
		}
		// Manager and admin notified, staff not, once per account at risk.
		admUser, _ := s.UserByEmail(ctx, "admin@unops.org")
		mgrUser, _ := s.UserByEmail(ctx, "manager@unops.org")
		staff, _ := s.UserByEmail(ctx, "staff@unops.org")
		for _, c := range []struct {
			u    *model.User
			want int
		}{{admUser, 4}, {mgrUser, 4}, {staff, 0}} {
			ns, err := s.UnreadNotifications(ctx, c.u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) != c.want || (c.want > 0 && (ns[0].EmailState != model.EmailPending || !strings.Contains(ns[0].Body, "4.6"))) {
				t.Errorf("%s: %d notifications, want %d: %+v", c.u.Email, len(ns), c.want, ns)
			}
		}
		evs, err := s.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "account.at-risk"})
		if err != nil || len(evs) != 4 || evs[0].ActorEmail != "system:monitor" {
			t.Fatalf("audit: %v %+v", err, evs)
		}

		// Recovery: the quiet account posts again.
		if err := s.UpsertPosts(ctx, posts(quiet, 3, asOf.Add(day(4)), day(1), ptr(40))); err != nil {
			t.Fatal(err)
		}
		if sum, err = m.Evaluate(ctx, asOf.Add(day(5))); err != nil || sum.Transitions["at-risk→active"] != 1 || len(sum.Transitions) != 1 {
			t.Fatalf("day 5: %+v %v", sum, err)
		}
		if acc, _ := s.Account(ctx, quiet.ID); acc.Status != model.StatusActive {
			t.Fatalf("quiet is %s after posting again", acc.Status)
		}

		// Within the grace period nothing moves; past it, closure is proposed.
		if sum, err = m.Evaluate(ctx, asOf.Add(day(29))); err != nil || len(sum.Transitions) != 0 {
			t.Fatalf("day 29: %+v %v", sum, err)
		}
		if sum, err = m.Evaluate(ctx, asOf.Add(day(30))); err != nil || sum.Transitions["at-risk→closure-proposed"] != 3 {
			t.Fatalf("day 30: %+v %v", sum, err)
		}
		for _, a := range []model.Account{below, unheard, ended} {
			acc, _ := s.Account(ctx, a.ID)
			h, _ := m.Health(ctx, a.ID)
			if acc.Status != model.StatusClosureProposed || h.AtRiskSince == nil || !h.AtRiskSince.Equal(asOf) {
				t.Errorf("%s: %s since %v", a.Handle, acc.Status, h.AtRiskSince)
			}
		}
		if ar, total, err := m.AtRisk(ctx, 10, 0); err != nil || total != 3 || len(ar) != 3 || ar[0].Account.Handle == "" {
			t.Fatalf("AtRisk: %v %d %+v", err, total, ar)
		}

		// Closing needs the whole checklist and a reason; then closed_at is set.
		full := Checklist{ContentArchived: true, CredentialsRevoked: true, RemovedFromVerification: true}
		if _, err := m.Close(ctx, admin(), below.ID, Checklist{ContentArchived: true}, "quiet"); !errors.Is(err, ErrChecklist) {
			t.Fatalf("incomplete checklist: %v", err)
		}
		if _, err := m.Close(ctx, admin(), below.ID, full, "  "); !errors.Is(err, registry.ErrReasonRequired) {
			t.Fatalf("no reason: %v", err)
		}
		if _, err := m.Close(ctx, admin(), healthy.ID, full, "why not"); !errors.Is(err, registry.ErrBadTransition) {
			t.Fatalf("closing an active account: %v", err)
		}
		closed, err := m.Close(ctx, admin(), below.ID, full, "no longer updated; content handed to the office")
		if err != nil || closed.Status != model.StatusClosed || closed.ClosedAt == nil {
			t.Fatalf("close: %v %+v", err, closed)
		}
		// Closing may keep the handle parked: recorded on the account.
		park := full
		park.KeepHandleParked = true
		if _, err := m.Close(ctx, admin(), ended.ID, park, "project ended; handle kept so nobody takes it"); err != nil {
			t.Fatalf("close with the handle parked: %v", err)
		}
		if acc, _ := s.Account(ctx, ended.ID); !acc.HandleParked || acc.Status != model.StatusClosed {
			t.Errorf("closed with the handle parked: %+v", acc)
		}
		if acc, _ := s.Account(ctx, below.ID); acc.HandleParked {
			t.Error("closed without parking, yet recorded as parked")
		}
		kept, err := m.KeepOpen(ctx, admin(), unheard.ID, "campaign account, low reach expected")
		if err != nil || kept.Status != model.StatusActive {
			t.Fatalf("keep open: %v %+v", err, kept)
		}
		if _, err := m.KeepOpen(ctx, admin(), unheard.ID, "again"); !errors.Is(err, registry.ErrBadTransition) {
			t.Fatalf("keep open twice: %v", err)
		}
		hist, _ := s.AccountEvents(ctx, unheard.ID)
		if last := hist[len(hist)-1]; last.From != model.StatusClosureProposed || last.To != model.StatusActive ||
			last.Reason != "campaign account, low reach expected" || last.ActorEmail != "admin@unops.org" {
			t.Fatalf("keep-open history %+v", last)
		}
		// The managers learn each decision and its reason; the admin who
		// made it is not told.
		decisions := func(u *model.User) map[string]int {
			ns, err := s.Notifications(ctx, u.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, n := range ns {
				if (n.Key == "account.close" || n.Key == "account.keep-open") && strings.Contains(n.Body, "\n\n") {
					out[n.Key]++
				}
			}
			return out
		}
		if got := decisions(mgrUser); got["account.close"] != 2 || got["account.keep-open"] != 1 {
			t.Errorf("the manager's notices of decisions: %v, want 2 closures and 1 kept open", got)
		}
		if got := decisions(admUser); len(got) != 0 {
			t.Errorf("the deciding admin was told: %v", got)
		}
		for _, action := range []string{"account.close", "account.keep-open", "account.closure-proposed", "account.recovered"} {
			if evs, err := s.AuditEvents(ctx, store.AuditFilter{ActionPrefix: action}); err != nil || len(evs) == 0 {
				t.Errorf("no %s audit event: %v", action, err)
			}
		}
		// Kept open but still under the floor: at risk again, with a fresh grace period.
		if sum, err = m.Evaluate(ctx, asOf.Add(day(31))); err != nil || sum.Transitions["active→at-risk"] != 1 {
			t.Fatalf("day 31: %+v %v", sum, err)
		}
		if h, _ := m.Health(ctx, unheard.ID); h.AtRiskSince == nil || !h.AtRiskSince.Equal(asOf.Add(day(31))) {
			t.Fatalf("fresh grace period: %+v", h)
		}
		// The closed account is no longer evaluated.
		if sum.Evaluated != 3 {
			t.Fatalf("evaluated %d, want 3 (the two closed left out)", sum.Evaluated)
		}
	})
}
