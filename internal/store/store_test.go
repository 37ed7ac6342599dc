package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

var (
	ctx   = context.Background()
	admin = model.Actor{UserID: 1, Email: "admin@example.org", Addr: "192.0.2.1"}
	t0    = time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
)

// TestStore is the store's behaviour, case by case, on each dialect, each
// case on a fresh database.
func TestStore(t *testing.T) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s *store.Store, url string)
	}{
		{"users", testUsers},
		{"user update and password", testUserUpdate},
		{"user conflicts and bad input", testUserErrors},
		{"sessions", testSessions},
		{"expired sessions", testExpiredSessions},
		{"login throttling", testThrottling},
		{"api tokens", testTokens},
		{"audit events and filters", testAuditEvents},
		{"accounts", testAccounts},
		{"accounts filter, sort and page", testAccountsPage},
		{"account update only if unchanged", testAccountUnchanged},
		{"concurrent writers keep one chain", testConcurrentChain},
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				url := storetest.URL(t, dialect)
				c.fn(t, storetest.OpenURL(t, url), url)
			})
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err error, want errs.Kind) {
	t.Helper()
	if !errs.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

func newUser(t *testing.T, s *store.Store, email string, role model.Role) *model.User {
	t.Helper()
	u := &model.User{Email: email, Name: "Name of " + email, Role: role, PasswordHash: "hash-" + email}
	must(t, s.CreateUser(ctx, admin, u))
	return u
}

// lastEvent returns the newest audit event.
func lastEvent(t *testing.T, s *store.Store) model.AuditEvent {
	t.Helper()
	es, err := s.AuditEvents(ctx, store.AuditFilter{Limit: 1})
	must(t, err)
	if len(es) != 1 {
		t.Fatalf("%d audit events, want 1", len(es))
	}
	return es[0]
}

func testUsers(t *testing.T, s *store.Store, _ string) {
	n, err := s.CountUsers(ctx)
	must(t, err)
	if n != 0 {
		t.Fatalf("CountUsers on a new database = %d", n)
	}
	u := newUser(t, s, " Ada@Example.ORG ", model.RoleAdmin)
	if u.ID == 0 || u.CreatedAt.IsZero() || u.Email != "ada@example.org" {
		t.Fatalf("CreateUser left %+v", u)
	}
	e := lastEvent(t, s)
	if e.Action != "user.create" || e.ObjectType != "user" || e.ObjectID != fmt.Sprint(u.ID) ||
		e.ActorEmail != admin.Email || e.ActorID != admin.UserID || e.Addr != admin.Addr ||
		!strings.Contains(e.Summary, "ada@example.org") {
		t.Fatalf("audit event %+v", e)
	}
	got, err := s.User(ctx, u.ID)
	must(t, err)
	if *got != *u {
		t.Fatalf("User = %+v, want %+v", got, u)
	}
	got, err = s.UserByEmail(ctx, "ADA@example.org")
	must(t, err)
	if got.ID != u.ID {
		t.Fatalf("UserByEmail found %d", got.ID)
	}
	u2 := &model.User{Email: "b@example.org", Name: "B", Role: model.RoleStaff, OIDCSubject: "https://idp|42"}
	must(t, s.CreateUser(ctx, admin, u2))
	got, err = s.UserByOIDCSubject(ctx, "https://idp|42")
	must(t, err)
	if got.ID != u2.ID || got.PasswordHash != "" {
		t.Fatalf("UserByOIDCSubject = %+v", got)
	}
	all, err := s.Users(ctx)
	must(t, err)
	if len(all) != 2 || all[0].ID != u.ID || all[1].ID != u2.ID {
		t.Fatalf("Users = %+v", all)
	}
	if n, _ := s.CountUsers(ctx); n != 2 {
		t.Fatalf("CountUsers = %d", n)
	}
	for name, err := range map[string]error{
		"User":              second(s.User(ctx, 999)),
		"UserByEmail":       second(s.UserByEmail(ctx, "nobody@example.org")),
		"UserByOIDCSubject": second(s.UserByOIDCSubject(ctx, "https://idp|43")),
		"empty OIDC":        second(s.UserByOIDCSubject(ctx, "")),
	} {
		if !errs.Is(err, errs.NotFound) {
			t.Errorf("%s: error %v, want ErrNotFound", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func testUserUpdate(t *testing.T, s *store.Store, _ string) {
	u := newUser(t, s, "c@example.org", model.RoleStaff)
	disabled := t0
	u.Name, u.Role, u.DisabledAt, u.OIDCSubject = "Cee", model.RoleManager, &disabled, "iss|c"
	must(t, s.UpdateUser(ctx, admin, u))
	got, err := s.User(ctx, u.ID)
	must(t, err)
	if got.Name != "Cee" || got.Role != model.RoleManager || got.DisabledAt == nil ||
		!got.DisabledAt.Equal(t0) || got.OIDCSubject != "iss|c" || got.PasswordHash != "hash-c@example.org" {
		t.Fatalf("after UpdateUser: %+v", got)
	}
	e := lastEvent(t, s)
	for _, want := range []string{"user.update", "role staff → manager", "disabled", "linked to iss|c"} {
		if !strings.Contains(e.Action+" "+e.Summary, want) {
			t.Errorf("event %q %q lacks %q", e.Action, e.Summary, want)
		}
	}
	must(t, s.SetPassword(ctx, admin, u.ID, "new-secret-hash"))
	got, _ = s.User(ctx, u.ID)
	if got.PasswordHash != "new-secret-hash" {
		t.Fatalf("SetPassword left %q", got.PasswordHash)
	}
	e = lastEvent(t, s)
	if e.Action != "user.password" || strings.Contains(e.Summary, "new-secret-hash") {
		t.Fatalf("password event %+v", e)
	}
	wantErr(t, s.SetPassword(ctx, admin, 999, "x"), errs.NotFound)
	wantErr(t, s.UpdateUser(ctx, admin, &model.User{ID: 999, Role: model.RoleStaff}), errs.NotFound)
}

func testUserErrors(t *testing.T, s *store.Store, _ string) {
	newUser(t, s, "d@example.org", model.RoleStaff)
	before := countEvents(t, s)
	wantErr(t, s.CreateUser(ctx, admin, &model.User{Email: "D@EXAMPLE.org", Role: model.RoleStaff}), errs.Conflict)
	wantErr(t, s.CreateUser(ctx, admin, &model.User{Email: "", Role: model.RoleStaff}), errs.Invalid)
	wantErr(t, s.CreateUser(ctx, admin, &model.User{Email: "e@example.org", Role: "king"}), errs.Invalid)
	o1 := &model.User{Email: "o1@example.org", Role: model.RoleStaff, OIDCSubject: "iss|same"}
	must(t, s.CreateUser(ctx, admin, o1))
	wantErr(t, s.CreateUser(ctx, admin, &model.User{Email: "o2@example.org", Role: model.RoleStaff, OIDCSubject: "iss|same"}), errs.Conflict)
	if got := countEvents(t, s); got != before+1 {
		t.Fatalf("failed writes left audit events: %d, want %d", got, before+1)
	}
}

func countEvents(t *testing.T, s *store.Store) int {
	t.Helper()
	es, err := s.AuditEvents(ctx, store.AuditFilter{})
	must(t, err)
	return len(es)
}

func testSessions(t *testing.T, s *store.Store, _ string) {
	u := newUser(t, s, "s@example.org", model.RoleStaff)
	sess := model.Session{TokenHash: "th1", UserID: u.ID, CSRFToken: "csrf", CreatedAt: t0,
		ExpiresAt: t0.Add(time.Hour), Addr: "198.51.100.7"}
	must(t, s.CreateSession(ctx, model.Actor{UserID: u.ID, Email: u.Email, Addr: sess.Addr}, sess))
	if e := lastEvent(t, s); e.Action != "session.signin" || e.ObjectID != fmt.Sprint(u.ID) || strings.Contains(e.Summary, "th1") {
		t.Fatalf("signin event %+v", e)
	}
	got, gu, err := s.Session(ctx, "th1", t0.Add(time.Minute))
	must(t, err)
	if *got != sess || gu.ID != u.ID {
		t.Fatalf("Session = %+v %+v, want %+v", got, gu, sess)
	}
	_, _, err = s.Session(ctx, "nope", t0)
	wantErr(t, err, errs.NotFound)
	wantErr(t, s.CreateSession(ctx, admin, model.Session{TokenHash: "th1", UserID: u.ID, ExpiresAt: t0}), errs.Conflict)
	wantErr(t, s.CreateSession(ctx, admin, model.Session{TokenHash: "orphan", UserID: 999, ExpiresAt: t0}), errs.NotFound)

	// A disabled user's sessions stop working.
	now := t0
	u.DisabledAt = &now
	must(t, s.UpdateUser(ctx, admin, u))
	_, _, err = s.Session(ctx, "th1", t0.Add(time.Minute))
	wantErr(t, err, errs.NotFound)
	u.DisabledAt = nil
	must(t, s.UpdateUser(ctx, admin, u))

	must(t, s.DeleteSession(ctx, admin, "th1"))
	if e := lastEvent(t, s); e.Action != "session.signout" {
		t.Fatalf("signout event %+v", e)
	}
	_, _, err = s.Session(ctx, "th1", t0)
	wantErr(t, err, errs.NotFound)
	wantErr(t, s.DeleteSession(ctx, admin, "th1"), errs.NotFound)

	for _, h := range []string{"a", "b", "c"} {
		must(t, s.CreateSession(ctx, admin, model.Session{TokenHash: h, UserID: u.ID, ExpiresAt: t0.Add(time.Hour)}))
	}
	must(t, s.DeleteUserSessions(ctx, u.ID, "b"))
	for h, live := range map[string]bool{"a": false, "b": true, "c": false} {
		_, _, err := s.Session(ctx, h, t0)
		if (err == nil) != live {
			t.Errorf("session %s after DeleteUserSessions: err %v, want live %v", h, err, live)
		}
	}
	must(t, s.DeleteUserSessions(ctx, u.ID, ""))
	_, _, err = s.Session(ctx, "b", t0)
	wantErr(t, err, errs.NotFound)
}

func testExpiredSessions(t *testing.T, s *store.Store, _ string) {
	u := newUser(t, s, "x@example.org", model.RoleStaff)
	for i, ttl := range []time.Duration{time.Minute, time.Hour, 2 * time.Hour} {
		must(t, s.CreateSession(ctx, admin, model.Session{TokenHash: fmt.Sprint("h", i), UserID: u.ID,
			CreatedAt: t0, ExpiresAt: t0.Add(ttl)}))
	}
	at := t0.Add(time.Hour)
	for h, live := range map[string]bool{"h0": false, "h1": false, "h2": true} {
		_, _, err := s.Session(ctx, h, at)
		if (err == nil) != live {
			t.Errorf("session %s at +1h: err %v, want live %v", h, err, live)
		}
	}
	n, err := s.DeleteExpiredSessions(ctx, at)
	must(t, err)
	if n != 2 {
		t.Fatalf("DeleteExpiredSessions = %d, want 2", n)
	}
	if n, _ := s.DeleteExpiredSessions(ctx, at); n != 0 {
		t.Fatalf("second DeleteExpiredSessions = %d", n)
	}
	if _, _, err := s.Session(ctx, "h2", at); err != nil {
		t.Fatal(err)
	}
}

func testThrottling(t *testing.T, s *store.Store, _ string) {
	keys, max := []string{"pair:a@example.org|192.0.2.9", "account:a@example.org"}, []int{3, 0}
	var first []int64
	for i := range 3 {
		ids, counts, err := s.ReserveLogin(ctx, keys, max, t0.Add(-time.Hour), t0.Add(time.Duration(i)*time.Minute))
		must(t, err)
		if len(ids) != 2 || counts[0] != i || counts[1] != i {
			t.Fatalf("reservation %d: ids %v counts %v", i+1, ids, counts)
		}
		if i == 0 {
			first = ids
		}
	}
	ids, counts, err := s.ReserveLogin(ctx, keys, max, t0.Add(-time.Hour), t0.Add(3*time.Minute))
	must(t, err)
	if ids != nil || counts[0] != 3 {
		t.Fatalf("fourth reservation past the limit of 3: ids %v counts %v", ids, counts)
	}
	// The account key alone has no limit; its count goes on.
	ids, counts, err = s.ReserveLogin(ctx, []string{"account:a@example.org"}, []int{0}, t0.Add(-time.Hour), t0.Add(3*time.Minute))
	must(t, err)
	if len(ids) != 1 || counts[0] != 3 {
		t.Fatalf("unlimited key: ids %v counts %v", ids, counts)
	}
	must(t, s.ReleaseLogin(ctx, first))
	if ids, counts, _ := s.ReserveLogin(ctx, keys, max, t0.Add(-time.Hour), t0.Add(4*time.Minute)); len(ids) != 2 || counts[0] != 2 {
		t.Fatalf("after releasing one: ids %v counts %v", ids, counts)
	}
	// A later window does not count (and prunes) the older attempts.
	if ids, counts, _ := s.ReserveLogin(ctx, keys, max, t0.Add(2*time.Minute), t0.Add(20*time.Minute)); len(ids) != 2 || counts[0] != 2 {
		t.Fatalf("later window: ids %v counts %v", ids, counts)
	}
	must(t, s.ClearLoginFailures(ctx, keys[0]))
	if _, counts, _ := s.ReserveLogin(ctx, keys, max, t0.Add(-time.Hour), t0.Add(21*time.Minute)); counts[0] != 0 || counts[1] == 0 {
		t.Fatalf("after clearing the pair: counts %v (the account's must stay)", counts)
	}
	if _, _, err := s.ReserveLogin(ctx, keys, []int{1}, t0, t0); !errs.Is(err, errs.Invalid) {
		t.Fatalf("keys and limits of different lengths: %v", err)
	}
}

func testTokens(t *testing.T, s *store.Store, _ string) {
	u := newUser(t, s, "t@example.org", model.RoleManager)
	v := newUser(t, s, "v@example.org", model.RoleStaff)
	tok := &model.APIToken{UserID: u.ID, Name: "ci", Hash: "hash-1"}
	must(t, s.CreateToken(ctx, admin, tok))
	if tok.ID == 0 || tok.CreatedAt.IsZero() {
		t.Fatalf("CreateToken left %+v", tok)
	}
	if e := lastEvent(t, s); e.Action != "token.create" || e.ObjectID != fmt.Sprint(tok.ID) || strings.Contains(e.Summary, "hash-1") {
		t.Fatalf("token event %+v", e)
	}
	must(t, s.CreateToken(ctx, admin, &model.APIToken{UserID: v.ID, Name: "other", Hash: "hash-2"}))
	wantErr(t, s.CreateToken(ctx, admin, &model.APIToken{UserID: v.ID, Name: "dup", Hash: "hash-2"}), errs.Conflict)
	wantErr(t, s.CreateToken(ctx, admin, &model.APIToken{UserID: 999, Name: "orphan", Hash: "hash-3"}), errs.NotFound)

	got, gu, err := s.TokenByHash(ctx, "hash-1")
	must(t, err)
	if *got != *tok || gu.ID != u.ID {
		t.Fatalf("TokenByHash = %+v %+v", got, gu)
	}
	_, _, err = s.TokenByHash(ctx, "nope")
	wantErr(t, err, errs.NotFound)

	must(t, s.TouchToken(ctx, tok.ID, t0))
	got, _, _ = s.TokenByHash(ctx, "hash-1")
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(t0) {
		t.Fatalf("TouchToken left %v", got.LastUsedAt)
	}
	wantErr(t, s.TouchToken(ctx, 999, t0), errs.NotFound)

	all, err := s.Tokens(ctx, 0)
	must(t, err)
	mine, err := s.Tokens(ctx, u.ID)
	must(t, err)
	if len(all) != 2 || len(mine) != 1 || mine[0].ID != tok.ID {
		t.Fatalf("Tokens(0) = %d, Tokens(u) = %+v", len(all), mine)
	}

	must(t, s.RevokeToken(ctx, admin, tok.ID))
	if e := lastEvent(t, s); e.Action != "token.revoke" || e.ObjectID != fmt.Sprint(tok.ID) {
		t.Fatalf("revoke event %+v", e)
	}
	_, _, err = s.TokenByHash(ctx, "hash-1")
	wantErr(t, err, errs.NotFound)
	n := countEvents(t, s)
	must(t, s.RevokeToken(ctx, admin, tok.ID)) // again: no change, no event
	if countEvents(t, s) != n {
		t.Fatal("revoking a revoked token recorded an event")
	}
	wantErr(t, s.RevokeToken(ctx, admin, 999), errs.NotFound)
	mine, _ = s.Tokens(ctx, u.ID)
	if len(mine) != 1 || mine[0].RevokedAt == nil {
		t.Fatalf("revoked token listed as %+v", mine)
	}

	// A disabled user's tokens stop working.
	now := t0
	v.DisabledAt = &now
	must(t, s.UpdateUser(ctx, admin, v))
	_, _, err = s.TokenByHash(ctx, "hash-2")
	wantErr(t, err, errs.NotFound)
}

func testAuditEvents(t *testing.T, s *store.Store, _ string) {
	before := time.Now().Add(-time.Second)
	u := newUser(t, s, "a1@example.org", model.RoleStaff)
	must(t, s.AppendAudit(ctx, model.AuditEvent{ActorEmail: "someone@example.org", Addr: "203.0.113.5",
		Action: "session.failed", ObjectType: "user", ObjectID: "someone@example.org", Summary: "wrong password",
		Seq: 99, Hash: "ignored"}))
	must(t, s.AppendAudit(ctx, model.AuditEvent{ActorID: u.ID, ActorEmail: u.Email,
		Action: "audit.export", ObjectType: "audit", Summary: "exported 2 events"}))
	must(t, s.SetPassword(ctx, model.Actor{UserID: u.ID, Email: u.Email}, u.ID, "h"))

	all, err := s.AuditEvents(ctx, store.AuditFilter{})
	must(t, err)
	if len(all) != 4 {
		t.Fatalf("%d events, want 4", len(all))
	}
	for i, e := range all {
		if want := int64(4 - i); e.Seq != want {
			t.Fatalf("event %d has seq %d, want %d (newest first)", i, e.Seq, want)
		}
		if e.Hash != e.ComputeHash() || e.At.Before(before) || e.At.Location() != time.UTC {
			t.Fatalf("event %+v: bad hash or time", e)
		}
		if i+1 < len(all) && e.PrevHash != all[i+1].Hash {
			t.Fatalf("event %d does not link to %d", e.Seq, all[i+1].Seq)
		}
	}
	if all[3].PrevHash != "" {
		t.Fatalf("first event links to %q", all[3].PrevHash)
	}
	seqs := func(f store.AuditFilter) string {
		es, err := s.AuditEvents(ctx, f)
		must(t, err)
		var b []string
		for _, e := range es {
			b = append(b, fmt.Sprint(e.Seq))
		}
		return strings.Join(b, ",")
	}
	for _, c := range []struct {
		name string
		f    store.AuditFilter
		want string
	}{
		{"actor", store.AuditFilter{Actor: u.Email}, "4,3"},
		{"action prefix", store.AuditFilter{ActionPrefix: "session."}, "2"},
		{"action prefix is not a pattern", store.AuditFilter{ActionPrefix: "user%"}, ""},
		{"action prefix underscore", store.AuditFilter{ActionPrefix: "user_"}, ""},
		{"full action", store.AuditFilter{ActionPrefix: "user.create"}, "1"},
		{"object", store.AuditFilter{ObjectType: "user", ObjectID: fmt.Sprint(u.ID)}, "4,1"},
		{"since", store.AuditFilter{Since: all[1].At}, "4,3"},
		{"until", store.AuditFilter{Until: all[2].At}, "1"},
		{"before seq", store.AuditFilter{BeforeSeq: 3}, "2,1"},
		{"limit", store.AuditFilter{Limit: 2}, "4,3"},
		{"page", store.AuditFilter{BeforeSeq: 3, Limit: 1}, "2"},
	} {
		if got := seqs(c.f); got != c.want {
			t.Errorf("%s: seqs %q, want %q", c.name, got, c.want)
		}
	}
	if e := all[2]; e.Action != "session.failed" || e.Addr != "203.0.113.5" || e.Summary != "wrong password" {
		t.Fatalf("AppendAudit stored %+v", e)
	}

	var walked []int64
	must(t, s.WalkAudit(ctx, func(e model.AuditEvent) error {
		walked = append(walked, e.Seq)
		return nil
	}))
	if fmt.Sprint(walked) != "[1 2 3 4]" {
		t.Fatalf("WalkAudit order %v", walked)
	}
	stop := errors.New("stop")
	if err := s.WalkAudit(ctx, func(model.AuditEvent) error { return stop }); err != stop {
		t.Fatalf("WalkAudit did not return fn's error: %v", err)
	}
}

func testAccounts(t *testing.T, s *store.Store, _ string) {
	closed := t0
	acc := &model.Account{Platform: "x", Handle: "@HeraldOrg", ProfileURL: "https://x.com/HeraldOrg",
		DisplayName: "Herald", Bio: "The organization", Kind: model.KindProject, Office: "Juba",
		Languages: []string{"en", "ar"}, Audience: "public", Purpose: "news", PostsPerWeek: 3.5,
		Email: "comms@example.org", Contacts: []string{"a@example.org"}, Managers: []string{"m@example.org", "n@example.org"},
		Project: &model.Project{Name: "Juba Bridges", Keywords: []string{"bridge", "Juba"}, EndDate: "2027-06-30"},
		Status:  model.StatusActive, ClosedAt: &closed}
	must(t, s.CreateAccount(ctx, admin, acc))
	if acc.ID == 0 || acc.CreatedAt.IsZero() || !acc.UpdatedAt.Equal(acc.CreatedAt) {
		t.Fatalf("CreateAccount left %+v", acc)
	}
	if e := lastEvent(t, s); e.Action != "account.create" || e.ObjectType != "account" || e.ObjectID != fmt.Sprint(acc.ID) {
		t.Fatalf("account event %+v", e)
	}
	got, err := s.Account(ctx, acc.ID)
	must(t, err)
	if !reflect.DeepEqual(got, acc) {
		t.Fatalf("Account =\n%+v %+v\nwant\n%+v %+v", got, got.Project, acc, acc.Project)
	}
	plain := &model.Account{Platform: "mastodon", Handle: "@herald@social.example", Kind: model.KindCorporate}
	must(t, s.CreateAccount(ctx, admin, plain))
	got, err = s.Account(ctx, plain.ID)
	must(t, err)
	if got.Project != nil || got.Languages != nil || got.Status != model.StatusRequested || got.ClosedAt != nil {
		t.Fatalf("plain account read back as %+v", got)
	}
	wantErr(t, s.CreateAccount(ctx, admin, &model.Account{Platform: "x", Handle: "@heraldorg", Kind: model.KindCorporate}), errs.Conflict)
	wantErr(t, s.CreateAccount(ctx, admin, &model.Account{Platform: "x", Kind: model.KindCorporate}), errs.Invalid)
	_, err = s.Account(ctx, 999)
	wantErr(t, err, errs.NotFound)
}

// seedAccounts creates n accounts spread over platforms, kinds, offices and
// statuses; account i has handle @acct%05d.
func seedAccounts(tb testing.TB, s *store.Store, n int) {
	tb.Helper()
	platforms := []string{"x", "mastodon", "bluesky", "facebook", "instagram"}
	kinds := []string{model.KindCorporate, model.KindCountryOffice, model.KindProject}
	offices := []string{"Juba", "Nairobi", "Geneva", "Bogotá"}
	statuses := []string{model.StatusActive, model.StatusRequested, model.StatusAtRisk, model.StatusClosed}
	for i := range n {
		acc := &model.Account{Platform: platforms[i%5], Handle: fmt.Sprintf("@acct%05d", i),
			DisplayName: fmt.Sprintf("Account %d", i), Kind: kinds[i%3], Office: offices[i%4],
			Status: statuses[i%4], Languages: []string{"en"}}
		if i%100 == 7 {
			acc.DisplayName = "Bridges 100% Juba_team"
		}
		if err := s.CreateAccount(ctx, admin, acc); err != nil {
			tb.Fatal(err)
		}
	}
}

func testAccountsPage(t *testing.T, s *store.Store, _ string) {
	seedAccounts(t, s, 120)
	page := func(f store.AccountFilter) ([]string, int) {
		accs, total, err := s.Accounts(ctx, f)
		must(t, err)
		var hs []string
		for _, a := range accs {
			hs = append(hs, a.Handle)
		}
		return hs, total
	}
	for _, c := range []struct {
		name              string
		f                 store.AccountFilter
		wantTotal         int
		wantFirst, wantAt string // first handle of the page, and the last
		wantLen           int
	}{
		{"default page", store.AccountFilter{}, 120, "@acct00000", "@acct00049", 50},
		{"second page", store.AccountFilter{Offset: 50, Limit: 50}, 120, "@acct00050", "@acct00099", 50},
		{"last page", store.AccountFilter{Offset: 100, Limit: 50}, 120, "@acct00100", "@acct00119", 20},
		{"past the end", store.AccountFilter{Offset: 500}, 120, "", "", 0},
		{"descending", store.AccountFilter{Sort: "-handle", Limit: 3}, 120, "@acct00119", "@acct00117", 3},
		{"platform", store.AccountFilter{Platform: "x", Limit: 100}, 24, "@acct00000", "@acct00115", 24},
		{"platform and status", store.AccountFilter{Platform: "x", Status: model.StatusActive}, 6, "@acct00000", "@acct00100", 6},
		{"kind and office", store.AccountFilter{Kind: model.KindProject, Office: "Juba"}, 10, "@acct00008", "@acct00116", 10},
		{"query, any case", store.AccountFilter{Query: "ACCT0011"}, 10, "@acct00110", "@acct00119", 10},
		{"query with %", store.AccountFilter{Query: "100%"}, 2, "@acct00007", "@acct00107", 2},
		{"query with _", store.AccountFilter{Query: "juba_"}, 2, "@acct00007", "@acct00107", 2},
		{"query _ is no wildcard", store.AccountFilter{Query: "acct_"}, 0, "", "", 0},
		{"query on office", store.AccountFilter{Query: "bogot", Limit: 1}, 30, "@acct00003", "@acct00003", 1},
		{"newest first", store.AccountFilter{Sort: "-created", Limit: 2}, 120, "@acct00119", "@acct00118", 2},
		{"statuses", store.AccountFilter{Statuses: []string{model.StatusActive, model.StatusAtRisk}, Platform: "x"}, 12, "@acct00000", "@acct00110", 12},
		{"statuses, oldest first", store.AccountFilter{Statuses: []string{model.StatusClosed}, Sort: "created", Limit: 2}, 30, "@acct00003", "@acct00007", 2},
		{"requested by nobody here", store.AccountFilter{RequestedBy: 999}, 0, "", "", 0},
	} {
		hs, total := page(c.f)
		first, last := "", ""
		if len(hs) > 0 {
			first, last = hs[0], hs[len(hs)-1]
		}
		if total != c.wantTotal || len(hs) != c.wantLen || first != c.wantFirst || last != c.wantAt {
			t.Errorf("%s: total %d, %d rows %s..%s; want total %d, %d rows %s..%s",
				c.name, total, len(hs), first, last, c.wantTotal, c.wantLen, c.wantFirst, c.wantAt)
		}
	}
	_, _, err := s.Accounts(ctx, store.AccountFilter{Sort: "password"})
	wantErr(t, err, errs.Invalid)
}

// testConcurrentChain writes from many goroutines, through two Store values
// on the same database (as two processes or instances would), and checks
// that the chain is whole: one event per write, no fork, no gap.
func testConcurrentChain(t *testing.T, s *store.Store, url string) {
	s2 := storetest.OpenURL(t, url)
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := []*store.Store{s, s2}[w%2]
			for i := range each {
				var err error
				switch i % 3 {
				case 0:
					err = st.AppendAudit(ctx, model.AuditEvent{ActorEmail: "load", Action: "load.test", Summary: fmt.Sprint(w, i)})
				case 1:
					err = st.CreateUser(ctx, admin, &model.User{Email: fmt.Sprintf("w%d-%d@example.org", w, i), Role: model.RoleStaff})
				case 2:
					err = st.CreateAccount(ctx, admin, &model.Account{Platform: "x", Handle: fmt.Sprintf("@w%d_%d", w, i), Kind: model.KindCorporate})
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checked, broken, err := audit.Verify(ctx, s)
	must(t, err)
	if broken != nil || checked != writers*each {
		t.Fatalf("Verify: %d checked, broken %+v; want %d, none", checked, broken, writers*each)
	}
}

// testAccountUnchanged: an update naming the version it read is refused
// once another update came first, and no field of it is written.
func testAccountUnchanged(t *testing.T, s *store.Store, _ string) {
	acc := &model.Account{Platform: "x", Handle: "@Versioned", Kind: model.KindCorporate, Status: model.StatusActive, Office: "HQ"}
	must(t, s.CreateAccount(ctx, admin, acc))
	read := acc.UpdatedAt
	first, second := *acc, *acc
	first.Office = "Geneva"
	must(t, s.UpdateAccount(ctx, admin, &first, &read))
	second.Office = "Nairobi"
	wantErr(t, s.UpdateAccount(ctx, admin, &second, &read), errs.PreconditionFailed)
	got, err := s.Account(ctx, acc.ID)
	must(t, err)
	if got.Office != "Geneva" {
		t.Fatalf("office %q after a stale update, want Geneva", got.Office)
	}
	// The fresh version is accepted.
	fresh := got.UpdatedAt
	second.UpdatedAt = fresh
	must(t, s.UpdateAccount(ctx, admin, &second, &fresh))
}
