package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestImpersonationReportText(t *testing.T) {
	score := 0.948
	f := &model.FoundAccount{Platform: "mastodon", Handle: "UN0PS_Kenya@mastodon.example", URL: "https://mastodon.example/@UN0PS_Kenya",
		DisplayName: "UNOPS Kenya", Bio: "Official UNOPS Kenya. Jobs and tenders: DM us.", LookalikeScore: &score,
		Reasons:    []model.LookalikeReason{model.NewLookalikeReason("lookalike.handle_reads_as", "UN0PS_Kenya", "@UNOPSKenya")},
		ImportedAt: time.Date(2026, 12, 4, 6, 0, 0, 0, time.UTC)}
	imitated := &model.Account{Platform: "x", Handle: "UNOPSKenya", ProfileURL: "https://x.com/UNOPSKenya"}
	r := impersonationReport(f, imitated, "United Nations Office for Project Services", "UNOPS")
	for _, want := range []string{"@UN0PS_Kenya@mastodon.example (https://mastodon.example/@UN0PS_Kenya)",
		"United Nations Office for Project Services (UNOPS)", "imitating our official account @UNOPSKenya (https://x.com/UNOPSKenya)",
		"- Handle @UN0PS_Kenya reads as @UNOPSKenya", "Jobs and tenders", "4 December 2026"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("report text lacks %q:\n%s", want, r.Text)
		}
	}
	if r.FormURL != "https://mastodon.example/about" || !strings.Contains(r.HowTo, "moderators") {
		t.Errorf("Mastodon: form %q, how %q; want the instance's about page", r.FormURL, r.HowTo)
	}
	for platform, host := range map[string]string{"x": "help.x.com", "instagram": "help.instagram.com", "facebook": "facebook.com", "youtube": "support.google.com"} {
		r := impersonationReport(&model.FoundAccount{Platform: platform, Handle: "unops_fake"}, nil, "UNOPS", "UNOPS")
		if !strings.Contains(r.FormURL, host) || r.HowTo == "" || strings.Contains(r.Text, "imitating") {
			t.Errorf("%s: %+v", platform, r)
		}
	}
	if r := impersonationReport(&model.FoundAccount{Platform: "youtube", Handle: "channel/UCk3nYaFak3Unops00000001"}, nil, "UNOPS", ""); !strings.Contains(r.Text, "the channel UCk3nYaFak3Unops00000001") {
		t.Errorf("YouTube channel named as %q", r.Text)
	}
}

func TestImpersonationReportAndRequestDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		res, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest())
		if err != nil {
			t.Fatal(err)
		}
		score, id := 0.9, res.Account.ID
		found := []model.FoundAccount{{Platform: "x", Handle: "UN0PS_Haiti", HandleKey: "un0ps_haiti", DisplayName: "UNOPS Haïti",
			Bio: "Bureau officiel", URL: "https://x.com/UN0PS_Haiti", LookalikeScore: &score, ImitatesID: &id, Reasons: []model.LookalikeReason{{English: "looks alike"}}}}
		st := f.svc.Store
		if err := st.SetDiscoverySearches(ctx, []store.DiscoverySearch{{Platform: "x", Query: "UNOPS"}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		ds, err := st.ClaimDueSearches(ctx, "t", time.Now().Add(time.Minute), time.Now().Add(time.Hour), 1)
		if err != nil || len(ds) != 1 {
			t.Fatal(ds, err)
		}
		if _, err := st.DiscoverySucceeded(ctx, ds[0], "t", found, nil, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.ImpersonationReport(ctx, found[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, "imitating our official account @UNOPS_Haiti") || r.FormURL != impersonationForms["x"].url {
			t.Errorf("report %+v", r)
		}
		draft, err := f.svc.RequestDraft(ctx, found[0].ID)
		if err != nil || draft.Platform != "x" || draft.Handle != "UN0PS_Haiti" || draft.ProfileURL != "https://x.com/UN0PS_Haiti" ||
			draft.DisplayName != "UNOPS Haïti" || draft.Bio != "Bureau officiel" {
			t.Errorf("draft %+v, %v", draft, err)
		}
		if _, err := f.svc.ImpersonationReport(ctx, 999); err == nil {
			t.Error("a report for a missing found account")
		}
	})
}
