package review_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/publish"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

type fixture struct {
	ctx                                  context.Context
	st                                   *store.Store
	svc                                  *review.Service
	admin, reviewer, author, lead, other *model.User
	auditor, staff                       *model.User
	acc, otherAcc, corp                  *model.Account
	clock                                *time.Time
	masto                                *connectortest.MastodonPoster
}

func actor(u *model.User) model.Actor { return model.Actor{UserID: u.ID, Email: u.Email} }

func newFixture(t testing.TB, dialect string) *fixture {
	return newFixtureStore(t, storetest.Open(t, dialect))
}

func newFixtureStore(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	chk := checktest.Default(t)
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	f := &fixture{ctx: ctx, st: st, clock: &clock, masto: connectortest.NewMastodonPoster(t, "masto-token", "office")}
	sys := model.SystemActor("test")
	mk := func(email string, role model.Role) *model.User {
		u := &model.User{Email: email, Name: email, Role: role}
		if err := st.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin = mk("admin@org.test", model.RoleAdmin)
	f.reviewer = mk("reviewer@org.test", model.RoleReviewer)
	f.author = mk("author@org.test", model.RoleManager)
	f.lead = mk("lead@org.test", model.RoleManager)
	f.other = mk("other@org.test", model.RoleManager)
	f.auditor = mk("auditor@org.test", model.RoleAuditor)
	f.staff = mk("staff@org.test", model.RoleStaff)
	acct := func(handle, kind, office, profile string, managers ...string) *model.Account {
		a := &model.Account{Platform: "mastodon", Handle: handle, ProfileURL: profile, Kind: kind, Office: office,
			Managers: managers, Status: model.StatusActive}
		if err := st.CreateAccount(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	f.acc = acct("juba@"+strings.TrimPrefix(f.masto.URL, "http://"), model.KindCountryOffice, "South Sudan",
		f.masto.URL+"/@juba", f.author.Email, f.lead.Email)
	f.otherAcc = acct("nairobi@example.org", model.KindCountryOffice, "Kenya", "https://example.org/@nairobi", f.other.Email)
	f.corp = acct("hq@example.org", model.KindCorporate, "HQ", "https://example.org/@hq", f.author.Email)
	f.svc = &review.Service{Store: st, Checker: chk, DataDir: t.TempDir(), Now: func() time.Time { return *f.clock },
		Publisher: publish.New(publish.Config{Allow: testAllow, Credentials: publish.CredentialsFunc(
			func(ctx context.Context, acc model.Account) (string, error) { return "masto-token", nil })})}
	if err := f.svc.SetOfficeLeads(ctx, actor(f.admin), f.admin, "South Sudan", []string{f.lead.Email}); err != nil {
		t.Fatal(err)
	}
	return f
}

// ticks is every checklist item of the pack.
func (f *fixture) ticks() []string {
	var out []string
	for _, c := range f.svc.Checker.Pack().Checklist {
		out = append(out, c.ID)
	}
	return out
}

func (f *fixture) create(t *testing.T, acc *model.Account, text string) *review.DraftView {
	t.Helper()
	v, err := f.svc.Create(f.ctx, actor(f.author), f.author, review.DraftInput{AccountID: acc.ID, Text: text, Checklist: f.ticks()})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.Each(t, func(t *testing.T, dialect string) { fn(t, newFixture(t, dialect)) })
}
