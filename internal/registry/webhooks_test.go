package registry

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// Requests, decisions, status changes and found accounts reach other
// systems as webhook events written with the change.
func TestWebhookEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		st := f.svc.Store
		ep := &model.WebhookEndpoint{URL: "https://hooks.example.org/herald", Secret: []byte("sealed"),
			EventTypes: model.EventTypes, OwnerID: f.admin.ID}
		if err := st.CreateWebhookEndpoint(ctx, f.adminA, ep); err != nil {
			t.Fatal(err)
		}
		events := func() ([]string, []model.WebhookDelivery) {
			ds, err := st.WebhookDeliveries(ctx, ep.ID, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(ds)
			var types []string
			for _, d := range ds {
				types = append(types, d.Type)
			}
			return types, ds
		}
		res, err := f.svc.Request(ctx, f.managerA, f.manager, haitiRequest(), "")
		if err != nil {
			t.Fatal(err)
		}
		id := res.Account.ID
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, id, "approve", "Fits the strategy."); err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{model.StatusAtRisk, model.StatusClosureProposed, model.StatusClosed} {
			if _, err := f.svc.Transition(ctx, f.adminA, id, to, "no posts since March"); err != nil {
				t.Fatalf("to %s: %v", to, err)
			}
		}
		found := "platform,handle,display name\nx,UNOPSKenyaJobs,UNOPS Kenya jobs\n"
		if added, _, _, err := f.svc.ImportFound(ctx, f.adminA, strings.NewReader(found)); err != nil || added != 1 {
			t.Fatalf("import found: %d, %v", added, err)
		}
		types, ds := events()
		want := "request.created request.decided account.at_risk account.closure_proposed account.closed found_account.reported"
		if strings.Join(types, " ") != want {
			t.Fatalf("events %v, want %s", types, want)
		}
		var body struct {
			Type string `json:"type"`
			Data struct {
				Account struct {
					ID     int64
					Status string
				} `json:"account"`
				Actor    struct{ Email string } `json:"actor"`
				Decision string                 `json:"decision"`
			} `json:"data"`
		}
		if err := json.Unmarshal(ds[1].Payload, &body); err != nil {
			t.Fatal(err)
		}
		if body.Type != "request.decided" || body.Data.Decision != "approve" || body.Data.Account.ID != id ||
			body.Data.Account.Status != model.StatusActive || body.Data.Actor.Email != f.reviewer.Email {
			t.Fatalf("request.decided body %s", ds[1].Payload)
		}
	})
}
