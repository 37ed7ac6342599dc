package lookalike

import (
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

var orgNames = []string{"UNOPS", "United Nations Office for Project Services", "UN"}

func testRegistry(emblems ...Hash) *Registry {
	return NewRegistry([]Account{
		{ID: 1, Platform: "x", Handle: "UNOPS", DisplayName: "UNOPS"},
		{ID: 2, Platform: "x", Handle: "UNOPSKenya", DisplayName: "UNOPS in Kenya"},
		{ID: 3, Platform: "mastodon", Handle: "@unops@mastodon.social", DisplayName: "UNOPS"},
		{ID: 4, Platform: "bluesky", Handle: "unopsgeneva.bsky.social", DisplayName: "UNOPS Geneva"},
	}, orgNames, emblems)
}

func TestScoreImpostor(t *testing.T) {
	r := testRegistry()
	res := r.Score(Account{Platform: "x", Handle: "@UN0PS_Kenya", DisplayName: "UNOPS Kenya"})
	if res.Score < 0.9 {
		t.Errorf("@UN0PS_Kenya scores %.3f, want at least 0.9 (reasons %q)", res.Score, res.Reasons)
	}
	if res.Imitates == nil || res.Imitates.ID != 2 || res.Imitates.Handle != "UNOPSKenya" {
		t.Errorf("imitates %+v, want @UNOPSKenya (id 2)", res.Imitates)
	}
	if !strings.Contains(english(res.Reasons), "reads as @UNOPSKenya") {
		t.Errorf("reasons %q do not say the handle reads as @UNOPSKenya", res.Reasons)
	}
}

func TestScoreOrder(t *testing.T) {
	r := testRegistry()
	// Each case should score above the next.
	ordered := []Account{
		{Platform: "mastodon", Handle: "@un\u043eps@evil.example", DisplayName: "UNOPS"}, // Cyrillic о
		{Platform: "x", Handle: "UN0PS_Kenya", DisplayName: "UNOPS Kenya"},
		{Platform: "bluesky", Handle: "unops-genevaa.bsky.social", DisplayName: "UNOPS Genève"},
		{Platform: "x", Handle: "unops_jobs_kenya_2026", DisplayName: "Jobs"},
		{Platform: "x", Handle: "projectservicesfan", Bio: "I follow UNOPS news"},
		{Platform: "x", Handle: "gardening_tips", DisplayName: "Garden Tips", Bio: "Roses and tulips"},
	}
	prev := 2.0
	for _, a := range ordered {
		res := r.Score(a)
		if res.Score < 0 || res.Score > 1 {
			t.Fatalf("%s: score %v out of 0–1", a.Handle, res.Score)
		}
		if res.Score >= prev {
			t.Errorf("%s scores %.3f, not below the previous case's %.3f (reasons %q)", a.Handle, res.Score, prev, res.Reasons)
		}
		prev = res.Score
	}
	if res := r.Score(ordered[len(ordered)-1]); res.Score > 0.1 || res.Imitates != nil || len(res.Reasons) != 0 {
		t.Errorf("an unrelated account: %+v, want no score, no imitated account, no reasons", res)
	}
	if res := r.Score(ordered[2]); res.Imitates == nil || res.Imitates.ID != 4 {
		t.Errorf("unops-genevaa on Bluesky imitates %+v, want @unopsgeneva (id 4)", res.Imitates)
	}
}

func TestScoreShortNameNotInsideWords(t *testing.T) {
	r := testRegistry()
	res := r.Score(Account{Platform: "x", Handle: "funrunner", DisplayName: "Fun runner", Bio: "Sunday runs"})
	if res.Score != 0 {
		t.Errorf("\"UN\" inside \"fun\" counted: %+v", res)
	}
	res = r.Score(Account{Platform: "x", Handle: "someone", DisplayName: "UN"})
	if res.Score == 0 {
		t.Errorf("a display name that is \"UN\" scored 0")
	}
}

func TestScoreEmblem(t *testing.T) {
	emblem := HashOf(PlaceholderEmblem(128))
	r := testRegistry(emblem)
	a := Account{Platform: "x", Handle: "unops_news_desk", DisplayName: "News desk"}
	without := r.Score(a)
	a.Avatar = &emblem
	with := r.Score(a)
	if with.Score < without.Score+0.2 {
		t.Errorf("the emblem as avatar raises the score from %.3f to %.3f only", without.Score, with.Score)
	}
	if !strings.Contains(english(with.Reasons), "approved emblem") {
		t.Errorf("reasons %q do not name the emblem", with.Reasons)
	}
}

func BenchmarkScore(b *testing.B) {
	var accts []Account
	for i := range 200 {
		accts = append(accts, Account{ID: int64(i), Platform: "x", Handle: "UNOPSOffice" + strings.Repeat("x", i%7) + string(rune('a'+i%26)),
			DisplayName: "UNOPS office " + string(rune('A'+i%26))})
	}
	r := NewRegistry(accts, orgNames, nil)
	f := Account{Platform: "x", Handle: "UN0PS_Kenya", DisplayName: "UNOPS Kenya", Bio: "Official account of UNOPS in Kenya"}
	b.ResetTimer()
	for b.Loop() {
		r.Score(f)
	}
}

func TestScoreCarriesLongestHandle(t *testing.T) {
	res := testRegistry().Score(Account{Platform: "x", Handle: "unopskenya_official_news"})
	if res.Imitates == nil || res.Imitates.ID != 2 {
		t.Errorf("unopskenya_official_news imitates %+v, want @UNOPSKenya (id 2), the longest registered handle it carries", res.Imitates)
	}
}

// english is reasons in English, one a line.
func english(reasons []model.LookalikeReason) string {
	var b strings.Builder
	for _, r := range reasons {
		b.WriteString(r.English + "\n")
	}
	return b.String()
}

// TestReasonsKeyed: each reason names its catalog key, so pages read it in
// their language, and keeps the English sentence takedown reports and logs
// use.
func TestReasonsKeyed(t *testing.T) {
	emblem := HashOf(PlaceholderEmblem(128))
	r := NewRegistry([]Account{{ID: 2, Platform: "x", Handle: "UNOPSKenya", DisplayName: "UNOPS in Kenya"}}, orgNames, []Hash{emblem})
	res := r.Score(Account{Platform: "x", Handle: "@UN0PS_Kenya", DisplayName: "UNOPS in Kenya", Avatar: &emblem})
	want := map[string]string{
		"lookalike.handle_reads_as": "handle @UN0PS_Kenya reads as @UNOPSKenya (same letters once look-alike characters, case and separators are set aside)",
		"lookalike.display_name":    `display name is like "UNOPS in Kenya"`,
		"lookalike.org_name":        `uses the organization's name "UNOPS"`,
		"lookalike.emblem":          "avatar is an approved emblem (distance 0 of 64)",
	}
	for _, x := range res.Reasons {
		if w, ok := want[x.Key]; ok && x.English != w {
			t.Errorf("%s: %q, want %q", x.Key, x.English, w)
		}
		if fr := x.Text("fr"); fr == x.English || strings.Contains(fr, "lookalike.") {
			t.Errorf("%s in French: %q", x.Key, fr)
		}
		delete(want, x.Key)
	}
	if len(want) > 0 {
		t.Errorf("reasons %q lack %v", res.Reasons, want)
	}
}
