// Package web is Herald's HTTP front door: the server-rendered UI, the JSON
// API under /api/v1/, and the operational endpoints. Every route is declared
// in one table (routes.go) with the permission it needs.
package web

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
)

// Checker checks drafts against a compiled policy pack (internal/check).
type Checker interface {
	Check(model.Draft) model.Report
	Pack() *policy.Pack
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
	// HTTPClient is used to talk to the OIDC provider; nil for the default.
	HTTPClient *http.Client
	// Logger receives the request log; nil discards it.
	Logger *slog.Logger
	// Now is the clock; nil for time.Now.
	Now func() time.Time
	// Notifier sends the registry's e-mails; nil writes the notifications
	// (shown in the application) and sends nothing.
	Notifier *notify.Notifier
	// VerifyLimit is how many /verify lookups one address may make per
	// minute, page and API together; default 30.
	VerifyLimit int
	// Monitor serves health results, charts, closures and analytics
	// imports; nil builds one on the same store that never syncs by
	// itself (herald serve passes the one it runs).
	Monitor *monitor.Monitor
	// Review holds drafts, review, photos, publishing and advice; nil
	// builds one on the same store and checker, with images under
	// ./herald-data and no publisher (herald serve passes its own).
	Review *review.Service
}

// Server is the web application. Build it with New; serve Handler().
type Server struct {
	cfg      Config
	store    *store.Store
	checker  Checker
	oidc     *auth.OIDC
	throttle *auth.Throttle
	log      *slog.Logger
	pages    map[string]*template.Template
	assets   *assets
	metrics  *metrics
	routes   []route
	handler  http.Handler
	registry *registry.Service
	inbox    *notify.Notifier // reads notifications; cfg.Notifier when set
	verifyRL *rateLimiter
	tokens   *tokenCache
	monitor  *monitor.Monitor
	review   *review.Service
	users    *users.Service
	trail    *audit.Trail
}

// New builds the server; with OIDC configured it fetches the provider's
// discovery document, so the provider must be reachable.
func New(cfg Config, st *store.Store, chk Checker) (*Server, error) {
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
	if cfg.VerifyLimit <= 0 {
		cfg.VerifyLimit = 30
	}
	s := &Server{cfg: cfg, store: st, checker: chk, log: cfg.Logger, metrics: newMetrics(), tokens: newTokenCache(cfg.Now)}
	s.registry = &registry.Service{Store: st, Pack: chk.Pack(), Notify: cfg.Notifier, Now: cfg.Now}
	s.inbox = cfg.Notifier
	if s.inbox == nil {
		s.inbox = notify.New(st, notify.SMTPConfig{}, cfg.Logger)
	}
	s.verifyRL = newRateLimiter(cfg.VerifyLimit, time.Minute, cfg.Now)
	if s.monitor = cfg.Monitor; s.monitor == nil {
		m, err := monitor.New(monitor.Options{Store: st, Pack: chk.Pack(), Notify: cfg.Notifier, Log: cfg.Logger, Now: cfg.Now})
		if err != nil {
			return nil, err
		}
		s.monitor = m
	}
	if s.review = cfg.Review; s.review == nil {
		c, ok := chk.(*check.Checker)
		if !ok {
			return nil, fmt.Errorf("web: drafts need a compiled *check.Checker, not %T", chk)
		}
		s.review = &review.Service{Store: st, Checker: c, Notify: cfg.Notifier, Now: cfg.Now}
	}
	s.users = &users.Service{Store: st, Now: cfg.Now}
	s.trail = &audit.Trail{Store: st}
	s.throttle = &auth.Throttle{Store: st, Now: cfg.Now}
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
