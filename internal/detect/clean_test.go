package detect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/testutil"
)

// TestCleanPosts: ordinary news posts, full of figures, dates, codes and
// places, give no personal-data finding.
func TestCleanPosts(t *testing.T) {
	posts := []string{
		"In 2025, UNOPS helped 1,234,567 people in 85 countries. Our annual report (v2.3.10) is out: unops.org/annual-report #SDG6",
		"With USD 2.5 million from the EU, we rebuilt 3 roads and 5 bridges in Juba between 2023-2025. Thanks to our partners!",
		"Plus de 3 000 000 personnes ont accès à l'eau potable depuis 2019. Merci à nos partenaires au Burkina Faso.",
		"Más de 120 000 personas en 12 municipios de Colombia tienen ahora acceso a servicios de salud. 45% son mujeres.",
		"Our headquarters in Copenhagen hosted 250 partners on 15.02.2026 from 10:30-12:00. Policy OI.CG.2019.02 applies.",
		"ISO 9001:2015 and ISO 14001 certified. Scores rose from 3.5, 4.0 to 4.5 out of 5. Contact press@unops.org",
		"Le projet a construit 42 écoles et 7 centres de santé; 97,5 % des travaux sont terminés. Écrivez à communications@unops.org",
		"Call for proposals 2026-2027 is open until 30 April 2026! Budget: EUR 1.500.000. Reference RFP/2026/12345.",
		"Follow @UNOPS_es y @UNOPS_fr para noticias en español y francés. 30 años de trabajo en 80 países.",
		"Temperatures reached 45°C in Mali; 2 000 000 litres of water delivered by 150 trucks.",
	}
	for _, n := range []string{"phone", "email", "coordinates", "street-address", "iban", "payment-card", "national-id"} {
		d := mustNew(t, n, nil)
		for _, p := range posts {
			if got := found(d, p); len(got) != 0 {
				t.Errorf("%s fired on a clean post: %q in %q", n, got, p)
			}
		}
	}
}

// TestCorpusCleanPosts: the clean posts of the checker's own corpora
// (internal/check/testdata: the news posts and both halves of the
// evaluation corpus) give no personal-data finding.
func TestCorpusCleanPosts(t *testing.T) {
	root := testutil.RepoRoot(t)
	files := []string{"posts/clean.jsonl", "corpus/tune/clean.jsonl", "corpus/test/clean.jsonl"}
	var posts []string
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, "internal", "check", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "//") {
				continue
			}
			var p struct{ Text string }
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				t.Fatalf("%s:%d: %v", f, i+1, err)
			}
			posts = append(posts, p.Text)
		}
	}
	if len(posts) < 400 {
		t.Fatalf("read %d clean posts, want the corpora's 400 or more", len(posts))
	}
	for _, n := range []string{"phone", "email", "coordinates", "street-address", "iban", "payment-card", "national-id"} {
		d := mustNew(t, n, nil)
		for _, p := range posts {
			if got := found(d, p); len(got) != 0 {
				t.Errorf("%s fired on a clean post: %q in %q", n, got, p)
			}
		}
	}
}
