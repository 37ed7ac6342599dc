package discover

import (
	"context"
	"fmt"
	"net/http"

	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/outbound"
)

// AvatarHasher returns an Options.Avatar that fetches an avatar with hc
// (outbound's guarded client) after outbound.CheckURL, and hashes it;
// lookalike.HashImage caps its size and dimensions.
func AvatarHasher(hc *http.Client, allow *outbound.Allow) func(ctx context.Context, url string) (lookalike.Hash, error) {
	return func(ctx context.Context, raw string) (lookalike.Hash, error) {
		u, err := outbound.CheckURL(raw, allow)
		if err != nil {
			return lookalike.Hash{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return lookalike.Hash{}, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return lookalike.Hash{}, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return lookalike.Hash{}, fmt.Errorf("avatar %s://%s%s: HTTP %d", u.Scheme, u.Host, u.Path, resp.StatusCode)
		}
		return lookalike.HashImage(resp.Body)
	}
}
