package health

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestReasonText: a reason keeps its key and figures, so it reads in any
// language, counts taking the language's plural; a reason stored before
// keys reads as its English message.
func TestReasonText(t *testing.T) {
	var r Result
	var m messages
	r.add(CodeBelowPlan, m.belowPlan(3, []windowShortfall{{30, 1, 12.9, 0.5}, {90, 4, 38.6, 0.5}}))
	r.add(CodeLowEngagement, m.lowEngagement(0.001, 0.004, 1, 2000, 30))
	r.add(CodeProjectEnded, m.projectEnded("Juba Bridges", time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), 90))
	for _, tt := range []struct {
		i          int
		lang, want string
	}{
		{0, "en", "1 post in the last 30 days where the plan means about 12.9 (at least 6.45 required); 4 posts in the last 90 days"},
		{0, "fr", "1 publication au cours des 30 derniers jours alors que le plan en prévoit environ 12,9 (au moins 6,45 exigées) ; 4 publications"},
		{0, "es", "1 publicación en los últimos 30 días"},
		{1, "en", "Engagement is 0.1% of followers per post (interactions averaged over 1 post of the last 30 days, 2,000 followers)"},
		{1, "es", "La participación es del 0,1\u00a0% de los seguidores por publicación (interacciones promediadas sobre 1 publicación de los últimos 30 días, 2.000 seguidores)"},
		{1, "fr", "L’engagement est de 0,1\u00a0% des abonnés par publication (interactions moyennes sur 1 publication des 30 derniers jours, 2\u00a0000 abonnés)"},
		{2, "fr", `Le projet "Juba Bridges" s’est terminé le 2025-01-31, il y a 120 jours`},
	} {
		if got := r.Reasons[tt.i].Text(tt.lang); !strings.Contains(got, tt.want) {
			t.Errorf("reason %d in %s = %q, want it to contain %q", tt.i, tt.lang, got, tt.want)
		}
	}
	for _, x := range r.Reasons {
		if x.Text("en") != x.Message {
			t.Errorf("%s: Message %q differs from its English text %q", x.Code, x.Message, x.Text("en"))
		}
	}
	if got := (Reason{Message: "Old reason."}).Text("fr"); got != "Old reason." {
		t.Errorf("a reason without key reads %q", got)
	}
}

// TestReasonFiguresAreNumbers: a reason keeps its figures as numbers, so a
// stored reason writes them in the reader's language (4 920 abonnés,
// 0,00903 %); a reason stored when figures were text already written reads
// as it did.
func TestReasonFiguresAreNumbers(t *testing.T) {
	var r Result
	r.add(CodeLowEngagement, messages{}.lowEngagement(0.0000903, 0.0005, 6, 4920, 90))
	b, err := json.Marshal(r.Reasons)
	if err != nil {
		t.Fatal(err)
	}
	var stored []Reason
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "Engagement is 0.00903% of followers per post (interactions averaged over 6 posts of the last 90 days, 4,920 followers); the floor for this platform is 0.05%.",
		"fr": "L’engagement est de 0,00903\u00a0% des abonnés par publication (interactions moyennes sur 6 publications des 90 derniers jours, 4\u00a0920 abonnés) ; le seuil pour cette plateforme est de 0,05\u00a0%.",
		"es": "0,00903\u00a0%",
	} {
		if got := stored[0].Text(lang); !strings.Contains(got, want) {
			t.Errorf("stored reason in %s = %q, want it to contain %q", lang, got, want)
		}
	}
	var old []Reason
	if err := json.Unmarshal([]byte(`[{"code":"low-engagement","clause":"4.6","message":"Engagement is 0.00903% …","key":"low-engagement",`+
		`"args":["0.00903%","6","90","4920","0.05%"]}]`), &old); err != nil {
		t.Fatal(err)
	}
	if got, want := old[0].Text("fr"), "L’engagement est de 0.00903% des abonnés par publication (interactions moyennes sur 6 publications des 90 derniers jours, 4920 abonnés)"; !strings.Contains(got, want) {
		t.Errorf("a reason stored with figures as text reads %q, want it to contain %q", got, want)
	}
}

func TestChartInFrench(t *testing.T) {
	asOf := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	svg := string(PostsPerWeekChart("fr", nil, 2, 4, asOf))
	for _, s := range []string{"<title", "Publications par semaine</title>", "Publications par semaine sur les 4 semaines se terminant le 2025-03-01",
		"semaine se terminant le 2025-02-22, 0 publication", "plan : 2 par semaine", ">1 mars<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("the French chart lacks %q", s)
		}
	}
	if svg := string(EngagementChart("es", nil, nil, 0.004, 2, asOf)); !strings.Contains(svg, "No hay cifras de participación para estas semanas") {
		t.Error("the Spanish engagement chart lacks its empty message")
	}
}
