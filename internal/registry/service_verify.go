package registry

import (
	"context"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// Verification answers the public question "is this an official account
// of the organization?".
type Verification struct {
	Official bool       `json:"official"`
	Status   string     `json:"status"` // "active", "closed", ... or "unknown"
	Kind     string     `json:"kind,omitempty"`
	Office   string     `json:"office,omitempty"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	Handle   string     `json:"handle,omitempty"` // as registered
	Platform string     `json:"platform,omitempty"`
}

// Verify looks a handle up in the registry, in any form NormalizeHandle
// takes (bare, @, profile URL, Mastodon user@instance). Active, at-risk
// and closure-proposed accounts are official; a closed one is not, and says
// since when; requests, rejected and unknown handles all answer "unknown",
// since requests are not public. A handle that cannot be one is ErrInvalid.
func (s *Service) Verify(ctx context.Context, platform, handle string) (Verification, error) {
	platform = canonicalPlatform(platform)
	key, err := NormalizeHandle(platform, handle)
	if err != nil {
		return Verification{}, err // NormalizeHandle says why, as errs.Invalid
	}
	unknown := Verification{Status: "unknown"}
	acc, err := s.Store.AccountByHandleKey(ctx, platform, key)
	if errs.Is(err, errs.NotFound) {
		return unknown, nil
	}
	if err != nil {
		return Verification{}, err
	}
	v := Verification{Status: acc.Status, Kind: acc.Kind, Office: acc.Office, Handle: acc.Handle, Platform: acc.Platform}
	switch acc.Status {
	case model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed:
		v.Official = true
	case model.StatusClosed:
		v.ClosedAt = acc.ClosedAt
	default:
		return unknown, nil
	}
	return v, nil
}
