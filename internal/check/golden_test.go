package check

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

var update = flag.Bool("update", false, "rewrite testdata/reports.golden from the current code")

// goldenFile holds, for every input of TestReportsGolden, a digest of
// what the checker says of it with the default pack.
const goldenFile = "testdata/reports.golden"

// sharedTestdata is ../shared/testdata beside the repository.
const sharedTestdata = "../../../shared/testdata"

// goldenInput is one line of the golden file: drafts and their key.
type goldenInput struct {
	key    string // source and id
	drafts []model.Draft
}

// TestReportsGolden checks that the reports of the default pack on the
// checker's corpus, its pack examples and the shared evaluation texts are
// the ones the golden file recorded: a change meant only to make the
// checker faster must leave every byte of every report as it was. Each
// text is checked as written and as a project post, a reply and a personal
// post; corpus drafts are also explained for every frame rule; and the raw
// score of each model is compared bit for bit.
//
// When the pack, a model or the corpus change on purpose, rewrite the file
// with `go test ./internal/check -run TestReportsGolden -update` and read
// the diff: the lines that change name the inputs whose reports changed.
func TestReportsGolden(t *testing.T) {
	p, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(p, Options{Now: func() time.Time { return corpus.Date }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var order []string
	put := func(key, digest string) {
		got[key] = digest
		order = append(order, key)
	}
	pj, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	put("pack", short(pj))
	var models []*classify.Model
	for i := range c.rules {
		if cl := c.rules[i].clf; cl != nil && !slices.Contains(models, cl.m) {
			models = append(models, cl.m)
			put("model "+cl.m.Header.Name, cl.m.Digest()[:16])
		}
	}
	var frameRules []string
	for _, ri := range c.frameRules {
		frameRules = append(frameRules, c.rules[ri].ID)
	}
	digest := func(in goldenInput, explain bool) string {
		h := sha256.New()
		enc := json.NewEncoder(h)
		for _, d := range in.drafts {
			if err := enc.Encode(c.Check(d)); err != nil {
				t.Fatal(err)
			}
		}
		d := in.drafts[0]
		if explain {
			for _, id := range append([]string{""}, frameRules...) {
				if err := enc.Encode(c.Explain(d, id)); err != nil {
					t.Fatal(err)
				}
			}
		}
		var n normalized
		n.normalize(d.Text)
		for _, m := range models {
			binary.Write(h, binary.LittleEndian, math.Float64bits(m.Score(d.Text, n.text)))
		}
		return hex.EncodeToString(h.Sum(nil))[:16]
	}

	var local []goldenInput
	for i := range c.rules {
		r := &c.rules[i]
		for k, ex := range r.Examples.Fire {
			local = append(local, goldenInput{fmt.Sprintf("example %s/fire/%d", r.ID, k), []model.Draft{exampleDraft(r, ex)}})
		}
		for k, ex := range r.Examples.Pass {
			local = append(local, goldenInput{fmt.Sprintf("example %s/pass/%d", r.ID, k), []model.Draft{exampleDraft(r, ex)}})
		}
	}
	posts, err := filepath.Glob("testdata/posts/*.jsonl")
	if err != nil || len(posts) == 0 {
		t.Fatalf("no posts in testdata/posts: %v", err)
	}
	for _, path := range posts {
		for n, line := range readLines(t, path) {
			if line == "" || strings.HasPrefix(line, "//") {
				continue
			}
			var d model.Draft
			if err := json.Unmarshal([]byte(line), &d); err != nil {
				t.Fatalf("%s:%d: %v", path, n+1, err)
			}
			local = append(local, goldenInput{fmt.Sprintf("posts %s:%d", filepath.Base(path), n+1), variants(d)})
		}
	}
	for _, half := range []string{corpus.Tune, corpus.Test} {
		items, err := corpus.Load(filepath.Join("testdata", "corpus"), half)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			local = append(local, goldenInput{"corpus " + it.ID, variants(it.Draft())})
		}
	}
	for _, in := range local {
		put(in.key, digest(in, true))
	}

	// The shared texts (real tweets and sentences) in blocks of 50.
	shared := map[string][]string{
		"tweeteval-offensive/val_text.txt": nil,
		"subjectivity/dev.jsonl":           nil,
		"presidio-synth/dev.json":          nil,
	}
	for name := range shared {
		texts, err := sharedTexts(filepath.Join(sharedTestdata, name))
		if os.IsNotExist(err) {
			t.Logf("%s is absent: its lines of the golden file are not compared", name)
			delete(shared, name)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		shared[name] = texts
	}
	for _, name := range sortedKeys(shared) {
		texts := shared[name]
		for lo := 0; lo < len(texts); lo += 50 {
			h := sha256.New()
			for _, text := range texts[lo:min(lo+50, len(texts))] {
				d := model.Draft{Text: text, Platform: "x", Account: model.DraftAccount{Kind: model.KindCountryOffice}}
				h.Write([]byte(digest(goldenInput{drafts: variants(d)}, false)))
			}
			put(fmt.Sprintf("shared %s:%d", name, lo+1), hex.EncodeToString(h.Sum(nil))[:16])
		}
	}

	if *update {
		var b bytes.Buffer
		b.WriteString("# Digests of the default pack's reports, written by TestReportsGolden -update.\n")
		for _, k := range order {
			fmt.Fprintf(&b, "%s\t%s\n", k, got[k])
		}
		if err := os.WriteFile(goldenFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := map[string]string{}
	for _, line := range readLines(t, goldenFile) {
		if k, v, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			want[k] = v
		}
	}
	var changed, missing, added []string
	for k, v := range want {
		g, ok := got[k]
		switch {
		case !ok && strings.HasPrefix(k, "shared ") && shared[sharedName(k)] == nil:
		case !ok:
			missing = append(missing, k)
		case g != v:
			changed = append(changed, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			added = append(added, k)
		}
	}
	if len(changed)+len(missing)+len(added) == 0 {
		return
	}
	for _, l := range []*[]string{&changed, &missing, &added} {
		sort.Strings(*l)
		if len(*l) > 20 {
			*l = append((*l)[:20], "…")
		}
	}
	t.Errorf("reports differ from %s: changed %v; inputs gone %v; inputs new %v\n"+
		"(if the pack, a model or the corpus changed on purpose, rewrite the file with -update)",
		goldenFile, changed, missing, added)
}

// variants are the drafts a text is checked as: as written, from a
// project account, as the post a corporate reply answers, and from a
// personal account on no platform.
func variants(d model.Draft) []model.Draft {
	project := d
	project.Account.Kind = model.KindProject
	if project.Account.Project == nil {
		project.Account.Project = &model.Project{Name: "Juba Bridges Programme", Keywords: []string{"bridge", "Juba"}}
	}
	reply := model.Draft{ID: d.ID, Text: "Thank you for your message; we will look into it.", ReplyTo: d.Text,
		Platform: d.Platform, Account: model.DraftAccount{Kind: model.KindCorporate}}
	personal := model.Draft{ID: d.ID, Text: d.Text, ReplyTo: d.ReplyTo}
	return []model.Draft{d, project, reply, personal}
}

func short(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])[:16]
}

func sharedName(key string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(key, "shared "), ":")
	return name
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// sharedTexts reads the texts of a shared data file: one per line (.txt),
// the "text" of each line (.jsonl) or the "full_text" of each element (.json).
func sharedTexts(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var texts []string
	switch filepath.Ext(path) {
	case ".txt":
		texts = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	case ".jsonl":
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			var v struct{ Text string }
			if err := json.Unmarshal(line, &v); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			texts = append(texts, v.Text)
		}
	default:
		var vs []struct {
			FullText string `json:"full_text"`
		}
		if err := json.Unmarshal(data, &vs); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, v := range vs {
			texts = append(texts, v.FullText)
		}
	}
	return texts, nil
}
