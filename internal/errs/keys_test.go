package errs_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
)

// TestMessagesInCatalogs walks Herald's Go source for every error made
// through this package (E, Errorf, Wrap, With, and the helpers that pass a
// key and a format on to them) and requires, for each key, a catalog entry
// errors.<key> in every language whose English is the message written in
// the code. The i18n package's own test then holds French and Spanish to
// English's format verbs, so a translated message takes the error's Args.
func TestMessagesInCatalogs(t *testing.T) {
	sites := errorSites(t, "../..")
	if len(sites) < 100 {
		t.Fatalf("found only %d error sites: the walker misses calls", len(sites))
	}
	// errs.Of's message for an unexpected error is made here, not at a call.
	o := errs.Of(fmt.Errorf("driver failure"))
	sites = append(sites, site{at: "errs.Of", key: o.Key, format: o.Message})

	cats := map[string]map[string]string{}
	for _, lang := range i18n.Languages() {
		b, err := os.ReadFile(filepath.Join("..", "i18n", "locales", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		c := map[string]string{}
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		cats[lang] = c
	}
	english := map[string]string{} // key → the message the code writes
	for _, s := range sites {
		switch {
		case s.problem != "":
			t.Errorf("%s: %s", s.at, s.problem)
			continue
		case english[s.key] != "" && english[s.key] != s.format:
			t.Errorf("%s: key %q already names the message %q, not %q: give each message its own key", s.at, s.key, english[s.key], s.format)
		}
		english[s.key] = s.format
		for lang, c := range cats {
			got, ok := c["errors."+s.key]
			switch {
			case !ok:
				t.Errorf("%s: errors.%s is missing from %s.json", s.at, s.key, lang)
			case lang == "en" && got != s.format:
				t.Errorf("%s: en.json has errors.%s = %q, the code says %q", s.at, s.key, got, s.format)
			}
		}
	}
	// A catalog entry no code uses is a message nobody will ever read.
	for key := range cats["en"] {
		if k, ok := strings.CutPrefix(key, "errors."); ok && english[k] == "" && !webMessage[k] {
			t.Errorf("en.json has errors.%s, which no error in the code uses", k)
		}
	}
}

// webMessage are errors.* keys that internal/web looks up by an error's
// kind rather than making them through errs (none yet).
var webMessage = map[string]bool{}

// site is one error message made in the code: where, its key and format,
// or what keeps it from being checked.
type site struct {
	at, key, format, problem string
}

// part of a key or format as a helper builds it: a literal, or its
// parameter number param.
type part struct {
	lit   string
	param int
}

type template []part

// forwarder is a helper that builds an error from its parameters.
type forwarder struct{ key, format template }

// errorSites parses every non-test Go file under root's cmd and internal
// and returns the error messages it makes.
func errorSites(t *testing.T, root string) []site {
	t.Helper()
	pkgs := map[string][]*ast.File{}
	fset := token.NewFileSet()
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
				filepath.Dir(path) == filepath.Join(root, "internal", "errs") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var out []site
	dirs := make([]string, 0, len(pkgs))
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		out = append(out, packageSites(fset, pkgs[d])...)
	}
	return out
}

// packageSites finds one package's helpers, then its sites; a helper may
// call another, so the first step repeats until no new helper is found.
func packageSites(fset *token.FileSet, files []*ast.File) []site {
	fw := map[string]forwarder{}
	for {
		n := len(fw)
		walkCalls(files, fw, func(string, *ast.CallExpr, template, template, string) {})
		if len(fw) == n {
			break
		}
	}
	var out []site
	walkCalls(files, fw, func(fn string, c *ast.CallExpr, key, format template, problem string) {
		s := site{at: fset.Position(c.Pos()).String()}
		k, kok := key.literal()
		f, fok := format.literal()
		switch {
		case problem != "":
			s.problem = problem
		case !kok || !fok:
			return // a helper's own call: its callers are the sites
		default:
			s.key, s.format = k, f
		}
		out = append(out, s)
	})
	return out
}

// walkCalls calls visit for each error-making call in files, with the
// function it is in ("" at package level); a call whose key or format is
// built from the function's parameters makes that function a helper in fw.
func walkCalls(files []*ast.File, fw map[string]forwarder, visit func(fn string, c *ast.CallExpr, key, format template, problem string)) {
	for _, f := range files {
		var stack []funcScope
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return true
			}
			for len(stack) > 0 && n.Pos() >= stack[len(stack)-1].end {
				stack = stack[:len(stack)-1]
			}
			switch n := n.(type) {
			case *ast.FuncDecl:
				stack = append(stack, newScope(n.Name.Name, n.Type, n.End()))
			case *ast.AssignStmt:
				// name := func(...) {...}: a helper callable by name.
				if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
					if id, ok := n.Lhs[0].(*ast.Ident); ok {
						if fl, ok := n.Rhs[0].(*ast.FuncLit); ok {
							stack = append(stack, newScope(id.Name, fl.Type, fl.End()))
						}
					}
				}
			case *ast.CallExpr:
				var sc funcScope
				if len(stack) > 0 {
					sc = stack[len(stack)-1]
				}
				var key, format template
				var kerr, ferr error
				keyExpr, formatExpr, helper := errorCall(n, fw)
				switch {
				case helper != nil:
					key, kerr = sc.fill(helper.f.key, helper.args)
					format, ferr = sc.fill(helper.f.format, helper.args)
				case keyExpr != nil:
					key, kerr = sc.build(keyExpr)
					format, ferr = sc.build(formatExpr)
				default:
					return true
				}
				problem := ""
				switch {
				case kerr != nil:
					problem = "the key is not a literal string: " + kerr.Error()
				case ferr != nil:
					problem = "the message is not a literal format: " + ferr.Error()
				}
				if problem == "" && (key.hasParam() || format.hasParam()) && sc.name != "" {
					fw[sc.name] = forwarder{key, format}
				}
				visit(sc.name, n, key, format, problem)
			}
			return true
		})
	}
}

// errorCall returns the key and format arguments of an error-making call
// (errs.E, errs.Errorf, errs.Wrap, ErrX.With), or the call of a helper in fw.
func errorCall(c *ast.CallExpr, fw map[string]forwarder) (key, format ast.Expr, helper *helperCall) {
	switch fn := c.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok && x.Name == "errs" {
			switch fn.Sel.Name {
			case "E", "Errorf", "Wrap":
				if len(c.Args) >= 3 {
					return c.Args[1], c.Args[2], nil
				}
			}
			return nil, nil, nil
		}
		// With on an error value; other With methods (slog) take other receivers.
		if fn.Sel.Name == "With" && len(c.Args) >= 2 && strings.HasPrefix(strings.ToLower(lastName(fn.X)), "err") {
			return c.Args[0], c.Args[1], nil
		}
		if f, ok := fw[fn.Sel.Name]; ok {
			return nil, nil, &helperCall{f, c.Args}
		}
	case *ast.Ident:
		if f, ok := fw[fn.Name]; ok {
			return nil, nil, &helperCall{f, c.Args}
		}
	}
	return nil, nil, nil
}

// helperCall is a call of a helper: its templates are filled from args.
type helperCall struct {
	f    forwarder
	args []ast.Expr
}

func lastName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// funcScope is the function a call is in: its name and parameters.
type funcScope struct {
	name   string
	params map[string]int
	end    token.Pos
}

func newScope(name string, ft *ast.FuncType, end token.Pos) funcScope {
	sc := funcScope{name: name, params: map[string]int{}, end: end}
	i := 0
	for _, fld := range ft.Params.List {
		for _, n := range fld.Names {
			sc.params[n.Name] = i
			i++
		}
		if len(fld.Names) == 0 {
			i++
		}
	}
	return sc
}

// fill is a helper's template with its parameters replaced by the
// call's arguments, read in this scope.
func (sc funcScope) fill(tmpl template, args []ast.Expr) (template, error) {
	var out template
	for _, p := range tmpl {
		if p.param < 0 {
			out = append(out, p)
			continue
		}
		if p.param >= len(args) {
			return nil, fmt.Errorf("helper argument %d is missing", p.param)
		}
		sub, err := sc.build(args[p.param])
		if err != nil {
			return nil, err
		}
		out = append(out, sub...)
	}
	return out, nil
}

// build reads e as a template: string literals, "+" of templates, and the
// scope's parameters.
func (sc funcScope) build(e ast.Expr) (template, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return template{{lit: s, param: -1}}, err
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			l, err := sc.build(e.X)
			if err != nil {
				return nil, err
			}
			r, err := sc.build(e.Y)
			return append(l, r...), err
		}
	case *ast.ParenExpr:
		return sc.build(e.X)
	case *ast.Ident:
		if i, ok := sc.params[e.Name]; ok {
			return template{{param: i}}, nil
		}
	}
	return nil, fmt.Errorf("%T", e)
}

func (t template) hasParam() bool {
	for _, p := range t {
		if p.param >= 0 {
			return true
		}
	}
	return false
}

func (t template) literal() (string, bool) {
	var b strings.Builder
	for _, p := range t {
		if p.param >= 0 {
			return "", false
		}
		b.WriteString(p.lit)
	}
	return b.String(), true
}
