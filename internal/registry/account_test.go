package registry

import (
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

func project(name, end string) *model.Project { return &model.Project{Name: name, EndDate: end} }

// personalAdvice is what every personal account gets, whatever its profile.
var personalAdvice = []string{"personal.privacy-settings", "personal.publishing-public", "personal.publishing-permanent"}

func TestCheckAccount(t *testing.T) {
	p := testPack(t)
	tests := []struct {
		name string
		in   AccountInput
		dir  []string
		want []string // rule ids, in pack order
	}{
		// Clean institutional accounts.
		{"corporate es", AccountInput{Kind: "corporate", Platform: "x", Handle: "@UNOPS_es", DisplayName: "UNOPS en español", Email: "socialmedia@unops.org"}, nil, nil},
		{"corporate fr full name", AccountInput{Kind: "corporate", Platform: "facebook", Handle: "UNOPSfr", DisplayName: "Bureau des Nations Unies pour les services d’appui aux projets", Email: "socialmedia@unops.org"}, nil, nil},
		{"country office hyphen", AccountInput{Kind: "country-office", Platform: "x", Handle: "@UNOPS_Kenya", DisplayName: "UNOPS-Kenya", Email: "kenya.comms@unops.org"}, nil, nil},
		{"country office lower hashtag", AccountInput{Kind: "country-office", Platform: "instagram", DisplayName: "#unops Haïti", Email: "haiti.communication@unops.org"}, nil, nil},
		{"country office glued", AccountInput{Kind: "country-office", DisplayName: "UNOPSPerú", Email: "comunicaciones.peru@unops.org"}, nil, nil},
		{"country office subdomain mail", AccountInput{Kind: "country-office", DisplayName: "UNOPS Myanmar", Email: "office@mm.unops.org"}, nil, nil},
		{"project full", AccountInput{Kind: "project", DisplayName: "UNOPS | Juba Bridges Programme", Email: "jubabridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, nil},
		{"project without generic word", AccountInput{Kind: "project", DisplayName: "UNOPS Juba Bridges", Email: "juba.bridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, nil},
		{"project initials", AccountInput{Kind: "project", DisplayName: "UNOPS JBP", Email: "jbp.team@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, nil},
		{"project fr accents", AccountInput{Kind: "project", DisplayName: "UNOPS – Ecoles du Sahel", Email: "ecoles.sahel@unops.org", Project: project("Projet Écoles du Sahel", "2026-12-31")}, nil, nil},
		{"project es", AccountInput{Kind: "project", DisplayName: "Agua Segura Perú · UNOPS", Email: "aguasegura@unops.org", Project: project("Programa Agua Segura", "2028-03-31")}, nil, nil},
		{"project initials with stop words", AccountInput{Kind: "project", DisplayName: "UNOPS PRHS", Email: "prhs@unops.org", Project: project("Programme de Reconstruction des Hôpitaux du Sud", "2027-01-15")}, nil, nil},

		// Institutional accounts with problems.
		{"no org name", AccountInput{Kind: "country-office", DisplayName: "Kenya Country Office", Email: "kenya.comms@unops.org"}, nil, []string{"account.display-name-org"}},
		{"org name inside another word", AccountInput{Kind: "country-office", DisplayName: "Bunopsis Kenya", Email: "kenya.comms@unops.org"}, nil, []string{"account.display-name-org"}},
		{"project name missing from display", AccountInput{Kind: "project", DisplayName: "UNOPS South Sudan", Email: "jubabridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, []string{"account.display-name-project"}},
		{"project partly named", AccountInput{Kind: "project", DisplayName: "UNOPS Juba", Email: "jubabridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, []string{"account.display-name-project"}},
		{"no project at all", AccountInput{Kind: "project", DisplayName: "UNOPS Projects", Email: "projects@unops.org"}, nil, []string{"account.project-name", "account.project-end-date"}},
		{"no end date", AccountInput{Kind: "project", DisplayName: "UNOPS Agua Segura", Email: "aguasegura@unops.org", Project: project("Agua Segura", "")}, nil, []string{"account.project-end-date"}},
		{"bad end date", AccountInput{Kind: "project", DisplayName: "UNOPS Agua Segura", Email: "aguasegura@unops.org", Project: project("Agua Segura", "31/03/2028")}, nil, []string{"account.project-end-date"}},
		{"no email", AccountInput{Kind: "corporate", DisplayName: "UNOPS"}, nil, []string{"account.email-missing"}},
		{"webmail", AccountInput{Kind: "country-office", DisplayName: "UNOPS Sénégal", Email: "unops.senegal@gmail.com"}, nil, []string{"account.email-webmail"}},
		{"webmail upper case", AccountInput{Kind: "country-office", DisplayName: "UNOPS Sénégal", Email: "Unops.Senegal@Yahoo.FR"}, nil, []string{"account.email-webmail"}},
		{"other domain", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "comms@unops-kenya.org"}, nil, []string{"account.email-domain"}},
		{"look-alike domain", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "comms@notunops.org"}, nil, []string{"account.email-domain"}},
		{"not an address", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "kenya comms at unops"}, nil, []string{"account.email-domain"}},
		{"first.last", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "john.kamau@unops.org"}, nil, []string{"account.email-personal"}},
		{"f.last", AccountInput{Kind: "country-office", DisplayName: "UNOPS Haïti", Email: "j.pierre-louis@unops.org"}, nil, []string{"account.email-personal"}},
		{"first_last with digit", AccountInput{Kind: "project", DisplayName: "UNOPS Agua Segura", Email: "ana_flores2@unops.org", Project: project("Agua Segura", "2028-03-31")}, nil, []string{"account.email-personal"}},
		{"firstlast from given names", AccountInput{Kind: "country-office", DisplayName: "UNOPS Guatemala", Email: "mariagarcia@unops.org"}, nil, []string{"account.email-personal"}},
		{"initial+last from directory", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "wnjoroge@unops.org"}, []string{"Wanjiru Njoroge"}, []string{"account.email-personal"}},
		{"initial+last unknown without directory", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "wnjoroge@unops.org"}, nil, nil},
		{"directory surname-first form", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "okonkwo.c@unops.org"}, []string{"Okonkwo, Chidi"}, []string{"account.email-personal"}},
		{"team mailbox not in directory", AccountInput{Kind: "country-office", DisplayName: "UNOPS Kenya", Email: "kenya.comms@unops.org"}, []string{"Wanjiru Njoroge"}, nil},
		{"several problems", AccountInput{Kind: "project", DisplayName: "Juba Bridges", Email: "pm.juba@hotmail.com", Project: project("Juba Bridges Programme", "")}, nil,
			[]string{"account.project-branded", "account.project-end-date", "account.email-webmail"}},
		// 4.4(a): a project account is branded by its name or its bio.
		{"project branded in the bio", AccountInput{Kind: "project", DisplayName: "Juba Bridges Programme", Bio: "A UNOPS project building bridges in Juba.", Email: "jubabridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, nil},
		{"project branded nowhere", AccountInput{Kind: "project", DisplayName: "Juba Bridges Programme", Bio: "Building bridges in Juba.", Email: "jubabridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}, nil, []string{"account.project-branded"}},

		// Personal accounts: advice only when clean.
		{"personal clean es", AccountInput{Kind: "personal", Platform: "x", Handle: "@mgarcia_ing", DisplayName: "María García", Bio: "Ingeniera civil en UNOPS Panamá. Opiniones personales.", WorkUse: true},
			nil, append([]string{"personal.disclaimer-scope"}, personalAdvice...)},
		{"personal clean en", AccountInput{Kind: "personal", Platform: "linkedin", Handle: "john-kamau", DisplayName: "John Kamau", Bio: "Procurement officer with UNOPS in Nairobi. Views are my own.", WorkUse: true},
			nil, append([]string{"personal.disclaimer-scope"}, personalAdvice...)},
		{"personal clean fr without disclaimer", AccountInput{Kind: "personal", Platform: "bluesky", Handle: "claire.dubois.bsky.social", DisplayName: "Claire Dubois", Bio: "Chargée de projet, infrastructures de santé en Haïti.", WorkUse: true},
			nil, append([]string{"personal.disclaimer"}, personalAdvice...)},
		{"personal not for work", AccountInput{Kind: "personal", Platform: "instagram", Handle: "@pedro.runs", DisplayName: "pedro 🏃", Bio: "Trail running, coffee, Lima"},
			nil, personalAdvice},
		{"org in username", AccountInput{Kind: "personal", Platform: "x", Handle: "@Maria_UNOPS", DisplayName: "María García", Bio: "Ingeniera en UNOPS. Opiniones personales.", WorkUse: true},
			nil, append([]string{"personal.username-org", "personal.disclaimer-scope"}, personalAdvice...)},
		{"org glued in username", AccountInput{Kind: "personal", Platform: "instagram", Handle: "unopsjohn", DisplayName: "John Kamau", Bio: "Engineer. Views my own", WorkUse: true},
			nil, append([]string{"personal.username-org", "personal.disclaimer-scope"}, personalAdvice...)},
		{"org with digits in username", AccountInput{Kind: "personal", Platform: "x", Handle: "@jdoe_unops1", DisplayName: "Jane Doe"},
			nil, append([]string{"personal.username-org"}, personalAdvice...)},
		{"no job role", AccountInput{Kind: "personal", Platform: "x", Handle: "@amina_y", DisplayName: "Amina Yusuf", Bio: "Mother, runner, tea lover. Nairobi.", WorkUse: true},
			nil, append([]string{"personal.bio-job-role", "personal.disclaimer"}, personalAdvice...)},
		{"pseudonym with digits", AccountInput{Kind: "personal", Platform: "x", Handle: "@jk2019", DisplayName: "jk2019", Bio: "Project manager. Opinions are my own.", WorkUse: true},
			nil, append([]string{"personal.disclaimer-scope"}, append(personalAdvice, "personal.pseudonymous")...)},
		{"anonymous insider", AccountInput{Kind: "personal", Platform: "x", Handle: "@un_insider", DisplayName: "Anonymous Insider", Bio: "Consultant. Mes opinions n'engagent que moi.", WorkUse: true},
			nil, append([]string{"personal.disclaimer-scope"}, append(personalAdvice, "personal.pseudonymous")...)},
		{"single word name", AccountInput{Kind: "personal", Platform: "mastodon", Handle: "@lumiere@mastodon.social", DisplayName: "Lumière", Bio: "Spécialiste des achats. Avis personnels.", WorkUse: true},
			nil, append([]string{"personal.disclaimer-scope"}, append(personalAdvice, "personal.pseudonymous")...)},
		{"pseudonym not for work", AccountInput{Kind: "personal", Platform: "x", Handle: "@nightowl", DisplayName: "nightowl"},
			nil, personalAdvice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dir *Directory
			if tt.dir != nil {
				dir = NewDirectory(tt.dir)
			}
			fs := CheckAccountWith(p, tt.in, dir)
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule)
				if f.Message == "" || f.Clause == "" || f.Severity == "" {
					t.Errorf("incomplete finding %+v", f)
				}
				if tt.in.Kind == "personal" && f.Severity == model.SeverityError {
					t.Errorf("personal account got an error: %+v", f)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckAccountClauses(t *testing.T) {
	p := testPack(t)
	fs := CheckAccount(p, AccountInput{Kind: "project", DisplayName: "Juba Bridges", Email: "a.b@gmail.com"})
	clauses := map[string]string{}
	for _, f := range fs {
		clauses[f.Rule] = f.Clause
	}
	// The most specific paragraph: a project account's branding is 4.4(a),
	// not 4.3; its end date is advice under 4.6, not a breach of 4.4.
	want := map[string]string{"account.project-branded": "4.4(a)", "account.project-name": "4.4", "account.project-end-date": "4.6", "account.email-webmail": "4.4(d)"}
	for r, c := range want {
		if clauses[r] != c {
			t.Errorf("%s: clause %q, want %q", r, clauses[r], c)
		}
	}
	if _, ok := clauses["account.display-name-org"]; ok {
		t.Error("a project account is also cited under 4.3")
	}
	for _, f := range fs {
		if f.Rule == "account.project-end-date" && f.Severity != "advice" {
			t.Errorf("a missing end date is %s, want advice", f.Severity)
		}
	}
	corp := CheckAccount(p, AccountInput{Kind: "country-office", DisplayName: "Kenya Office", Email: "kenya.comms@unops.org"})
	if len(corp) != 1 || corp[0].Clause != "4.3" {
		t.Errorf("a country office without the name: %+v, want one finding under 4.3", corp)
	}
	if !HasErrors(fs) {
		t.Error("HasErrors false")
	}
}

func TestCheckAccountLanguages(t *testing.T) {
	p := testPack(t)
	in := AccountInput{Kind: "project", DisplayName: "UNOPS Kenya", Email: "kenya.comms@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}
	for lang, want := range map[string]string{
		"en": "does not show the project's name, \"Juba Bridges Programme\"",
		"fr": "ne montre pas le nom du projet, « Juba Bridges Programme »",
		"es": "no muestra el nombre del proyecto, «Juba Bridges Programme»",
		"de": "does not show the project's name", // unknown language falls back to English
	} {
		in.Lang = lang
		fs := CheckAccount(p, in)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, want) {
			t.Errorf("%s: %+v, want message with %q", lang, fs, want)
		}
		if strings.Contains(fs[0].Suggestion, "{") {
			t.Errorf("%s: placeholder left in %q", lang, fs[0].Suggestion)
		}
	}
}

func TestAbbreviationsFromParams(t *testing.T) {
	p := testPack(t)
	for i, r := range p.AccountRules {
		if r.Check == "display-name-project" {
			p.AccountRules[i].Params = map[string]any{"abbreviations": map[string]any{"Juba Bridges Programme": []any{"JuBriP"}}}
		}
	}
	in := AccountInput{Kind: "project", DisplayName: "UNOPS JuBriP", Email: "jubabridges@unops.org", Project: project("Juba Bridges Programme", "2027-06-30")}
	if fs := CheckAccount(p, in); len(fs) != 0 {
		t.Errorf("listed abbreviation refused: %+v", fs)
	}
	in.DisplayName = "UNOPS JuBrP"
	if fs := CheckAccount(p, in); len(fs) != 1 {
		t.Errorf("unlisted abbreviation accepted: %+v", fs)
	}
}

func TestReadDirectory(t *testing.T) {
	d, err := ReadDirectory(strings.NewReader("# staff\nWanjiru Njoroge\n\nGarcía López, María José\n"))
	if err != nil {
		t.Fatal(err)
	}
	for local, want := range map[string]bool{
		"wanjiru.njoroge": true, "wnjoroge": true, "njoroge.w": true, "mgarcia": true,
		"maria.garcia.lopez": true, "garcialopez.maria": true, "kenya.comms": false, "njoroge": false,
	} {
		if got := d.has(local); got != want {
			t.Errorf("has(%q) = %v, want %v", local, got, want)
		}
	}
	if _, err := ReadDirectory(strings.NewReader("Madonna\n")); err == nil {
		t.Error("single name accepted")
	}
}

func TestRequestPreChecks(t *testing.T) {
	p := testPack(t) // min_posts_per_week: 3
	full := model.Account{Platform: "x", Handle: "@UNOPS_Kenya", DisplayName: "UNOPS Kenya", Kind: "country-office",
		Office: "Kenya", Languages: []string{"en", "sw"}, Audience: "Kenyan public", Purpose: "project news from Kenya",
		PostsPerWeek: 4, Email: "kenya.comms@unops.org", Contacts: []string{"Wanjiru Njoroge", "John Kamau"}}
	tests := []struct {
		name    string
		mutate  func(a *model.Account)
		want    []string
		missing string
	}{
		{"complete request", func(*model.Account) {}, nil, ""},
		{"plan at the minimum", func(a *model.Account) { a.PostsPerWeek = 3 }, nil, ""},
		{"plan below the minimum", func(a *model.Account) { a.PostsPerWeek = 0.5 }, []string{"request.posting-plan"}, ""},
		{"no plan, one contact, no audience", func(a *model.Account) { a.PostsPerWeek = 0; a.Contacts = []string{"John Kamau", " "}; a.Audience = "" },
			[]string{"request.strategy-fields"}, "audience, posts per week, two contacts"},
		{"no office or languages", func(a *model.Account) { a.Office = ""; a.Languages = nil }, []string{"request.strategy-fields"}, "owning office or unit, languages"},
	}
	for _, tt := range tests {
		a := full
		tt.mutate(&a)
		fs := CheckAccount(p, InputFromAccount(a))
		var got []string
		for _, f := range fs {
			got = append(got, f.Rule)
			if f.Rule == "request.strategy-fields" && !strings.HasSuffix(f.Message, ": "+tt.missing+".") {
				t.Errorf("%s: message %q does not list %q", tt.name, f.Message, tt.missing)
			}
			if f.Rule == "request.posting-plan" && !strings.Contains(f.Message, "0.5 post(s) a week is below the 3") {
				t.Errorf("%s: message %q", tt.name, f.Message)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: rules %q, want %q", tt.name, got, tt.want)
		}
	}
	// The plan and the minimum are numbers written the reader's way.
	slow := full
	slow.PostsPerWeek = 2.5
	for lang, want := range map[string]string{"en": "2.5 post(s) a week", "fr": "2,5 publication(s)", "es": "2,5 publicación(es)"} {
		in := InputFromAccount(slow)
		in.Lang = lang
		var msg string
		for _, f := range CheckAccount(p, in) {
			if f.Rule == "request.posting-plan" {
				msg = f.Message
			}
		}
		if !strings.Contains(msg, want) {
			t.Errorf("%s: posting-plan message %q, want %q", lang, msg, want)
		}
	}
	// Without a strategy (a `herald account check` line) the request checks stay quiet.
	in := InputFromAccount(full)
	in.Strategy = nil
	if fs := CheckAccount(p, in); len(fs) != 0 {
		t.Errorf("account line without strategy: %+v", fs)
	}
}
