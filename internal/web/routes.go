package web

import (
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
)

// route is one entry of the route table: a Go ServeMux pattern
// ("METHOD /path/{id}"), the permission it needs, and its handler.
type route struct {
	pattern string
	perm    auth.Permission
	handler http.HandlerFunc
}

// isAPI reports whether the route belongs to the JSON API (bearer tokens,
// JSON errors, no CSRF).
func (rt route) isAPI() bool {
	_, path, _ := strings.Cut(rt.pattern, " ")
	return strings.HasPrefix(path, "/api/")
}

// routeTable is every route of the application. A route without a known
// permission makes New fail, and the permission matrix test runs each one
// against each role.
func (s *Server) routeTable() []route {
	return []route{
		// Operations and assets.
		{"GET /healthz", auth.Public, s.healthz},
		{"GET /readyz", auth.Public, s.readyz},
		{"GET /metrics", auth.Public, s.metricsHandler},
		{"GET /static/{file}", auth.Public, s.static},

		// Signing in and out.
		{"GET /signin", auth.Public, s.signinPage},
		{"POST /signin", auth.Public, s.signin},
		{"POST /demo/signin", auth.Public, s.demoSignin},
		{"GET /auth/oidc/login", auth.Public, s.oidcLogin},
		{"GET /auth/oidc/callback", auth.Public, s.oidcCallback},
		{"POST /signout", auth.Self, s.signout},

		// Pages.
		{"GET /{$}", auth.DashboardRead, s.dashboard},
		{"GET /check", auth.CheckRun, s.checkPage},
		{"POST /check", auth.CheckRun, s.checkSubmit},
		{"POST /check/preview", auth.CheckRun, s.checkPreview},
		{"GET /accounts", auth.AccountsRead, s.accountsPage},
		{"GET /audit", auth.AuditRead, s.auditPage},
		{"GET /audit/export.csv", auth.AuditRead, s.auditExport},
		{"GET /settings", auth.Self, s.settingsPage},
		{"POST /settings/password", auth.Self, s.changePassword},
		{"GET /settings/tokens", auth.TokensManage, s.tokensPage},
		{"POST /settings/tokens", auth.TokensManage, s.createToken},
		{"POST /settings/tokens/{id}/revoke", auth.TokensManage, s.revokeToken},

		// JSON API (documented in openapi.json).
		{"GET /api/v1/openapi.json", auth.Public, s.openapi},
		{"GET /api/v1/me", auth.Self, s.apiMe},
		{"POST /api/v1/checks", auth.CheckRun, s.apiCheck},
		{"GET /api/v1/accounts", auth.AccountsRead, s.apiAccounts},
	}
}
