package registry

import (
	"context"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestAccountsShowRequestsAsRequestsAre (issue 10, item 8): a request
// (waiting, or rejected) is seen through the account list and pages only by
// whom MaySeeRequest lets see it; registered accounts are seen by everyone.
func TestAccountsShowRequestsAsRequestsAre(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		st := f.svc.Store
		mk := func(email string, role model.Role) *model.User {
			u := &model.User{Email: email, Name: email, Role: role}
			if err := st.CreateUser(ctx, model.SystemActor("test"), u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		other, staff, auditor := mk("other@unops.org", model.RoleManager), mk("staff@unops.org", model.RoleStaff), mk("auditor@unops.org", model.RoleAuditor)

		waiting, err := f.svc.Request(ctx, f.managerA, f.manager, haitiRequest(), "")
		if err != nil {
			t.Fatal(err)
		}
		in := haitiRequest()
		in.Handle, in.Office = "@UNOPS_Kenya", "Kenya"
		rejected, err := f.svc.Request(ctx, f.managerA, f.manager, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, rejected.Account.ID, "reject", "not needed"); err != nil {
			t.Fatal(err)
		}
		in = haitiRequest()
		in.Handle, in.Office = "@UNOPS_Peru", "Peru"
		active, err := f.svc.Register(ctx, f.adminA, "en", in)
		if err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			who      *model.User
			requests bool // sees the two requests
		}{{f.manager, true}, {f.admin, true}, {f.reviewer, true}, {auditor, true}, {other, false}, {staff, false}, {nil, false}} {
			name := "nobody"
			if c.who != nil {
				name = c.who.Email
			}
			accs, total, err := f.svc.AccountsFor(ctx, c.who, store.AccountFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[int64]bool{}
			for _, a := range accs {
				seen[a.ID] = true
			}
			want := 1
			if c.requests {
				want = 3
			}
			if total != want || len(accs) != want || !seen[active.Account.ID] ||
				seen[waiting.Account.ID] != c.requests || seen[rejected.Account.ID] != c.requests {
				t.Errorf("%s lists %d of %d accounts %v; want %d, requests seen: %v", name, len(accs), total, seen, want, c.requests)
			}
			// A filter on status does not reopen them.
			accs, _, err = f.svc.AccountsFor(ctx, c.who, store.AccountFilter{Status: model.StatusRequested, Limit: 100})
			if err != nil || (len(accs) == 1) != c.requests {
				t.Errorf("%s filtering on requested: %d accounts, %v", name, len(accs), err)
			}
			for _, id := range []int64{waiting.Account.ID, rejected.Account.ID} {
				_, err := f.svc.AccountFor(ctx, c.who, "", id)
				if c.requests && err != nil {
					t.Errorf("%s opens request %d: %v", name, id, err)
				}
				if !c.requests && !errs.Is(err, errs.NotFound) {
					t.Errorf("%s opens someone else's request %d: %v, want not found", name, id, err)
				}
			}
			if _, err := f.svc.AccountFor(ctx, c.who, "", active.Account.ID); err != nil {
				t.Errorf("%s opens an active account: %v", name, err)
			}
		}

		// Once approved, a request is an account like any other.
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, waiting.Account.ID, "approve", "fits the strategy"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AccountFor(ctx, staff, "", waiting.Account.ID); err != nil {
			t.Errorf("staff opens the approved account: %v", err)
		}
	})
}
