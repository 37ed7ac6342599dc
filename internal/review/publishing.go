package review

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
)

// publishable loads a draft u may publish that is approved in its current
// version and not expired, for an account that still posts.
func (s *Service) publishable(ctx context.Context, u *model.User, id int64) (*model.StoredDraft, *model.Account, error) {
	d, acc, err := s.load(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	if !canPost(u, acc) {
		return nil, nil, errs.Errorf(errs.Forbidden, "draft.the_account_s_managers", "the account's managers and admins publish")
	}
	if err := acceptsDrafts(acc); err != nil {
		return nil, nil, err
	}
	if err := s.approval(ctx, d); err != nil {
		return nil, nil, err
	}
	return d, acc, nil
}

// Publish posts an approved draft through the Publisher. A retry after a
// failure (even one after the platform accepted the post) reaches the same
// post: the Publisher is idempotent per draft id and version.
func (s *Service) Publish(ctx context.Context, a model.Actor, u *model.User, id int64) (*DraftView, error) {
	d, acc, err := s.publishable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if s.Publisher == nil || !s.Publisher.Supports(d.Platform) {
		return nil, fmt.Errorf("%w (%s)", ErrNoPublisher, d.Platform)
	}
	images := make([]Image, 0, len(d.Images))
	for i := range d.Images {
		data, ct, err := s.readImage(&d.Images[i])
		if err != nil {
			return nil, err
		}
		images = append(images, Image{Name: d.Images[i].Name, ContentType: ct, Data: data})
	}
	res, err := s.Publisher.Publish(ctx, *acc, *d, images)
	if err != nil {
		return nil, fmt.Errorf("publishing to %s: %w", d.Platform, err)
	}
	return s.published(ctx, a, u, d, acc, res)
}

// MarkPublished records that an approved draft was posted by hand, at
// postURL, which must be a post of the draft's account on its platform
// (registry.CheckPostURL): a typo or another account's post is refused.
func (s *Service) MarkPublished(ctx context.Context, a model.Actor, u *model.User, id int64, postURL string) (*DraftView, error) {
	d, acc, err := s.publishable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	key := acc.HandleKey
	if key == "" {
		key = strings.ToLower(strings.TrimPrefix(acc.Handle, "@"))
	}
	if err := registry.CheckPostURL(acc.Platform, key, postURL); err != nil {
		return nil, err // says why, naming post_url
	}
	pu, _ := url.Parse(strings.TrimSpace(postURL)) // CheckPostURL parsed it
	return s.published(ctx, a, u, d, acc, Result{URL: pu.String(), ExternalID: pu.String()})
}

// configurer is a Publisher that can tell whether an account has what it
// publishes with (its stored credentials).
type configurer interface {
	Configured(ctx context.Context, acc model.Account) (bool, error)
}

// publishConfigured reports whether publishing acc's drafts through the
// Publisher can work: the platform is supported and, when the Publisher
// can tell, the account's credentials are stored.
func (s *Service) publishConfigured(ctx context.Context, acc *model.Account) (bool, error) {
	if s.Publisher == nil || !s.Publisher.Supports(acc.Platform) {
		return false, nil
	}
	if c, ok := s.Publisher.(configurer); ok {
		return c.Configured(ctx, *acc)
	}
	return true, nil
}

// verifier is a Publisher that can check an account's stored secret without posting.
type verifier interface {
	Verify(ctx context.Context, acc model.Account) error
}

// VerifyPublishing checks that acc's stored secret lets Herald publish as
// acc; checked is false when the Publisher cannot publish there or tell.
func (s *Service) VerifyPublishing(ctx context.Context, acc model.Account) (checked bool, err error) {
	v, ok := s.Publisher.(verifier)
	if !ok || !s.Publisher.Supports(acc.Platform) {
		return false, nil
	}
	return true, v.Verify(ctx, acc)
}

// published stores the draft as published, with a post in the account's activity.
func (s *Service) published(ctx context.Context, a model.Actor, u *model.User, d *model.StoredDraft, acc *model.Account, res Result) (*DraftView, error) {
	c := changeOf(d, acc, "draft.publish", fmt.Sprintf("published version %d at %s", d.Version, res.URL),
		model.DraftEvent{Version: d.Version, Kind: model.DraftEventPublish, ActorID: u.ID, ActorEmail: u.Email, Comment: res.URL})
	now := s.now()
	d.Status, d.PublishedAt, d.PublishedURL = model.DraftPublished, &now, res.URL
	ext := res.ExternalID
	if ext == "" {
		ext = res.URL
	}
	c.Post = &model.Post{AccountID: acc.ID, Platform: acc.Platform, ExternalID: ext, URL: res.URL, Text: d.Text,
		PostedAt: now, Source: "api"}
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		return nil, err
	}
	return s.Get(ctx, u, d.ID)
}
