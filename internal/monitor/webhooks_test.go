package monitor

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// The daily evaluation's status changes reach other systems: an account
// gone quiet is account.at_risk, then account.closure_proposed after the
// grace period, both by system:monitor.
func TestEvaluateWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		owner := &model.User{Email: "admin@unops.org", Name: "Admin", Role: model.RoleAdmin}
		if err := s.CreateUser(ctx, admin(), owner); err != nil {
			t.Fatal(err)
		}
		ep := &model.WebhookEndpoint{URL: "https://hooks.example.org/h", Secret: []byte("sealed"), OwnerID: owner.ID,
			EventTypes: []string{model.EventAccountAtRisk, model.EventAccountClosureProposed}}
		if err := s.CreateWebhookEndpoint(ctx, admin(), ep); err != nil {
			t.Fatal(err)
		}
		asOf := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
		quiet := addAccounts(t, s, model.Account{Platform: "x", Handle: "quiet", CreatedAt: asOf.Add(-day(400))})[0]
		if err := s.UpsertPosts(ctx, posts(quiet, 20, asOf.Add(-day(60)), day(2), ptr(40))); err != nil {
			t.Fatal(err)
		}
		m := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}})
		for _, at := range []time.Time{asOf, asOf.Add(day(1)), asOf.Add(day(30))} {
			if _, err := m.Evaluate(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		ds, err := s.WebhookDeliveries(ctx, ep.ID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 || ds[1].Type != model.EventAccountAtRisk || ds[0].Type != model.EventAccountClosureProposed {
			t.Fatalf("deliveries %+v", ds)
		}
		var body struct {
			Data struct {
				Account struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
				} `json:"account"`
				Actor      struct{ Email string } `json:"actor"`
				FromStatus string                 `json:"from_status"`
				Reason     string                 `json:"reason"`
			} `json:"data"`
		}
		if err := json.Unmarshal(ds[1].Payload, &body); err != nil {
			t.Fatal(err)
		}
		d := body.Data
		if d.Account.ID != quiet.ID || d.Account.Status != model.StatusAtRisk || d.FromStatus != model.StatusActive ||
			d.Actor.Email != "system:monitor" || d.Reason == "" {
			t.Fatalf("account.at_risk data %s", ds[1].Payload)
		}
	})
}
