package health

import (
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
		{0, "fr", "1 publication au cours des 30 derniers jours alors que le plan en prévoit environ 12.9 (au moins 6.45 exigées) ; 4 publications"},
		{0, "es", "1 publicación en los últimos 30 días"},
		{1, "en", "Engagement is 0.1% of followers per post (interactions averaged over 1 post of the last 30 days, 2000 followers)"},
		{1, "es", "La participación es del 0.1% de los seguidores por publicación (interacciones promediadas sobre 1 publicación"},
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
