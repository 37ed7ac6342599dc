// Package web is Herald's HTTP front door: the server-rendered UI, the JSON
// API under /api/v1/, and the operational endpoints. Every route is declared
// in one table (routes.go) with the permission it needs.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/idempotency"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
	"github.com/herald-gov/herald/internal/webhook"
)

// Services are the domain services the web application serves, built by
// cmd/herald serve (one of each, shared with its background loops). Every
// field is required: rules live in them, and web only translates HTTP.
type Services struct {
	Checker  *check.Checker       // the compiled policy pack
	Registry *registry.Service    // accounts, requests, verification, found accounts
	Monitor  *monitor.Monitor     // health, charts, closures, analytics imports
	Review   *review.Service      // drafts, review, photos, publishing, advice
	Users    *users.Service       // users, passwords, API tokens, single sign-on
	Trail    *audit.Trail         // the audit trail's pages
	Notifier *notify.Notifier     // in-app notifications (and the e-mail it wakes)
	Webhooks *webhook.Service     // webhook endpoints and their delivery log
	Idem     *idempotency.Service // the API's Idempotency-Key answers
}

// Config is what the web application takes from cmd/herald's configuration.
type Config struct {
	// Demo shows the demo banner on every page and one-click sign-in per role.
	Demo bool
	// TrustProxy honours X-Forwarded-Proto (Secure cookies) and
	// X-Forwarded-For (client address) from a reverse proxy.
	TrustProxy bool
	// SessionTTL is how long a sign-in lasts; default 12 hours.
	SessionTTL time.Duration
	// MaxBodyBytes limits request bodies; default 1 MiB.
	MaxBodyBytes int64
	// OIDC configures single sign-on; zero disables it.
	OIDC auth.OIDCConfig
	// HTTPClient is used to talk to the OIDC provider; nil for outbound's
	// guarded client with Outbound.
	HTTPClient *http.Client
	// Outbound lists the hosts reached over plain http or on local
	// addresses (HERALD_OUTBOUND_ALLOW), for single sign-on and for the
	// profile URLs accounts may give; nil allows none.
	Outbound *outbound.Allow
	// Logger receives the request log; nil discards it.
	Logger *slog.Logger
	// Now is the clock; nil for time.Now.
	Now func() time.Time
	// VerifyLimit is how many /verify lookups one address may make per
	// minute, page and API together; default 30.
	VerifyLimit int
	// APIRateLimit is how many API requests one token (or, without a
	// token, one address) may make per minute on each instance; default 600.
	APIRateLimit int
	// ReportLimit is how many public reports of suspicious accounts one
	// address may send per hour, page and API together; default 10.
	ReportLimit int
}

// Server is the web application. Build it with New; serve Handler().
type Server struct {
	cfg       Config
	store     *store.Store
	checker   *check.Checker
	oidc      *auth.OIDC
	throttle  *auth.Throttle
	oidcLinks *auth.PendingLinks
	log       *slog.Logger
	pages     map[string]map[string]*template.Template // language → page
	assets    *assets
	metrics   *metrics
	routes    []route
	handler   http.Handler
	registry  *registry.Service
	inbox     *notify.Notifier // reads notifications
	verifyRL  *rateLimiter
	reportRL  *rateLimiter
	apiRL     *rateLimiter
	monitor   *monitor.Monitor
	review    *review.Service
	users     *users.Service
	trail     *audit.Trail
	webhooks  *webhook.Service
	idem      *idempotency.Service
}

// New builds the server on the services; st serves sessions and API token
// look-ups only. With OIDC configured it fetches the provider's discovery
// document, so the provider must be reachable.
func New(cfg Config, st *store.Store, svc Services) (*Server, error) {
	if st == nil || svc.Checker == nil || svc.Registry == nil || svc.Monitor == nil || svc.Review == nil ||
		svc.Users == nil || svc.Trail == nil || svc.Notifier == nil || svc.Webhooks == nil || svc.Idem == nil {
		return nil, errors.New("web: New needs a store and every service")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = outbound.NewClient(outbound.Options{Allow: cfg.Outbound})
	}
	if cfg.VerifyLimit <= 0 {
		cfg.VerifyLimit = 30
	}
	s := &Server{cfg: cfg, store: st, checker: svc.Checker, log: cfg.Logger, metrics: newMetrics(),
		registry: svc.Registry, monitor: svc.Monitor, review: svc.Review, users: svc.Users, trail: svc.Trail, inbox: svc.Notifier,
		webhooks: svc.Webhooks, idem: svc.Idem}
	s.verifyRL = newRateLimiter(cfg.VerifyLimit, time.Minute, cfg.Now)
	if cfg.ReportLimit <= 0 {
		cfg.ReportLimit = 10
	}
	s.reportRL = newRateLimiter(cfg.ReportLimit, time.Hour, cfg.Now)
	if cfg.APIRateLimit <= 0 {
		cfg.APIRateLimit = 600
	}
	s.apiRL = newRateLimiter(cfg.APIRateLimit, time.Minute, cfg.Now)
	s.throttle = &auth.Throttle{Store: st, Now: cfg.Now}
	s.oidcLinks = &auth.PendingLinks{Now: cfg.Now}
	if cfg.OIDC.Enabled() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		o, err := auth.NewOIDC(ctx, cfg.OIDC, cfg.HTTPClient)
		if err != nil {
			return nil, err
		}
		s.oidc = o
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		if rt.perm == "" || !auth.Known(rt.perm) {
			return nil, fmt.Errorf("web: route %q has no known permission", rt.pattern)
		}
		mux.Handle(rt.pattern, s.guard(rt))
	}
	s.handler = s.outer(s.unmatched(mux))
	return s, nil
}

// Handler is the whole application, middleware included.
func (s *Server) Handler() http.Handler { return s.handler }
