package registry

import (
	"errors"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/outbound"
)

// ErrBadProfileURL is wrapped by every error CheckProfileURL returns.
var ErrBadProfileURL = errors.New("profile URL")

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
		return fmt.Errorf("%w: %w", ErrBadProfileURL, err)
	}
	host := strings.ToLower(u.Hostname())
	platform = canonicalPlatform(platform)
	if platform == "mastodon" {
		_, instance, _ := strings.Cut(handleKey, "@")
		if host != instance {
			return fmt.Errorf("%w: its host %s is not the handle's instance %s", ErrBadProfileURL, host, instance)
		}
		return nil
	}
	if hosts := handleRules[platform].hosts; hosts != nil && !onDomain(host, hosts) {
		return fmt.Errorf("%w: %s is not a %s address", ErrBadProfileURL, host, platformName(platform))
	}
	return nil
}
