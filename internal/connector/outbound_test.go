package connector

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
)

// TestConnectorsRefuseLocalAddresses: without an allow list the
// connectors' default client reaches no local address, whatever the
// profile URL says; before, a profile URL on a private or link-local
// address was fetched.
func TestConnectorsRefuseLocalAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	cfg, _ := testConfig(t)
	cfg.Allow = nil
	acc := model.Account{ID: 1, Platform: "mastodon", Handle: "x", ProfileURL: srv.URL + "/@x"}
	_, _, err := NewRegistry(cfg)["mastodon"].Fetch(context.Background(), acc, acc.CreatedAt)
	// The connector reports it as the platform being unavailable; the
	// refusal is named in the message.
	if err == nil || !strings.Contains(err.Error(), outbound.ErrRefused.Error()) || hits.Load() != 0 {
		t.Fatalf("fetch from %s: %v after %d requests; want ErrRefused before any", srv.URL, err, hits.Load())
	}
}
