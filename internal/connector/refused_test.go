package connector

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
)

// TestRefusedDestinationIsPermanent: without an allow list the connectors'
// client reaches no local address, whatever the profile URL says (before,
// a profile URL on a private or link-local address was fetched); the
// refusal is ErrRefused at once, named in the message, not "platform
// unavailable" after retries with backoff (a retry meets the same refusal).
func TestRefusedDestinationIsPermanent(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	cfg, waits := testConfig(t)
	cfg.Allow = nil
	acc := model.Account{ID: 1, Platform: "mastodon", Handle: "x", ProfileURL: srv.URL + "/@x"}
	_, _, err := NewRegistry(cfg)["mastodon"].Fetch(context.Background(), acc, acc.CreatedAt)
	if !errors.Is(err, ErrRefused) || errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), outbound.ErrRefused.Error()) {
		t.Errorf("fetch from a loopback address: %v; want ErrRefused, not ErrUnavailable", err)
	}
	if len(*waits) != 0 || hits.Load() != 0 {
		t.Errorf("%d retries with backoff %v and %d requests; want none", len(*waits), *waits, hits.Load())
	}
}
