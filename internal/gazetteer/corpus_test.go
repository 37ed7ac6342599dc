package gazetteer

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestCorpusPlaces lists the places found in the tune half of the checker's
// evaluation corpus (clean posts by default; HERALD_GAZETTEER_CORPUS names
// another file), one line per match, for reading by hand: docs/QUALITY.md
// counts those that are not places. It asserts nothing about them.
func TestCorpusPlaces(t *testing.T) {
	path := os.Getenv("HERALD_GAZETTEER_CORPUS")
	if path == "" {
		path = filepath.Join("..", "check", "testdata", "corpus", "tune", "clean.jsonl")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no corpus at %s (HERALD_GAZETTEER_CORPUS names one): %v", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	posts, found, ambiguous := 0, 0, 0
	for sc.Scan() {
		var d struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		posts++
		for _, m := range Find(d.Text) {
			found++
			flag := ""
			if m.Ambiguous {
				ambiguous++
				flag = " (ambiguous)"
			}
			t.Logf("%s\t%q\t%s %s %s%s", d.ID, d.Text[m.Start:m.End], m.Name, m.Country, m.Kind, flag)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d posts, %d places found, %d of them ambiguous names", posts, found, ambiguous)
}
