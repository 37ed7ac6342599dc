package registry

import (
	"bytes"
	"os"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/herald-gov/herald/internal/policy"
)

// testPack is a pack holding the organization, the parameters and the account
// rules of testdata/account_rules.yaml, the fragment the default pack takes in.
func testPack(t testing.TB) *policy.Pack {
	t.Helper()
	raw, err := os.ReadFile("testdata/account_rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var frag struct {
		AccountRules []policy.AccountRule `yaml:"account_rules"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&frag); err != nil {
		t.Fatalf("account_rules.yaml: %v", err)
	}
	return &policy.Pack{
		Organization: policy.Organization{
			Name:     "UNOPS",
			FullName: "United Nations Office for Project Services",
			Names: []string{"UNOPS", "United Nations Office for Project Services",
				"Bureau des Nations Unies pour les services d'appui aux projets",
				"Oficina de las Naciones Unidas de Servicios para Proyectos"},
			Handles: []string{"UNOPS", "UNOPS_es", "UNOPS_fr"},
			Domains: []string{"unops.org"},
		},
		Parameters: policy.Parameters{
			WebmailDomains:  []string{"gmail.com", "yahoo.fr", "yahoo.es", "hotmail.com", "outlook.com", "proton.me"},
			MinPostsPerWeek: 3,
		},
		AccountRules: frag.AccountRules,
	}
}

func TestFragmentIsValid(t *testing.T) {
	p := testPack(t)
	if err := ValidateAccountRules(p.AccountRules); err != nil {
		t.Fatal(err)
	}
	if len(p.AccountRules) == 0 {
		t.Fatal("no account rules in the fragment")
	}
	for _, r := range p.AccountRules {
		for _, lang := range []string{"en", "fr", "es"} {
			if r.Message[lang] == "" {
				t.Errorf("%s: no %s message", r.ID, lang)
			}
			if len(r.Suggestion) > 0 && r.Suggestion[lang] == "" {
				t.Errorf("%s: no %s suggestion", r.ID, lang)
			}
		}
	}
}

func TestValidateAccountRulesRefuses(t *testing.T) {
	good := policy.AccountRule{ID: "a.b", Severity: "error", Check: "email-missing", Message: policy.Text{"en": "m"}}
	for name, mutate := range map[string]func(r *policy.AccountRule){
		"unknown check": func(r *policy.AccountRule) { r.Check = "no-such-check" },
		"bad severity":  func(r *policy.AccountRule) { r.Severity = "fatal" },
		"no id":         func(r *policy.AccountRule) { r.ID = "" },
		"no message":    func(r *policy.AccountRule) { r.Message = nil },
	} {
		r := good
		mutate(&r)
		if err := ValidateAccountRules([]policy.AccountRule{r}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := ValidateAccountRules([]policy.AccountRule{good, good}); err == nil {
		t.Error("duplicate id accepted")
	}
	if err := ValidateAccountRules([]policy.AccountRule{good}); err != nil {
		t.Errorf("good rule refused: %v", err)
	}
}
