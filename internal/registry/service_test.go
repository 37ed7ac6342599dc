package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/notify/smtptest"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

type fixture struct {
	svc                         *Service
	admin, reviewer, manager    *model.User
	adminA, reviewerA, managerA model.Actor
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	st := storetest.Open(t, dialect)
	f := &fixture{svc: &Service{Store: st, Pack: testPack(t)}}
	ctx := context.Background()
	mk := func(email string, role model.Role) (*model.User, model.Actor) {
		u := &model.User{Email: email, Name: email, Role: role}
		if err := st.CreateUser(ctx, model.SystemActor("test"), u); err != nil {
			t.Fatal(err)
		}
		return u, model.Actor{UserID: u.ID, Email: u.Email}
	}
	f.admin, f.adminA = mk("admin@unops.org", model.RoleAdmin)
	f.reviewer, f.reviewerA = mk("reviewer@unops.org", model.RoleReviewer)
	f.manager, f.managerA = mk("manager@unops.org", model.RoleManager)
	return f
}

func haitiRequest() model.Account {
	return model.Account{Platform: "x", Handle: "@UNOPS_Haiti", DisplayName: "UNOPS Haïti",
		Kind: "country-office", Office: "Haiti", Languages: []string{"fr", "ht"},
		Audience: "Haitian public and partners", Purpose: "Reconstruction projects in Haiti",
		PostsPerWeek: 4, Email: "haiti.comms@unops.org", Contacts: []string{"A. Joseph", "M. Pierre"}}
}

func TestServiceRequestFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		srv := smtptest.Start(t)
		host, port, _ := net.SplitHostPort(srv.Addr)
		p, _ := strconv.Atoi(port)
		n := notify.New(f.svc.Store, notify.SMTPConfig{Host: host, Port: p, From: "herald@unops.org", TLS: "none"}, nil)
		n.Backoff = time.Millisecond
		var clock time.Time // zero: the real time; the e-mail passes below set it
		n.Now = func() time.Time {
			if clock.IsZero() {
				return time.Now()
			}
			return clock
		}
		f.svc.Notify = n
		if err := n.SetMode(ctx, f.reviewerA, f.reviewer.ID, model.NotifyOff); err != nil {
			t.Fatal(err)
		}

		res, err := f.svc.Request(ctx, f.managerA, f.manager, haitiRequest(), "")
		if err != nil {
			t.Fatal(err)
		}
		id := res.Account.ID
		// The Communications Group is told of the request: in the app, and
		// by e-mail as each chose (the reviewer turned e-mail off).
		for _, c := range []struct {
			u     *model.User
			email string
		}{{f.admin, model.EmailPending}, {f.reviewer, model.EmailNone}} {
			ns, err := n.Unread(ctx, c.u.ID)
			if err != nil || len(ns) != 1 || ns[0].Key != "request.new" || ns[0].Kind != notify.KindRequest ||
				ns[0].Link != "/requests/"+strconv.FormatInt(id, 10) || ns[0].EmailState != c.email ||
				notify.Text("en", ns[0]) != "manager@unops.org asks for a new account @UNOPS_Haiti on x." {
				t.Fatalf("%s's notice of the request: %+v, %v", c.u.Email, ns, err)
			}
		}
		if res.Account.Status != model.StatusRequested || res.Account.HandleKey != "unops_haiti" || res.Account.RequestedBy != f.manager.ID {
			t.Fatalf("request stored as %+v", res.Account)
		}
		if res.Checks == nil || res.Overlaps == nil {
			t.Fatalf("checks %v overlaps %v: want non-nil lists for the JSON", res.Checks, res.Overlaps)
		}
		// Requests are not public.
		if v, err := f.svc.Verify(ctx, "x", "unops_haiti"); err != nil || v.Official || v.Status != "unknown" {
			t.Fatalf("verify a request = %+v, %v", v, err)
		}
		if _, err := f.svc.Decide(ctx, f.managerA, f.manager, id, "approve", "ok"); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("manager decides: %v", err)
		}
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, id, "request-changes", "  "); !errors.Is(err, ErrReasonRequired) {
			t.Fatalf("no reason: %v", err)
		}
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, id, "request-changes", "Add Creole to the plan"); err != nil {
			t.Fatal(err)
		}
		edit := haitiRequest()
		edit.PostsPerWeek = 5
		if _, err := f.svc.Resubmit(ctx, f.reviewerA, f.reviewer, id, edit); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("someone else resubmits: %v", err)
		}
		res, err = f.svc.Resubmit(ctx, f.managerA, f.manager, id, edit)
		if err != nil || res.Account.Status != model.StatusInReview || res.Account.PostsPerWeek != 5 {
			t.Fatalf("resubmit = %+v, %v", res, err)
		}
		acc, err := f.svc.Decide(ctx, f.adminA, f.admin, id, "approve", "Fits the strategy")
		if err != nil || acc.Status != model.StatusActive {
			t.Fatalf("approve = %+v, %v", acc, err)
		}
		if _, err := f.svc.Decide(ctx, f.adminA, f.admin, id, "reject", "again"); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("deciding on an active account: %v", err)
		}
		v, err := f.svc.Verify(ctx, "twitter", "https://twitter.com/unops_haiti?lang=fr")
		if err != nil || !v.Official || v.Status != model.StatusActive || v.Office != "Haiti" || v.Kind != "country-office" {
			t.Fatalf("verify approved = %+v, %v", v, err)
		}

		view, err := f.svc.View(ctx, "en", id)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range view.History {
			steps = append(steps, e.From+">"+e.To+":"+e.Reason)
		}
		want := ">requested:|requested>changes-requested:Add Creole to the plan|changes-requested>in-review:resubmitted with changes|in-review>active:Fits the strategy"
		if got := strings.Join(steps, "|"); got != want {
			t.Errorf("history\n got %s\nwant %s", got, want)
		}
		if view.RequestedBy == nil || view.RequestedBy.ID != f.manager.ID {
			t.Errorf("requested by %+v", view.RequestedBy)
		}
		evs, err := f.svc.Store.AuditEvents(ctx, store.AuditFilter{ObjectType: "account", ObjectID: strconv.FormatInt(id, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			actions = append([]string{e.Action}, actions...)
		}
		if got := strings.Join(actions, ","); got != "account.create,account.request-changes,account.resubmit,account.approve" {
			t.Errorf("audit trail: %s", got)
		}

		// Two decisions, two notifications, both queued as e-mails.
		unread, err := n.Unread(ctx, f.manager.ID)
		if err != nil || len(unread) != 2 {
			t.Fatalf("unread = %d, %v", len(unread), err)
		}
		if unread[0].EmailState != model.EmailPending || !strings.Contains(unread[0].Subject, "approved") {
			t.Fatalf("newest notification %+v", unread[0])
		}
		srv.FailNext(1)
		clock = time.Now()
		sent, failed, err := n.SendPending(ctx) // the admin's notice of the request, the manager's two
		if err != nil || sent != 2 || failed != 1 {
			t.Fatalf("first pass sent %d failed %d, %v", sent, failed, err)
		}
		clock = clock.Add(time.Second) // past the backoff (1 ms), whatever the database's time precision
		sent, failed, err = n.SendPending(ctx)
		if err != nil || sent != 1 || failed != 0 {
			t.Fatalf("retry pass sent %d failed %d, %v", sent, failed, err)
		}
		msgs := srv.Messages()
		to := map[string]int{}
		for _, m := range msgs {
			to[m.To[0]]++
		}
		if len(msgs) != 3 || to["admin@unops.org"] != 1 || to["manager@unops.org"] != 2 {
			t.Fatalf("server got %+v", msgs)
		}
		var approval string
		for _, m := range msgs {
			if strings.Contains(m.Data, "was approved") {
				approval = m.Data
			}
		}
		if !strings.Contains(approval, "Fits the strategy") {
			t.Errorf("approval mail lacks the comment:\n%s", approval)
		}
		if err := n.MarkRead(ctx, f.manager.ID, unread[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := n.MarkRead(ctx, f.admin.ID, unread[1].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("marking someone else's: %v", err)
		}
	})
}

func TestServiceDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		// A reviewer's own request: nobody, not even an admin acting as that reviewer, self-decides.
		res, err := f.svc.Request(ctx, f.reviewerA, f.reviewer, haitiRequest(), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, res.Account.ID, "approve", "mine"); !errors.Is(err, ErrSelfDecision) {
			t.Fatalf("self decision: %v", err)
		}
		if _, err := f.svc.Request(ctx, f.managerA, f.manager, haitiRequest(), ""); !errs.Is(err, errs.Conflict) {
			t.Fatalf("same handle twice: %v", err)
		}
		acc, err := f.svc.Decide(ctx, f.adminA, f.admin, res.Account.ID, "reject", "One account for Haiti is enough")
		if err != nil || acc.Status != model.StatusRejected {
			t.Fatalf("reject = %+v, %v", acc, err)
		}
		if v, _ := f.svc.Verify(ctx, "x", "@UNOPS_Haiti"); v.Official || v.Status != "unknown" {
			t.Fatalf("rejected verifies as %+v", v)
		}
		if _, err := f.svc.Decide(ctx, f.adminA, f.admin, res.Account.ID, "maybe", "x"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown decision: %v", err)
		}
		if _, _, err := f.svc.Requests(ctx, 0, "active", 0, 0); !errs.Is(err, errs.Invalid) {
			t.Fatalf("requests in status active: %v", err)
		}
	})
}

func TestServiceVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		reg := func(platform, handle string) int64 {
			a := haitiRequest()
			a.Platform, a.Handle = platform, handle
			r, err := f.svc.Register(ctx, f.adminA, "en", a)
			if err != nil {
				t.Fatalf("register %s %s: %v", platform, handle, err)
			}
			return r.Account.ID
		}
		reg("x", "UNOPS_es")
		reg("mastodon", "@unops@mastodon.social")
		closed := reg("instagram", "unops_old")
		if _, err := f.svc.Transition(ctx, f.adminA, closed, model.StatusClosed, ""); !errors.Is(err, ErrReasonRequired) {
			t.Fatalf("close without reason: %v", err)
		}
		if _, err := f.svc.Transition(ctx, f.adminA, closed, model.StatusClosed, "Merged into @unops"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Transition(ctx, f.adminA, closed, model.StatusActive, "reopen"); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("reopen closed: %v", err)
		}
		for _, c := range []struct {
			platform, handle string
			official         bool
			status           string
		}{
			{"x", "UNOPS_es", true, "active"},
			{"x", "@unops_ES", true, "active"},
			{"twitter", "https://x.com/UNOPS_es/status/1", true, "active"},
			{"x", "www.twitter.com/unops_es", true, "active"},
			{"mastodon", "unops@mastodon.social", true, "active"},
			{"mastodon", "@UNOPS@mastodon.social", true, "active"},
			{"mastodon", "https://mastodon.social/@unops", true, "active"},
			{"instagram", "@unops_old", false, "closed"},
			{"instagram", "https://www.instagram.com/unops_old/", false, "closed"},
			{"x", "unops_fr", false, "unknown"},
			{"instagram", "unops_es", false, "unknown"},
		} {
			v, err := f.svc.Verify(ctx, c.platform, c.handle)
			if err != nil || v.Official != c.official || v.Status != c.status {
				t.Errorf("Verify(%s, %s) = %+v, %v; want official %v status %s", c.platform, c.handle, v, err, c.official, c.status)
			}
			if c.status == "closed" && (v.ClosedAt == nil || v.ClosedAt.IsZero()) {
				t.Errorf("closed account without closed_at: %+v", v)
			}
		}
		for _, bad := range [][2]string{{"x", ""}, {"myspace", "unops"}, {"x", "https://example.com/unops"}} {
			if _, err := f.svc.Verify(ctx, bad[0], bad[1]); !errs.Is(err, errs.Invalid) {
				t.Errorf("Verify(%q, %q): %v, want ErrInvalid", bad[0], bad[1], err)
			}
		}
	})
}

// TestServiceOverlap: against the realistic registry, a Spanish request on
// X from headquarters for Latin America finds @UNOPS_es first (a Panama
// office would rightly find @UNOPS_Panama).
func TestServiceOverlap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		raw, err := os.ReadFile("testdata/registry.csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CommitImport(ctx, f.adminA, bytes.NewReader(raw)); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Request(ctx, f.managerA, f.manager, model.Account{Platform: "x", Handle: "UNOPS_LatAm",
			DisplayName: "UNOPS América Latina", Kind: "corporate", Office: "HQ Communications", Languages: []string{"es"},
			Audience: "Spanish-speaking media in Latin America", Purpose: "noticias de proyectos de UNOPS en español",
			PostsPerWeek: 5, Email: "latam.comms@unops.org", Contacts: []string{"a", "b"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Overlaps) == 0 || !strings.EqualFold(res.Overlaps[0].Handle, "@UNOPS_es") {
			t.Fatalf("overlaps %+v, want @UNOPS_es first", res.Overlaps)
		}
	})
}

func TestServiceImportExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		ayiti := haitiRequest()
		ayiti.Handle = "UNOPS_Ayiti"
		if _, err := f.svc.Register(ctx, f.adminA, "en", ayiti); err != nil {
			t.Fatal(err)
		}
		bad := "platform,handle,kind,office\n" +
			"x,unops_kenya,country-office,Kenya\n" +
			"x,https://x.com/unops_kenya,country-office,Kenya\n" + // twice in the file
			"x,unops_peru,satellite,Peru\n" + // unknown kind
			"x,not a handle,corporate,HQ\n" // refused once, not once per check
		pv, err := f.svc.PreviewImport(ctx, strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]int{}
		for _, p := range pv.Problems {
			lines[p.Line]++
		}
		if len(lines) != 3 || lines[3] != 1 || lines[4] != 1 || lines[5] != 1 {
			t.Fatalf("problems %v, want one each on lines 3, 4 and 5", pv.Problems)
		}
		res, err := f.svc.CommitImport(ctx, f.adminA, strings.NewReader(bad))
		var ie *ImportError
		if res != (ImportResult{}) || !errors.As(err, &ie) {
			t.Fatalf("commit of a bad file = %+v, %v", res, err)
		}
		if _, total, _ := f.svc.Store.Accounts(ctx, store.AccountFilter{}); total != 1 {
			t.Fatalf("a refused import wrote %d accounts", total-1)
		}

		raw, err := os.ReadFile("testdata/registry.csv")
		if err != nil {
			t.Fatal(err)
		}
		res, err = f.svc.CommitImport(ctx, f.adminA, bytes.NewReader(raw))
		if err != nil || res.Added != 36 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		var out bytes.Buffer
		if err := f.svc.Export(ctx, &out, store.AccountFilter{}); err != nil {
			t.Fatal(err)
		}
		g := newFixture(t, dialect)
		res, err = g.svc.CommitImport(ctx, g.adminA, bytes.NewReader(out.Bytes()))
		if err != nil || res.Added != 37 {
			t.Fatalf("import of the export into an empty registry = %+v, %v", res, err)
		}
		var again bytes.Buffer
		if err := g.svc.Export(ctx, &again, store.AccountFilter{}); err != nil {
			t.Fatal(err)
		}
		if a, b := stripIDs(out.String()), stripIDs(again.String()); a != b {
			t.Errorf("export → import → export differs:\n%s\n---\n%s", a, b)
		}

		// Re-importing an unchanged export changes nothing, not even the
		// audit trail.
		before, _ := f.svc.Store.AuditEvents(ctx, store.AuditFilter{Limit: 100000})
		res, err = f.svc.CommitImport(ctx, f.adminA, bytes.NewReader(out.Bytes()))
		if err != nil || res != (ImportResult{Unchanged: 37}) {
			t.Fatalf("re-import of an unchanged export = %+v, %v", res, err)
		}
		after, _ := f.svc.Store.AuditEvents(ctx, store.AuditFilter{Limit: 100000})
		if len(after) != len(before) {
			t.Errorf("an unchanged re-import wrote %d audit events", len(after)-len(before))
		}
	})
}

func TestServiceImportUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		haiti, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest())
		if err != nil {
			t.Fatal(err)
		}
		id := haiti.Account.ID
		// The file writes the handle in another form, changes the office and
		// the bio (over two lines), and has no purpose column: the purpose
		// is kept. Line 4 adds an account; line 5's problem comes after the
		// multi-line cell and must be counted as line 5.
		file := "platform,handle,kind,office,bio,status\n" +
			"x,https://x.com/unops_haiti,country-office,Haiti Country Office,\"Rebuilding schools\nand roads\",active\n" +
			"x,@UNOPS_Peru,country-office,Peru,,active\n" +
			"x,@UNOPS_Chile,country office,Chile,,\n"
		pv, err := f.svc.PreviewImport(ctx, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if len(pv.Problems) != 1 || pv.Problems[0].Line != 5 || pv.Problems[0].Field != "kind" {
			t.Fatalf("problems %v, want one at line 5 on kind", pv.Problems)
		}
		file = strings.Replace(file, "country office", "country-office", 1)
		pv, err = f.svc.PreviewImport(ctx, strings.NewReader(file))
		if err != nil || !pv.OK() {
			t.Fatalf("preview: %v %v", pv.Problems, err)
		}
		row := pv.Rows[0]
		want := []FieldChange{
			{Field: "bio", From: haiti.Account.Bio, To: "Rebuilding schools\nand roads"},
			{Field: "office", From: "Haiti", To: "Haiti Country Office"},
		}
		if row.Action() != ImportUpdate || row.ExistingID != id || !reflect.DeepEqual(row.Changes, want) {
			t.Fatalf("row 2: %s of %d, changes %+v; want update of %d, %+v", row.Action(), row.ExistingID, row.Changes, id, want)
		}
		if pv.Rows[1].Action() != ImportAdd || pv.Rows[2].Action() != ImportAdd {
			t.Fatalf("rows 3, 4: %s, %s; want add, add", pv.Rows[1].Action(), pv.Rows[2].Action())
		}
		res, err := f.svc.CommitImport(ctx, f.adminA, strings.NewReader(file))
		if err != nil || res != (ImportResult{Added: 2, Updated: 1}) {
			t.Fatalf("commit = %+v, %v", res, err)
		}
		got, err := f.svc.Store.Account(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Office != "Haiti Country Office" || got.Bio != "Rebuilding schools\nand roads" ||
			got.Purpose != haiti.Account.Purpose || got.Handle != "@UNOPS_Haiti" {
			t.Errorf("updated account %+v", got)
		}
		// The same file again changes nothing.
		res, err = f.svc.CommitImport(ctx, f.adminA, strings.NewReader(file))
		if err != nil || res != (ImportResult{Unchanged: 3}) {
			t.Fatalf("second commit = %+v, %v", res, err)
		}
		// A status the registry does not have is refused, naming the account.
		closed := strings.Replace(file, ",active\n", ",closed\n", 1)
		pv, err = f.svc.PreviewImport(ctx, strings.NewReader(closed))
		if err != nil || len(pv.Problems) != 1 || pv.Problems[0].Field != "status" ||
			!strings.Contains(pv.Problems[0].Message, fmt.Sprintf("/accounts/%d", id)) {
			t.Fatalf("status change: %v %v", pv.Problems, err)
		}
	})
}

// stripIDs drops the id column, which each database assigns, and the
// timestamps are kept: the import takes them from the file.
func stripIDs(csv string) string {
	var b strings.Builder
	for _, l := range strings.Split(csv, "\n") {
		_, rest, _ := strings.Cut(l, ",")
		b.WriteString(rest + "\n")
	}
	return b.String()
}

func TestServiceFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		if _, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest()); err != nil {
			t.Fatal(err)
		}
		list := "Platform,Handle,Display Name,URL,Followers\n" +
			"x,unops_haiti,UNOPS Haiti,,100\n" + // registered: skipped
			"x,UNOPSKenyaJobs,Jobs in Kenya,https://x.com/UNOPSKenyaJobs,5200\n" +
			"instagram,juba.bridges,Bureau des Nations Unies pour les services d'appui aux projets,,\n" +
			"x,weatherfan,Weather fan,,12\n" + // no org name: skipped
			"x,https://x.com/unopskenyajobs,dup,,\n" // already queued from this file: skipped
		added, skipped, problems, err := f.svc.ImportFound(ctx, f.adminA, strings.NewReader(list))
		if err != nil || len(problems) > 0 || added != 2 || skipped != 3 {
			t.Fatalf("ImportFound = %d added, %d skipped, %v, %v", added, skipped, problems, err)
		}
		_, _, problems, err = f.svc.ImportFound(ctx, f.adminA, strings.NewReader("platform,handle,followers\nx,unops_a,many\nmyspace,unops,\n"))
		if err != nil || len(problems) != 2 || problems[0].Line != 2 || problems[1].Line != 3 {
			t.Fatalf("bad list: %v, %v", problems, err)
		}
		queue, total, err := f.svc.Found(ctx, model.FoundNew, 0, 0)
		if err != nil || total != 2 {
			t.Fatalf("queue %d, %v", total, err)
		}
		if queue[0].Followers == nil || *queue[0].Followers != 5200 {
			t.Errorf("followers %v", queue[0].Followers)
		}
		imp := queue[0].ID
		if _, err := f.svc.Triage(ctx, f.adminA, imp, "impersonation", ""); !errors.Is(err, ErrReasonRequired) {
			t.Fatalf("impersonation without reason: %v", err)
		}
		fa, err := f.svc.Triage(ctx, f.adminA, imp, "impersonation", "Fake job offers")
		if err != nil || fa.TakedownState != model.TakedownRequested {
			t.Fatalf("triage = %+v, %v", fa, err)
		}
		if _, err := f.svc.SetTakedown(ctx, f.adminA, imp, model.TakedownRemoved, "gone"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetTakedown(ctx, f.adminA, imp, model.TakedownSubmitted, ""); !errors.Is(err, ErrBadTransition) {
			t.Fatalf("takedown backwards: %v", err)
		}
		if _, err := f.svc.Triage(ctx, f.adminA, queue[1].ID, "personal", ""); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := f.svc.Found(ctx, model.FoundNew, 0, 0); total != 0 {
			t.Errorf("%d left in the queue", total)
		}
		got, _ := f.svc.Store.FoundAccount(ctx, imp)
		if got.State != model.FoundImpersonation || got.TakedownState != model.TakedownRemoved || got.Reason != "Fake job offers" {
			t.Errorf("stored %+v", got)
		}
	})
}

func BenchmarkImport10k(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("platform,handle,display_name,kind,office,languages,email,contacts,project_name,project_end_date\n")
	for i := range 10000 {
		fmt.Fprintf(&buf, "x,unops_b%05d,UNOPS Bench %d,project,Office %d,en;fr,bench%d@unops.org,A;B,Bench %d,2030-12-31\n", i, i, i%40, i, i)
	}
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		b.Run(dialect, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := storetest.Open(b, dialect)
				svc := &Service{Store: st}
				b.StartTimer()
				n, err := svc.CommitImport(context.Background(), model.SystemActor("bench"), bytes.NewReader(buf.Bytes()))
				if err != nil || n.Added != 10000 {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// TestServiceTransitionWarns: an account put at risk or proposed for
// closure by hand tells its managers (in their language) and the other
// admins, as the daily evaluation does; the admin who did it is not told.
func TestServiceTransitionWarns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		st := f.svc.Store
		other := &model.User{Email: "admin2@unops.org", Name: "Admin Two", Role: model.RoleAdmin}
		if err := st.CreateUser(ctx, f.adminA, other); err != nil {
			t.Fatal(err)
		}
		if err := st.SetUserLang(ctx, f.managerA, f.manager.ID, "es"); err != nil {
			t.Fatal(err)
		}
		a := haitiRequest()
		a.Managers = []string{f.manager.Email}
		r, err := f.svc.Register(ctx, f.adminA, "en", a)
		if err != nil {
			t.Fatal(err)
		}
		id := r.Account.ID
		for _, to := range []string{model.StatusAtRisk, model.StatusClosureProposed} {
			if _, err := f.svc.Transition(ctx, f.adminA, id, to, "No posts since June"); err != nil {
				t.Fatalf("%s: %v", to, err)
			}
			for _, u := range []*model.User{f.manager, other} {
				ns, err := st.Notifications(ctx, u.ID, 10)
				if err != nil || len(ns) == 0 || ns[0].Key != "account."+to || ns[0].Link != fmt.Sprintf("/accounts/%d", id) ||
					!strings.Contains(ns[0].Body, "No posts since June") {
					t.Fatalf("%s: %s's notifications: %v %+v", to, u.Email, err, ns)
				}
			}
			if ns, _ := st.Notifications(ctx, f.manager.ID, 1); !strings.Contains(ns[0].Subject, "@UNOPS_Haiti") || strings.Contains(ns[0].Subject, "under policy") {
				t.Errorf("%s: the manager's notice is not in Spanish: %q", to, ns[0].Subject)
			}
		}
		if ns, _ := st.Notifications(ctx, f.admin.ID, 10); len(ns) != 0 {
			t.Errorf("the acting admin was told: %+v", ns)
		}
		if ns, _ := st.Notifications(ctx, f.reviewer.ID, 10); len(ns) != 0 {
			t.Errorf("a reviewer was told: %+v", ns)
		}
	})
}
