package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxPackBytes bounds a pack or overlay file; real packs are far smaller.
const MaxPackBytes = 8 << 20

// Load reads and parses the pack file at path.
func Load(path string) (*Pack, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPackBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxPackBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxPackBytes)
	}
	return data, nil
}

// Parse reads a pack from YAML and validates it. Every error names the file
// (name), the line and, for a rule, the rule's id; all problems found are
// reported together.
func Parse(name string, data []byte) (*Pack, error) {
	root, err := parseDocument(name, data)
	if err != nil {
		return nil, err
	}
	var ps problems
	loc := newLocator(name, root, "rules")
	checkKeys(root, reflect.TypeFor[Pack](), loc, &ps)
	var p Pack
	decode(root, &p, loc, &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	p.Models = modelPaths(nil, p.Models, name)
	p.src = sources{file: name, rulePos: loc.itemPos("rules"), clausePos: loc.itemPos("clauses"), conceptPos: loc.itemPos("concepts"), healthPos: pos{file: name}}
	if h := mapValue(mapValue(root, "parameters"), "health"); h != nil {
		p.src.healthPos.line = h.Line
	}
	if len(p.src.rulePos) != len(p.Rules) || len(p.src.clausePos) != len(p.Clauses) || len(p.src.conceptPos) != len(p.Concepts) {
		// Cannot happen for a decoded sequence; guard the parallel slices anyway.
		p.src.rulePos = make([]pos, len(p.Rules))
		p.src.clausePos = make([]pos, len(p.Clauses))
		p.src.conceptPos = make([]pos, len(p.Concepts))
	}
	p.readPlaces(name, 0, &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// modelPaths returns base with the models of add, whose relative paths are
// read from the folder of the file that declares them.
func modelPaths(base, add map[string]string, file string) map[string]string {
	if len(add) == 0 {
		return base
	}
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	for name, path := range add {
		if path != "" && !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(file), path)
		}
		out[name] = path
	}
	return out
}

// parseDocument returns the top-level mapping of a single-document YAML file.
func parseDocument(name string, data []byte) (root *yaml.Node, err error) {
	// yaml.v3 has panicked on hostile input in the past; a pack file must
	// never bring the process down.
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("%s: malformed YAML: %v", name, r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file", name)
		}
		return nil, fmt.Errorf("%s", withLine(name, err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s:%d: more than one YAML document", name, extra.Line)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the file must be a YAML mapping", name, doc.Line)
	}
	return doc.Content[0], nil
}

// withLine turns yaml.v3's "yaml: line N: msg" into "name:N: msg".
func withLine(name string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
		return fmt.Sprintf("%s:%d: %s", name, line, strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:]))
	}
	return name + ": " + msg
}

// decode fills out from n, turning yaml.v3's "line N: ..." errors into
// problems with the rule they concern.
func decode(n *yaml.Node, out any, loc *locator, ps *problems) {
	err := safeDecode(n, out)
	if err == nil {
		return
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		ps.add(pos{loc.file, n.Line}, "", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	for _, msg := range te.Errors {
		line := 0
		if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
			msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
		}
		ps.add(pos{loc.file, line}, loc.ruleAt(line), "%s", msg)
	}
}

func safeDecode(n *yaml.Node, out any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML: %v", r)
		}
	}()
	return n.Decode(out)
}

// locator finds which rule a line belongs to, from the positions of the
// items of the rules sequence.
type locator struct {
	file  string
	root  *yaml.Node
	spans []ruleSpan
}

type ruleSpan struct {
	from, to int // lines, to exclusive (0: to the end)
	id       string
}

func newLocator(file string, root *yaml.Node, ruleKeys ...string) *locator {
	l := &locator{file: file, root: root}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if !slices.Contains(ruleKeys, root.Content[i].Value) || root.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		end := 0
		if i+2 < len(root.Content) {
			end = root.Content[i+2].Line
		}
		items := root.Content[i+1].Content
		for j, it := range items {
			s := ruleSpan{from: it.Line, to: end, id: scalarValue(it, "id")}
			if j+1 < len(items) {
				s.to = items[j+1].Line
			}
			l.spans = append(l.spans, s)
		}
	}
	return l
}

// ruleAt returns the id of the rule written at line, or "".
func (l *locator) ruleAt(line int) string {
	for _, s := range l.spans {
		if line >= s.from && (s.to == 0 || line < s.to) {
			return s.id
		}
	}
	return ""
}

// itemPos returns the position of each item of the top-level sequence key.
func (l *locator) itemPos(key string) []pos {
	n := mapValue(l.root, key)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]pos, len(n.Content))
	for i, it := range n.Content {
		out[i] = pos{l.file, it.Line}
	}
	return out
}

// itemPosOr gives n positions for the items of the sequence under key:
// each item's own, or def where the file has fewer items than n.
func (l *locator) itemPosOr(key string, n int, def pos) []pos {
	out := l.itemPos(key)
	for len(out) < n {
		out = append(out, def)
	}
	return out
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalarValue(n *yaml.Node, key string) string {
	v := mapValue(n, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// checkKeys reports every mapping key in n that the Go type t does not
// have, so that a misspelt key is an error instead of being ignored.
// Type mismatches are left to the decoder, which reports them.
func checkKeys(n *yaml.Node, t reflect.Type, loc *locator, ps *problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		return // its anchor was checked where it was defined
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // a plain Term or Example, or a type error the decoder reports
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			f, ok := fieldByTag(t, k.Value)
			if !ok {
				ps.add(pos{loc.file, k.Line}, loc.ruleAt(k.Line), "unknown key %q (known: %s)", k.Value, strings.Join(tags(t), ", "))
				continue
			}
			checkKeys(n.Content[i+1], f.Type, loc, ps)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, it := range n.Content {
				checkKeys(it, t.Elem(), loc, ps)
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				checkKeys(n.Content[i], t.Elem(), loc, ps)
			}
		}
	}
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag := strings.Split(f.Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" && tag == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tags(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}
