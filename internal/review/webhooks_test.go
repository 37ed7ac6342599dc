package review_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

// subscribe registers an endpoint for every event type (its sealed secret
// does not matter: nothing is sent) and returns a function listing the event
// types queued for it so far, oldest first.
func subscribe(t *testing.T, f *fixture) func() string {
	t.Helper()
	ep := &model.WebhookEndpoint{URL: "https://hooks.example.org/herald", Secret: []byte("sealed"),
		EventTypes: model.EventTypes, OwnerID: f.admin.ID}
	if err := f.st.CreateWebhookEndpoint(f.ctx, actor(f.admin), ep); err != nil {
		t.Fatal(err)
	}
	return func() string {
		ds, err := f.st.WebhookDeliveries(f.ctx, ep.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, d := range slices.Backward(ds) {
			types = append(types, d.Type)
		}
		return strings.Join(types, " ")
	}
}

// The review's decisions reach other systems as webhook events, written
// with the decisions; an approval counts only when the last step gives it.
func TestDraftWebhooks(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		events := subscribe(t, f)
		id := f.create(t, f.acc, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		must(t)(f.svc.Decide(ctx, actor(f.lead), f.lead, id, review.Decision{Decision: "request-changes", Comment: "Say when.", Version: 1}))
		must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 1, review.DraftInput{Text: clean + " At noon.", Checklist: f.ticks(), Reticked: true}))
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		// The lead escalates: step 2 (communications) still has to approve.
		must(t)(f.svc.Decide(ctx, actor(f.lead), f.lead, id, review.Decision{Decision: "approve", Version: 2, Escalate: true}))
		want := "draft.submitted draft.changes_requested draft.submitted"
		if got := events(); got != want {
			t.Fatalf("events %q, want %q", got, want)
		}
		must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve", Version: 2}))
		must(t)(f.svc.Publish(ctx, actor(f.author), f.author, id))
		want += " draft.approved draft.published"
		if got := events(); got != want {
			t.Fatalf("events %q, want %q", got, want)
		}
		q, err := f.svc.Ask(ctx, actor(f.staff), f.staff, review.AdviceInput{Text: "x", Question: "May I?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Answer(ctx, actor(f.reviewer), f.reviewer, q.ID, "Yes."); err != nil {
			t.Fatal(err)
		}
		want += " advice.asked advice.answered"
		if got := events(); got != want {
			t.Fatalf("events %q, want %q", got, want)
		}
	})
}
