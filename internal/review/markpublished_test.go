package review_test

import (
	"context"
	"errors"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/publish"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
)

// TestMarkPublishedWithoutCredentials: an approved Mastodon draft whose
// account has no stored credentials offers no publish button but says
// why; marking it published takes only a post of that account.
func TestMarkPublishedWithoutCredentials(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		f.svc.Publisher = publish.New(publish.Config{Allow: testAllow, Credentials: publish.CredentialsFunc(
			func(context.Context, model.Account) (string, error) { return "", nil })})
		id := f.create(t, f.corp, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve"}))
		v := must(t)(f.svc.Get(ctx, f.author, id))
		if v.CanPublish || !v.PublishUnconfigured || !v.CanMarkPublished {
			t.Fatalf("without credentials: publish %v, unconfigured %v, mark %v", v.CanPublish, v.PublishUnconfigured, v.CanMarkPublished)
		}
		for _, bad := range []string{
			"https://example.org/@nairobi/113000000000000001", // another account
			"https://x.com/hq/status/1",                       // another platform
			"https://example.org/@hq",                         // the profile, not a post
			"not a url",
		} {
			if _, err := f.svc.MarkPublished(ctx, actor(f.author), f.author, id, bad); !errors.Is(err, registry.ErrBadPostURL) {
				t.Errorf("marked published at %q: %v", bad, err)
			}
		}
		v = must(t)(f.svc.MarkPublished(ctx, actor(f.author), f.author, id, "https://example.org/@hq/113000000000000002"))
		if v.Draft.Status != model.DraftPublished || v.Draft.PublishedURL != "https://example.org/@hq/113000000000000002" {
			t.Fatalf("marked: %s %q", v.Draft.Status, v.Draft.PublishedURL)
		}
		// With credentials the publish button is back.
		f.svc.Publisher = publish.New(publish.Config{Allow: testAllow, Credentials: publish.CredentialsFunc(
			func(context.Context, model.Account) (string, error) { return "masto-token", nil })})
		id = f.create(t, f.corp, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve"}))
		if v := must(t)(f.svc.Get(ctx, f.author, id)); !v.CanPublish || v.PublishUnconfigured {
			t.Errorf("with credentials: publish %v, unconfigured %v", v.CanPublish, v.PublishUnconfigured)
		}
	})
}
