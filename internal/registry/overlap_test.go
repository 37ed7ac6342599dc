package registry

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

func loadRegistry(t testing.TB) []model.Account {
	t.Helper()
	f, err := os.Open("testdata/registry.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	accs, err := ParseCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	return accs
}

func TestOverlapsClosestFirst(t *testing.T) {
	reg := loadRegistry(t)
	status := map[int64]string{}
	for _, a := range reg {
		status[a.ID] = a.Status
	}
	tests := []struct {
		name      string
		candidate model.Account
		want      int64
		reason    string // a reason the closest must give
	}{
		{"spanish news on X", model.Account{Platform: "x", Handle: "@UNOPS_noticias", Office: "HQ Communications", Languages: []string{"es"},
			Audience: "Spanish-speaking public and media in Latin America", Purpose: "noticias de UNOPS en español"},
			2, "@UNOPS_es already posts in Spanish on X for this audience"},
		{"haiti hospitals page", model.Account{Platform: "facebook", Office: "Haiti", Languages: []string{"fr"}, Kind: "project",
			Audience: "communautés du sud d'Haïti", Purpose: "reconstruction d'hôpitaux dans le sud d'Haïti",
			Project: &model.Project{Name: "Hôpitaux du Sud II", Keywords: []string{"hôpital", "santé"}}},
			15, "run by the same office (Haiti)"},
		{"kenya water project on X", model.Account{Platform: "twitter", Office: "kenya", Languages: []string{"en"}, Kind: "project",
			Audience: "Kenyan public and county governments", Purpose: "water supply works in Mombasa county",
			Project: &model.Project{Name: "Mombasa Water", Keywords: []string{"water", "Mombasa"}}},
			9, "@UNOPS_Kenya already posts in English on X for this audience"},
		{"instagram for young people", model.Account{Platform: "instagram", Office: "HQ Communications", Languages: []string{"en"},
			Audience: "young people", Purpose: "photos and videos of our projects"},
			6, "similar audience: young"},
		{"water in Cusco", model.Account{Platform: "facebook", Office: "Peru", Languages: []string{"es"}, Kind: "project",
			Audience: "comunidades rurales de Cusco", Purpose: "agua potable y saneamiento rural en Cusco",
			Project: &model.Project{Name: "Agua para Cusco", Keywords: []string{"agua", "saneamiento", "Cusco"}}},
			13, "similar topics: "},
		{"topic decides between two Peru pages", model.Account{Platform: "facebook", Office: "Peru", Languages: []string{"es"},
			Audience: "público peruano", Purpose: "obras de agua potable y saneamiento",
			Project: &model.Project{Name: "Saneamiento Rural", Keywords: []string{"agua", "saneamiento"}}},
			13, "similar topics: "},
		{"juba bridge works", model.Account{Platform: "x", Office: "South Sudan", Languages: []string{"en"}, Kind: "project",
			Audience: "road users in Juba", Purpose: "bridge construction progress in Juba",
			Project: &model.Project{Name: "Juba Bridges Phase II", Keywords: []string{"bridge", "Juba"}}},
			25, "similar topics: "},
		{"fediverse, at risk still counts", model.Account{Platform: "mastodon", Office: "HQ Communications", Languages: []string{"en"},
			Audience: "researchers and the tech community", Purpose: "corporate news"},
			8, "already posts in English on Mastodon"},
		{"closure-proposed does not count", model.Account{Platform: "x", Office: "HQ Communications", Languages: []string{"en", "da"},
			Audience: "Danish public, UN City visitors", Purpose: "UN City events in Copenhagen"},
			1, "already posts in English on X"},
		{"peru photos in french", model.Account{Platform: "instagram", Office: "Peru", Languages: []string{"es"},
			Audience: "jóvenes", Purpose: "fotos de colegios en el Perú"},
			29, "@unops_peru already posts in Spanish on Instagram for this audience"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Overlaps(tt.candidate, reg, 5)
			if len(got) == 0 {
				t.Fatal("no overlap")
			}
			if got[0].AccountID != tt.want {
				t.Errorf("closest = %d %s (%.3f), want %d; all: %+v", got[0].AccountID, got[0].Handle, got[0].Score, tt.want, got)
			}
			if !slices.ContainsFunc(got[0].Reasons, func(r OverlapReason) bool { return strings.Contains(r.String(), tt.reason) }) {
				t.Errorf("reasons %q lack %q", got[0].Reasons, tt.reason)
			}
			if len(got) > 5 {
				t.Errorf("%d results, want at most 5", len(got))
			}
			for i, o := range got {
				if s := status[o.AccountID]; s != model.StatusActive && s != model.StatusAtRisk {
					t.Errorf("%s (%s) counted", o.Handle, s)
				}
				if o.Score <= 0 || o.Score > 1 {
					t.Errorf("score %v out of range", o.Score)
				}
				if i > 0 && o.Score > got[i-1].Score {
					t.Errorf("not sorted: %v after %v", o.Score, got[i-1].Score)
				}
			}
		})
	}
}

func TestOverlapsEdges(t *testing.T) {
	reg := loadRegistry(t)
	if got := Overlaps(model.Account{}, nil, 3); len(got) != 0 {
		t.Errorf("empty registry: %+v", got)
	}
	// An account is not its own overlap.
	self := reg[1]
	for _, o := range Overlaps(self, reg, 0) {
		if o.AccountID == self.ID {
			t.Errorf("account %d overlaps itself", self.ID)
		}
	}
	all := Overlaps(model.Account{Platform: "x", Languages: []string{"en"}}, reg, 0)
	if len(all) <= 5 {
		t.Errorf("n=0 gave %d results, want every account that overlaps", len(all))
	}
	// One shared trait is not an overlap: the same platform alone, in a
	// language nobody in the registry uses, about nothing they post about.
	if got := Overlaps(model.Account{Platform: "x", Languages: []string{"zu"}, Office: "Nowhere"}, reg, 0); len(got) != 0 {
		t.Errorf("the same platform alone listed %d overlaps: %+v", len(got), got[0])
	}
	for _, o := range all {
		if o.Score < minScore {
			t.Errorf("listed below the threshold: %+v", o)
		}
	}
	// An identical account on the same platform scores close to 1.
	twin := reg[0]
	twin.ID = 0
	got := Overlaps(twin, reg, 1)
	if len(got) != 1 || got[0].AccountID != reg[0].ID || got[0].Score < 0.95 {
		t.Errorf("twin: %+v", got)
	}
}

func BenchmarkOverlaps(b *testing.B) {
	reg := loadRegistry(b)
	cand := model.Account{Platform: "x", Office: "Kenya", Languages: []string{"en", "sw"}, Audience: "Kenyan public", Purpose: "roads and health facilities in Kenya"}
	for b.Loop() {
		Overlaps(cand, reg, 5)
	}
}

// TestOverlapReasonText: a reason names languages in the reader's
// language, in English in logs and JSON.
func TestOverlapReasonText(t *testing.T) {
	r := reason("overlap.posts_in_on", "@UNOPS_fr", languageList{"fr", "en"}, "X")
	for lang, want := range map[string]string{
		"en": "@UNOPS_fr already posts in French and English on X",
		"fr": "@UNOPS_fr publie déjà en français et anglais sur X",
		"es": "@UNOPS_fr ya publica en francés e inglés en X",
	} {
		if got := r.Text(lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if b, err := json.Marshal(r); err != nil || string(b) != `"@UNOPS_fr already posts in French and English on X"` {
		t.Errorf("JSON %s %v, want the English sentence", b, err)
	}
}
