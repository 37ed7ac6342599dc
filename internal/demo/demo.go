// Package demo seeds a demonstration organization: the corporate accounts
// the policy names, a few country office and project accounts on several
// platforms, and one user per role. Seeding twice changes nothing.
package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// Password is every demo user's password. Demo mode also offers one-click
// sign-in, so this is a convenience, not a secret.
const Password = "demo-password"

// Email is the demo user of role's address.
func Email(role model.Role) string { return string(role) + "@demo.herald.invalid" }

var actor = model.SystemActor("demo")

// Seed creates whatever of the demo organization is missing.
func Seed(ctx context.Context, st *store.Store, pack *policy.Pack) error {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, role := range model.Roles {
		u := &model.User{Email: Email(role), Name: "Demo " + strings.ToUpper(string(role[:1])) + string(role[1:]),
			Role: role, PasswordHash: hash}
		if err := st.CreateUser(ctx, actor, u); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("demo user %s: %w", u.Email, err)
		}
	}
	for _, a := range accounts(pack) {
		// The key public verification looks accounts up by, as the
		// registry service sets it for accounts it creates.
		key, err := registry.NormalizeHandle(a.Platform, a.Handle)
		if err != nil {
			return fmt.Errorf("demo account %s on %s: %w", a.Handle, a.Platform, err)
		}
		a.HandleKey = key
		if err := st.CreateAccount(ctx, actor, &a); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("demo account %s on %s: %w", a.Handle, a.Platform, err)
		}
	}
	return nil
}

// accounts is the demo registry.
func accounts(pack *policy.Pack) []model.Account {
	var out []model.Account
	for _, da := range demoAccounts(pack) {
		out = append(out, da.Account)
	}
	return out
}

// demoAccounts is the demo registry with each account's activity. The
// corporate handles come from the pack (for the default pack: @UNOPS,
// @UNOPS_es and @UNOPS_fr on X, as policy 2.1 names them); the rest is
// invented for the demonstration.
func demoAccounts(pack *policy.Pack) []demoAccount {
	org := pack.Organization
	name := org.Name
	domain := "example.org"
	if len(org.Domains) > 0 {
		domain = org.Domains[0]
	}
	hq := org.Headquarters
	if hq == "" {
		hq = "Headquarters"
	}
	team := "socialmedia@" + domain
	managers := []string{Email(model.RoleManager)}
	var accs []demoAccount
	for i, h := range org.Handles {
		lang := "en"
		if i := strings.LastIndex(h, "_"); i > 0 {
			lang = strings.ToLower(h[i+1:])
		}
		// The third corporate account stopped posting seven weeks ago.
		act := activity{perWeek: 10, followers: 90000 / int64(i+1), growth: 0.08, engagement: 0.002, age: 12}
		if i == 2 {
			act.quietDays, act.growth = 50, -0.02
		}
		accs = append(accs, demoAccount{model.Account{Platform: "x", Handle: "@" + h, ProfileURL: "https://x.com/" + h,
			DisplayName: name, Kind: model.KindCorporate, Office: hq, Languages: []string{lang},
			Audience: "general public, partners, media", Purpose: "corporate news and results",
			PostsPerWeek: 10, Email: team, Contacts: []string{"Communications Group"}, Status: model.StatusActive}, &act})
	}
	accs = append(accs,
		demoAccount{model.Account{Platform: "mastodon", Handle: "@" + strings.ToLower(name) + "_kenya@mastodon.social",
			ProfileURL: "https://mastodon.social/@" + strings.ToLower(name) + "_kenya", DisplayName: name + " Kenya",
			Kind: model.KindCountryOffice, Office: "Kenya Country Office", Languages: []string{"en", "sw"},
			Audience: "partners and public in Kenya", Purpose: "country office news", PostsPerWeek: 3,
			Email: "kenya.comms@" + domain, Contacts: []string{"Country communications focal point"}, Managers: managers, Status: model.StatusActive},
			&activity{perWeek: 3, followers: 1100, growth: 0.25, engagement: 0.01, age: 4}},
		demoAccount{model.Account{Platform: "bluesky", Handle: "@" + strings.ToLower(name) + "-peru.bsky.social",
			ProfileURL: "https://bsky.app/profile/" + strings.ToLower(name) + "-peru.bsky.social", DisplayName: name + " Perú",
			Kind: model.KindCountryOffice, Office: "Peru Country Office", Languages: []string{"es"},
			Audience: "público en Perú", Purpose: "noticias de la oficina", PostsPerWeek: 2,
			Email: "peru.comms@" + domain, Contacts: []string{"Punto focal de comunicaciones"}, Managers: managers, Status: model.StatusActive},
			&activity{perWeek: 2, followers: 6000, growth: -0.18, engagement: 0.0002, age: 2}},
		demoAccount{model.Account{Platform: "linkedin", Handle: strings.ToLower(name) + "-myanmar", ProfileURL: "https://www.linkedin.com/company/" + strings.ToLower(name) + "-myanmar",
			DisplayName: name + " Myanmar", Kind: model.KindCountryOffice, Office: "Myanmar Country Office",
			Languages: []string{"en"}, Audience: "partners and job seekers", Purpose: "vacancies and partnerships",
			PostsPerWeek: 1, Email: "myanmar.comms@" + domain, Contacts: []string{"Office communications focal point"}, Status: model.StatusActive},
			&activity{perWeek: 1.2, followers: 14000, growth: 0.1, noCounts: true, age: 6}},
		demoAccount{model.Account{Platform: "facebook", Handle: "JubaBridges" + name, ProfileURL: "https://www.facebook.com/JubaBridges" + name,
			DisplayName: "Juba Bridges Programme, " + name, Kind: model.KindProject, Office: "South Sudan Country Office",
			Languages: []string{"en"}, Audience: "communities in Juba", Purpose: "progress of the bridge works",
			PostsPerWeek: 2, Email: "juba.bridges@" + domain, Contacts: []string{"Project manager", "Project communications officer"},
			Managers: managers, Project: &model.Project{Name: "Juba Bridges Programme", Keywords: []string{"bridge", "Juba"}, EndDate: "2027-12-31"},
			Status: model.StatusActive},
			&activity{perWeek: 2.5, followers: 3200, growth: 0.3, engagement: 0.015, age: 3}},
		demoAccount{model.Account{Platform: "x", Handle: "@" + name + "_Energy_UA", ProfileURL: "https://x.com/" + name + "_Energy_UA",
			DisplayName: name + " Energy Ukraine", Kind: model.KindProject, Office: "Ukraine Country Office",
			Languages: []string{"en", "uk"}, Audience: "partners and donors", Purpose: "energy repair project updates",
			PostsPerWeek: 3, Email: "energy.ua@" + domain, Contacts: []string{"Project manager"}, Managers: managers,
			Project: &model.Project{Name: "Energy Ukraine", Keywords: []string{"energy", "power", "grid", "generator"}, EndDate: "2026-06-30"},
			Status:  model.StatusActive},
			&activity{perWeek: 3, followers: 2500, growth: 0.05, engagement: 0.004, age: 2}},
		// Registered, but its platform is not connected yet: unknown.
		demoAccount{model.Account{Platform: "threads", Handle: "@" + strings.ToLower(name) + "_haiti",
			ProfileURL: "https://www.threads.net/@" + strings.ToLower(name) + "_haiti", DisplayName: name + " Haiti",
			Kind: model.KindCountryOffice, Office: "Haiti Country Office", Languages: []string{"fr", "ht"},
			Audience: "public in Haiti", Purpose: "country office news", PostsPerWeek: 2,
			Email: "haiti.comms@" + domain, Contacts: []string{"Country communications focal point"}, Managers: managers, Status: model.StatusActive},
			nil},
	)
	return accs
}
