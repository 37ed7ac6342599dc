package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

// accountPackHead is the rest of a pack around the registry's account rules
// fragment, which the default pack takes in.
const accountPackHead = `pack:
  id: account-test
  version: 0.1.0
  policy: {reference: OI.CG.2019.02, title: Use of Social Media, effective: "2019-12-20"}
  languages: [en, fr, es]
organization:
  name: UNOPS
  full_name: United Nations Office for Project Services
  names: [UNOPS, United Nations Office for Project Services, Oficina de las Naciones Unidas de Servicios para Proyectos]
  handles: [UNOPS, UNOPS_es, UNOPS_fr]
  domains: [unops.org]
parameters:
  webmail_domains: [gmail.com, yahoo.fr, hotmail.com, outlook.com]
  min_posts_per_week: 3
clauses:
`

// writeAccountPack writes a full pack holding the fragment's account rules
// and returns its path.
func writeAccountPack(t *testing.T) string {
	t.Helper()
	frag, err := os.ReadFile("../../internal/registry/testdata/account_rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(accountPackHead)
	for _, c := range []string{"3.4(l)", "4.2", "4.3", "4.4", "4.6", "4.4(a)", "4.4(d)", "5.2(a)", "5.2(b)", "5.2(c)", "5.2(d)", "5.2(e)", "5.2(f)"} {
		b.WriteString("  - {id: \"" + c + "\", title: t, summary: {en: s, fr: s, es: s}}\n")
	}
	b.Write(frag)
	path := filepath.Join(t.TempDir(), "pack.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := policy.Load(path); err != nil {
		t.Fatalf("test pack refused: %v", err)
	}
	return path
}

func runAccount(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = run(context.Background(), env, append([]string{"account", "check"}, args...))
	return code, out.String(), errb.String()
}

type accountOut struct {
	ID       any    `json:"id"`
	Line     int    `json:"line"`
	Error    string `json:"error"`
	Findings []struct {
		Rule, Clause, Severity, Message string
	} `json:"findings"`
}

func parseAccountOut(t *testing.T, stdout string) []accountOut {
	t.Helper()
	var res []accountOut
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r accountOut
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		res = append(res, r)
	}
	return res
}

func rulesOf(r accountOut) string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule+"@"+f.Clause)
	}
	return strings.Join(ids, " ")
}

func TestAccountCheckJSONL(t *testing.T) {
	pack := writeAccountPack(t)
	input := strings.Join([]string{
		`{"id":"es","platform":"x","kind":"corporate","handle":"@UNOPS_es","display_name":"UNOPS en español","bio":"","email":"socialmedia@unops.org"}`,
		`{"id":"sn","platform":"facebook","kind":"country-office","handle":"UNOPSSenegal","display_name":"Bureau du Sénégal","email":"unops.senegal@gmail.com"}`,
		``,
		`{"id":"jb","platform":"x","kind":"project","handle":"@JubaBridges","display_name":"UNOPS JBP","email":"jubabridges@unops.org","project":{"name":"Juba Bridges Programme","end_date":"2027-06-30"}}`,
		`{"id":"broken", "kind": `,
		`{"id":7,"platform":"x","kind":"personal","handle":"@Maria_UNOPS","display_name":"María García","bio":"Ingeniera en UNOPS Panamá","work_use":true}`,
		`{"id":"k","kind":"robot"}`,
		`{"id":"pp","platform":"x","kind":"project","handle":"@proj","display_name":"UNOPS Kenya","email":"john.kamau@unops.org","project":{"name":"Juba Bridges Programme"}}`,
	}, "\n")
	path := filepath.Join(t.TempDir(), "accounts.jsonl")
	if err := os.WriteFile(path, []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runAccount(t, "", "--jsonl", path, "--pack", pack)
	if code != 2 {
		t.Errorf("exit %d, want 2 (bad lines); stderr %s", code, stderr)
	}
	res := parseAccountOut(t, stdout)
	want := []struct {
		id    any
		rules string
		err   string
		line  int
	}{
		{"es", "", "", 0},
		{"sn", "account.display-name-org@4.3 account.email-webmail@4.4(d)", "", 0},
		{"jb", "", "", 0},
		{nil, "", "not a JSON account object", 5},
		{7.0, "personal.username-org@5.2(a) personal.disclaimer@5.2(c) personal.privacy-settings@5.2(d) personal.publishing-public@5.2(e) personal.publishing-permanent@5.2(f)", "", 0},
		{"k", "", `kind "robot"`, 7},
		{"pp", "account.display-name-project@4.4(a) account.project-end-date@4.6 account.email-personal@4.4(d)", "", 0},
	}
	if len(res) != len(want) {
		t.Fatalf("%d output lines, want %d:\n%s", len(res), len(want), stdout)
	}
	for i, w := range want {
		r := res[i]
		if r.ID != w.id || rulesOf(r) != w.rules || r.Line != w.line || !strings.Contains(r.Error, w.err) || (w.err == "") != (r.Error == "") {
			t.Errorf("line %d: got id %v rules %q error %q line %d; want id %v rules %q error %q line %d",
				i+1, r.ID, rulesOf(r), r.Error, r.Line, w.id, w.rules, w.err, w.line)
		}
		for _, f := range r.Findings {
			if f.Message == "" || f.Severity == "" {
				t.Errorf("line %d: incomplete finding %+v", i+1, f)
			}
		}
	}
	if !strings.Contains(stdout, `"findings":[]`) {
		t.Error("a clean account should print an empty findings list")
	}
}

func TestAccountCheckExitStatus(t *testing.T) {
	pack := writeAccountPack(t)
	clean := `{"id":"a","kind":"country-office","display_name":"UNOPS Kenya","email":"kenya.comms@unops.org"}` + "\n" +
		`{"id":"b","kind":"personal","handle":"@jkamau","display_name":"John Kamau","bio":"Procurement officer. Views are my own.","work_use":true}` + "\n"
	if code, out, stderr := runAccount(t, clean, "--jsonl", "-", "--pack", pack); code != 0 {
		t.Errorf("clean and advice only: exit %d, want 0\n%s%s", code, out, stderr)
	}
	warn := `{"id":"c","kind":"project","display_name":"UNOPS Agua Segura","email":"aguasegura@unops.org","project":{"name":"Agua Segura"}}`
	if code, out, _ := runAccount(t, warn, "--jsonl", "-", "--pack", pack); code != 0 || !strings.Contains(out, "account.project-end-date") {
		t.Errorf("advice only: exit %d, want 0\n%s", code, out)
	}
	bad := `{"id":"d","kind":"corporate","display_name":"UNOPS"}`
	if code, out, _ := runAccount(t, bad, "--jsonl", "-", "--pack", pack); code != 1 || !strings.Contains(out, "account.email-missing") {
		t.Errorf("error finding: exit %d, want 1\n%s", code, out)
	}
}

func TestAccountCheckLanguageAndDirectory(t *testing.T) {
	pack := writeAccountPack(t)
	dir := filepath.Join(t.TempDir(), "staff.txt")
	if err := os.WriteFile(dir, []byte("Wanjiru Njoroge\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	line := `{"id":"ke","kind":"country-office","display_name":"Kenya","email":"wnjoroge@unops.org"}`
	code, out, _ := runAccount(t, line, "--jsonl", "-", "--pack", pack, "--lang", "fr", "--directory", dir)
	if code != 1 || !strings.Contains(out, "Le nom affiché") || !strings.Contains(out, "account.email-personal") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// The line's own language wins over --lang.
	line = `{"id":"ke","kind":"country-office","display_name":"Kenya","email":"kenya.comms@unops.org","lang":"es"}`
	if _, out, _ := runAccount(t, line, "--jsonl", "-", "--pack", pack, "--lang", "fr"); !strings.Contains(out, "El nombre visible") {
		t.Errorf("lang es ignored:\n%s", out)
	}
}

func TestAccountCheckUsage(t *testing.T) {
	pack := writeAccountPack(t)
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	raw, _ := os.ReadFile(pack)
	if err := os.WriteFile(broken, bytes.Replace(raw, []byte("check: email-webmail"), []byte("check: email-telepathy"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no --jsonl", []string{"--pack", pack}, "Usage"},
		{"stray argument", []string{"--jsonl", "-", "--pack", pack, "extra"}, "Usage"},
		{"unknown flag", []string{"--json", "-"}, "flag provided but not defined"},
		{"missing file", []string{"--jsonl", filepath.Join(t.TempDir(), "none.jsonl"), "--pack", pack}, "no such file"},
		{"missing pack", []string{"--jsonl", "-", "--pack", filepath.Join(t.TempDir(), "none.yaml")}, "no such file"},
		{"unknown check", []string{"--jsonl", "-", "--pack", broken}, "email-telepathy"},
		{"bad directory", []string{"--jsonl", "-", "--pack", pack, "--directory", pack}, "directory"},
	}
	for _, tt := range tests {
		code, _, stderr := runAccount(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: exit %d stderr %q; want 2 and %q", tt.name, code, stderr, tt.stderr)
		}
	}
}

func TestAccountCheckLongLine(t *testing.T) {
	pack := writeAccountPack(t)
	long := `{"id":"x","kind":"corporate","bio":"` + strings.Repeat("a", maxAccountLine) + `"}`
	in := long + "\n" + `{"id":"y","kind":"country-office","display_name":"UNOPS Kenya","email":"kenya.comms@unops.org"}` + "\n"
	code, out, _ := runAccount(t, in, "--jsonl", "-", "--pack", pack)
	res := parseAccountOut(t, out)
	if code != 2 || len(res) != 2 || !strings.Contains(res[0].Error, "longer than") || res[1].ID != "y" || res[1].Error != "" {
		t.Errorf("exit %d, output %+v", code, res)
	}
}

func TestAccountCheckDefaultPack(t *testing.T) {
	p, err := policy.Default()
	if err != nil {
		t.Fatalf("the default pack does not load: %v", err)
	}
	if len(p.AccountRules) == 0 {
		t.Fatal("the default pack has no account_rules")
	}
	clean := `{"id":"a","kind":"country-office","platform":"x","handle":"@UNOPS_Kenya","display_name":"UNOPS Kenya","email":"kenya.comms@unops.org"}`
	if code, out, stderr := runAccount(t, clean, "--jsonl", "-"); code != 0 || !strings.Contains(out, `"findings":[]`) {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
	webmail := `{"id":"b","kind":"country-office","display_name":"UNOPS Kenya","email":"unops.kenya@gmail.com"}`
	if code, out, _ := runAccount(t, webmail, "--jsonl", "-"); code != 1 || !strings.Contains(out, "4.4(d)") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
