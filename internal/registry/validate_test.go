package registry

import (
	"context"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// badFields are account fields the review found stored (issue 10, item 12)
// and others of the same kinds, each with the field its error must name
// and a word of the limit it must state.
var badFields = []struct {
	name, field, limit string
	edit               func(a *model.Account)
}{
	{"javascript URL", "profile_url", "https", func(a *model.Account) { a.ProfileURL = "javascript:alert(1)//x.com/UNOPS_Haiti" }},
	{"data URL", "profile_url", "https", func(a *model.Account) { a.ProfileURL = "data:text/html,<script>alert(1)</script>" }},
	{"negative plan", "posts_per_week", "1000", func(a *model.Account) { a.PostsPerWeek = -5 }},
	{"huge plan", "posts_per_week", "1000", func(a *model.Account) { a.PostsPerWeek = 1e308 }},
	{"infinite plan", "posts_per_week", "1000", func(a *model.Account) { a.PostsPerWeek = math.Inf(1) }},
	{"NaN plan", "posts_per_week", "1000", func(a *model.Account) { a.PostsPerWeek = math.NaN() }},
	{"900 KB display name", "display_name", "200", func(a *model.Account) { a.DisplayName = strings.Repeat("U", 900<<10) }},
	{"201 characters of display name", "display_name", "200", func(a *model.Account) { a.DisplayName = strings.Repeat("é", 201) }},
	{"invalid UTF-8", "bio", "UTF-8", func(a *model.Account) { a.Bio = "UNOPS \xff\xfe Haïti" }},
	{"control character", "office", "control", func(a *model.Account) { a.Office = "Haiti\x00" }},
	{"line break in a name", "display_name", "control", func(a *model.Account) { a.DisplayName = "UNOPS\nHaïti" }},
	{"long purpose", "purpose", "2000", func(a *model.Account) { a.Purpose = strings.Repeat("a", 2001) }},
	{"long audience", "audience", "2000", func(a *model.Account) { a.Audience = strings.Repeat("a", 2001) }},
	{"bad language", "languages", "language code", func(a *model.Account) { a.Languages = []string{"fr", "<b>"} }},
	{"too many contacts", "contacts", "50", func(a *model.Account) { a.Contacts = make([]string, 51) }},
	{"bad manager", "managers", "e-mail", func(a *model.Account) { a.Managers = []string{"javascript:alert(1)"} }},
	{"bad e-mail", "email", "e-mail", func(a *model.Account) { a.Email = "nobody" }},
	{"bad project end", "project_end_date", "2027-06-30", func(a *model.Account) {
		a.Kind, a.Project = "project", &model.Project{Name: "Haiti schools", EndDate: "soon"}
	}},
}

func wantFieldError(t *testing.T, what, field, limit string, err error) {
	t.Helper()
	e := errs.Of(err)
	if !errs.Is(err, errs.Invalid) || !strings.HasPrefix(e.Key, "account.field_") ||
		!strings.HasPrefix(e.Message, field+" ") || !strings.Contains(e.Message, limit) {
		t.Errorf("%s: %v (kind %s, key %q), want invalid naming %s and %q", what, err, errs.KindOf(err), e.Key, field, limit)
	}
	if len(e.Message) > 300 {
		t.Errorf("%s: a message of %d bytes echoes the input", what, len(e.Message))
	}
}

// TestFieldsValidatedOnEveryPath (issue 10, item 12): a request, a
// resubmission, a registration, an edit and an import refuse the same bad
// fields, each naming the field and its limit, and store nothing.
func TestFieldsValidatedOnEveryPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		good, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range badFields {
			in := haitiRequest()
			in.Handle = "@UNOPS_Bad"
			c.edit(&in)
			_, err := f.svc.Request(ctx, f.managerA, f.manager, in, "")
			wantFieldError(t, "request with "+c.name, c.field, c.limit, err)
			_, err = f.svc.Register(ctx, f.adminA, "en", in)
			wantFieldError(t, "registration with "+c.name, c.field, c.limit, err)

			edit := good.Account
			c.edit(&edit)
			_, err = f.svc.Update(ctx, f.adminA, f.admin, edit)
			wantFieldError(t, "edit with "+c.name, c.field, c.limit, err)
		}
		if _, total, err := f.svc.Accounts(ctx, store.AccountFilter{Limit: 10}); err != nil || total != 1 {
			t.Errorf("%d accounts stored, %v; want only the good one", total, err)
		}
		stored, err := f.svc.Account(ctx, good.Account.ID)
		if err != nil || stored.DisplayName != haitiRequest().DisplayName || stored.PostsPerWeek != 4 {
			t.Errorf("the good account changed: %+v, %v", stored, err)
		}

		// A resubmitted request goes through the same rule.
		req, err := f.svc.Request(ctx, f.managerA, f.manager, model.Account{Platform: "x", Handle: "@UNOPS_Peru",
			Kind: "country-office", Office: "Peru", PostsPerWeek: 2}, "only its fields are under test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, req.Account.ID, "request-changes", "say more"); err != nil {
			t.Fatal(err)
		}
		again := req.Account
		again.PostsPerWeek = -5
		_, err = f.svc.Resubmit(ctx, f.managerA, f.manager, req.Account.ID, again)
		wantFieldError(t, "resubmission with -5 posts a week", "posts_per_week", "1000", err)

		// Limits count characters, not bytes: 200 two-byte letters pass.
		ok := good.Account
		ok.DisplayName = strings.Repeat("é", 200)
		if _, err := f.svc.Update(ctx, f.adminA, f.admin, ok); err != nil {
			t.Errorf("200 characters of display name: %v", err)
		}
	})
}

// TestImportValidatesFields (issue 10, item 12): a CSV import reports the
// same field problems at their line, and commits nothing.
func TestImportValidatesFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		csv := "platform,handle,kind,office,display_name,bio,posts_per_week\n" +
			"x,@UNOPS_One,corporate,HQ," + strings.Repeat("N", 5000) + ",fine,2\n" +
			"x,@UNOPS_Two,corporate,HQ,Two,\"bad \xff byte\",2\n" +
			"x,@UNOPS_Three,corporate,HQ,Three,fine,-5\n" +
			"x,@UNOPS_Four,corporate,HQ,Four,fine,3\n"
		pv, err := f.svc.PreviewImport(ctx, strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range pv.Problems {
			got = append(got, p.Field)
			if p.Field == "display_name" && !strings.Contains(p.Message, "200") {
				t.Errorf("display name problem %q does not state the limit", p.Message)
			}
		}
		if want := "display_name bio posts_per_week"; strings.Join(got, " ") != want {
			t.Errorf("problems at fields %q, want %q: %+v", got, want, pv.Problems)
		}
		if n, err := f.svc.CommitImport(ctx, f.adminA, strings.NewReader(csv)); err == nil || n != (ImportResult{}) {
			t.Errorf("commit: %+v, %v; want none and the problems", n, err)
		}
		if _, total, _ := f.svc.Accounts(ctx, store.AccountFilter{Limit: 10}); total != 0 {
			t.Errorf("%d accounts stored by a refused import", total)
		}
	})
}

// FuzzFieldProblems: any field values give problems that name their field
// first, are valid UTF-8 and stay short, and validateAccount agrees.
func FuzzFieldProblems(f *testing.F) {
	f.Add("javascript:alert(1)", "UNOPS", "bio\nline", "fr", "a@b.org", -5.0)
	f.Add("https://x.com/a", strings.Repeat("é", 201), "\xff", "<b>", "nobody", 1e308)
	f.Fuzz(func(t *testing.T, url, name, bio, lang, email string, posts float64) {
		acc := model.Account{ProfileURL: url, DisplayName: name, Bio: bio, Languages: []string{lang},
			Email: email, Managers: []string{email}, Contacts: []string{name}, PostsPerWeek: posts}
		ps := fieldProblems(&acc)
		for _, p := range ps {
			if !strings.HasPrefix(p.Err.Message, p.Field+" ") || !utf8.ValidString(p.Err.Message) || len(p.Err.Message) > 1200 {
				t.Errorf("problem %q of field %s", p.Err.Message, p.Field)
			}
		}
		if err := validateAccount(&acc); (err == nil) != (len(ps) == 0) {
			t.Errorf("validateAccount %v with %d problems", err, len(ps))
		}
	})
}
