package registry

import (
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/outbound"
)

// ErrBadProfileURL is in the chain of every error CheckProfileURL returns.
var ErrBadProfileURL = errs.E(errs.Invalid, "account.profile_url", "The profile URL cannot be used.")

// CheckProfileURL validates an account's profile URL when it is entered,
// since connectors and publishing may fetch it later: https (plain http
// only to a host the operator allowed), no user name, not an address
// outside the public internet, and on the platform: one of its hosts, or
// on Mastodon the instance of the handle (handleKey is user@instance), so a
// URL cannot send the account's traffic, or its token, somewhere else.
// An empty URL is fine.
func CheckProfileURL(platform, handleKey, raw string, allow *outbound.Allow) error {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	u, err := outbound.CheckURL(raw, allow)
	if err != nil {
		return errs.Wrap(errs.Invalid, "account.profile_url_address",
			"The profile URL must be an https address on the public internet.", fmt.Errorf("%w: %w", ErrBadProfileURL, err))
	}
	host := strings.ToLower(u.Hostname())
	platform = canonicalPlatform(platform)
	if platform == "mastodon" {
		_, instance, _ := strings.Cut(handleKey, "@")
		if host != instance {
			return ErrBadProfileURL.With("account.profile_url_instance",
				"The profile URL's host %s is not the handle's instance %s.", host, instance)
		}
		return nil
	}
	if hosts := handleRules[platform].hosts; hosts != nil && !onDomain(host, hosts) {
		return ErrBadProfileURL.With("account.profile_url_platform",
			"The profile URL's host %s is not a %s address.", host, platformName(platform))
	}
	return nil
}
