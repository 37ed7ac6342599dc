package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/i18n"
)

// letters finds a word: what a person would read.
var letters = regexp.MustCompile(`\p{L}{2,}`)

// notWords are the texts that stay the same in every language: the
// product's name and the formats offered for download.
var notWords = map[string]bool{"Herald": true, "CSV": true, "JSON": true, "API": true}

var (
	action     = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	textNode   = regexp.MustCompile(`>([^<>]*)<`)
	codeElem   = regexp.MustCompile(`(?s)<code[^>]*>.*?</code>`)
	personAttr = regexp.MustCompile(`\b(placeholder|title|aria-label|alt|label)="([^"]*)"`)
	buttonVal  = regexp.MustCompile(`<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"`)
)

// TestTemplatesShowNoLiteralWords: every word a template shows a person,
// in text or in an attribute a person reads, comes from the catalogs
// through t, tn or enum.
func TestTemplatesShowNoLiteralWords(t *testing.T) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	for _, n := range names {
		b, _ := files.ReadFile(n)
		src := codeElem.ReplaceAllString(action.ReplaceAllString(string(b), ""), "<code></code>")
		var found []string
		for _, m := range textNode.FindAllStringSubmatch(src, -1) {
			found = append(found, m[1])
		}
		for _, m := range personAttr.FindAllStringSubmatch(src, -1) {
			found = append(found, m[2])
		}
		for _, m := range buttonVal.FindAllStringSubmatch(src, -1) {
			found = append(found, m[1])
		}
		for _, s := range found {
			if s = strings.TrimSpace(s); letters.MatchString(s) && !notWords[s] {
				t.Errorf("%s shows %q outside the catalogs", n, s)
			}
		}
	}
}

// TestTemplateCheckFailsOnLiteral: the scan above sees text and attributes.
func TestTemplateCheckFailsOnLiteral(t *testing.T) {
	src := action.ReplaceAllString(`<p>{{t "x"}} Hello</p><input placeholder="Your name"><p>{{.Handle}}</p>`, "")
	if got := textNode.FindAllStringSubmatch(src, -1); len(got) < 1 || strings.TrimSpace(got[0][1]) != "Hello" {
		t.Errorf("text nodes: %q", got)
	}
	if got := personAttr.FindAllStringSubmatch(src, -1); len(got) != 1 || got[0][2] != "Your name" {
		t.Errorf("attributes: %q", got)
	}
}

// prose finds a string literal a person might read: two words side by
// side. (One word alone is as often a header or field name as a label;
// labels are catalog keys, which the scan accepts.)
var prose = regexp.MustCompile(`\p{L}{2,} +\p{L}{2,}`)

// TestGoShowsNoLiteralWords: web's Go code gives people words only through
// the catalogs. Literals it may hold: log and metric text, start-up errors
// for the operator, header values, and the English message of an errs error
// (shown from the catalog as errors.<key>; the key must be there).
func TestGoShowsNoLiteralWords(t *testing.T) {
	paths, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec, *ast.Field:
				return false
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Help" {
					return false
				}
			case *ast.CallExpr:
				return !operatorCall(t, fset, n)
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(n.Value)
				if prose.MatchString(s) && !i18n.Has(s) && !strings.HasPrefix(s, "<") { // markup: its attributes are catalog text
					t.Errorf("%s: %q is shown outside the catalogs", fset.Position(n.Pos()), s)
				}
			}
			return true
		})
	}
}

// operatorCall reports whether c is a call whose words are for the
// operator or a client's code, not a page: logs, start-up errors, headers;
// for an errs error it checks that its key is in the catalogs.
func operatorCall(t *testing.T, fset *token.FileSet, c *ast.CallExpr) bool {
	var name string
	switch fn := c.Fun.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		name = fn.Sel.Name
		if x, ok := fn.X.(*ast.Ident); ok {
			name = x.Name + "." + name
		}
	}
	key := func(i int, prefix string) {
		if i < len(c.Args) {
			if lit, ok := c.Args[i].(*ast.BasicLit); ok {
				k, _ := strconv.Unquote(lit.Value)
				if !i18n.Has("errors." + prefix + k) {
					t.Errorf("%s: errors.%s%s is not in the catalogs", fset.Position(c.Pos()), prefix, k)
				}
			}
		}
	}
	switch {
	case name == "errorf":
		key(1, "web.")
	case name == "errs.Errorf" || name == "errs.E" || name == "errs.Wrap":
		key(1, "")
	case strings.HasSuffix(name, "Context"), strings.HasPrefix(name, "strings."), name == "fmt.Errorf", name == "errors.New",
		name == "Set", name == "Error", name == "Info", name == "Warn":
	default:
		return false
	}
	return true
}

// TestEveryKeyIsUsed: a catalog key nobody looks up is a translation
// nobody reads. A key is used when it appears as a literal in the code or
// templates, or is built from a prefix the code joins at run time.
func TestEveryKeyIsUsed(t *testing.T) {
	root := "../.."
	var src strings.Builder
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") || strings.Contains(p, "/locales/") {
			return nil
		}
		if strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".yaml") {
			b, _ := os.ReadFile(p)
			src.Write(b)
		}
		return nil
	})
	code := src.String()
	dynamic := []string{"format.", "error.status.", "dashboard.chart.", "dashboard.column.",
		"role.", "kind.", "status.", "severity.", "found_state.", "scope.", "plural.",
		"notify.", "health.chart.month.", "webhooks.notice.", "webhook.state.", "health_state.", "health_reason.", "takedown_state."} // notices are keyed by kind and status (notify.account.at-risk)
	for _, key := range i18n.Keys() {
		k := strings.TrimSuffix(strings.TrimSuffix(key, ".one"), ".other")
		used := strings.Contains(code, strconv.Quote(k)) || strings.Contains(code, strconv.Quote(strings.TrimPrefix(k, "errors.")))
		for _, p := range dynamic {
			used = used || strings.HasPrefix(k, p)
		}
		if strings.HasPrefix(k, "errors.web.") {
			used = used || strings.Contains(code, strconv.Quote(strings.TrimPrefix(k, "errors.web.")))
		}
		// Health reasons and import problems name their keys without the room.
		for _, room := range []string{"health.", "import."} {
			used = used || (strings.HasPrefix(k, room) && strings.Contains(code, strconv.Quote(strings.TrimPrefix(k, room))))
		}
		if !used {
			t.Errorf("%s is in the catalogs but nothing shows it", key)
		}
	}
}

// TestTranslateHTMLEscapes: t escapes what it is given, except HTML made by
// link, and keeps numbers for their verbs.
func TestTranslateHTMLEscapes(t *testing.T) {
	type role string
	for _, tt := range []struct {
		key  string
		args []any
		want string
	}{
		{"common.on_platform", []any{"<b>@x</b>", role("a&b")}, "&lt;b&gt;@x&lt;/b&gt; on a&amp;b"},
		{"registry.also_as", []any{link("/r.csv?a=1&b=<2>", "CSV"), "<i>"}, `Also as <a href="/r.csv?a=1&amp;b=&lt;2&gt;">CSV</a> and &lt;i&gt;.`},
		{"plural.account.other", []any{"3"}, "3 accounts"},
		{"draft.step_of", []any{2, 3, "x"}, "step 2 of 3: x"},
		{"health.of_followers_per_post", []any{"<1%>"}, "&lt;1%&gt; of followers per post"},
	} {
		if got := string(translateHTML("en", tt.key, tt.args)); got != tt.want {
			t.Errorf("t %s %v = %q, want %q", tt.key, tt.args, got, tt.want)
		}
	}
}
