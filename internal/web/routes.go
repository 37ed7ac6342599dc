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

		// The registry (issue 4).
		{"GET /accounts.csv", auth.AccountsRead, s.accountsExport},
		{"GET /accounts/{id}", auth.AccountsRead, s.accountPage},
		{"GET /accounts/{id}/edit", auth.AccountsManage, s.accountEditPage},
		{"POST /accounts/{id}/edit", auth.AccountsManage, s.accountEdit},
		{"POST /accounts/{id}/transition", auth.AccountsManage, s.accountTransition},
		{"GET /accounts/import", auth.AccountsManage, s.importPage},
		{"POST /accounts/import", auth.AccountsManage, s.importPreview},
		{"POST /accounts/import/commit", auth.AccountsManage, s.importCommit},
		{"GET /requests", auth.RequestsRead, s.requestsPage},
		{"GET /requests/new", auth.RequestsCreate, s.requestNewPage},
		{"POST /requests/new", auth.RequestsCreate, s.requestCreate},
		{"GET /requests/{id}", auth.RequestsRead, s.requestPage},
		{"POST /requests/{id}/decision", auth.RequestsDecide, s.requestDecide},
		{"GET /requests/{id}/edit", auth.RequestsCreate, s.requestEditPage},
		{"POST /requests/{id}/edit", auth.RequestsCreate, s.requestResubmit},
		{"GET /found", auth.FoundTriage, s.foundPage},
		{"POST /found/import", auth.FoundTriage, s.foundImport},
		{"POST /found/{id}/triage", auth.FoundTriage, s.foundTriage},
		{"POST /found/{id}/takedown", auth.FoundTriage, s.foundTakedown},
		{"GET /notifications", auth.Self, s.notificationsPage},
		{"POST /notifications/{id}/read", auth.Self, s.notificationRead},
		{"GET /my-accounts-check", auth.Self, s.selfCheckPage},
		{"POST /my-accounts-check", auth.Self, s.selfCheck},
		{"GET /verify", auth.Public, s.verifyPage},

		// JSON API (documented in openapi.json).
		{"GET /api/v1/openapi.json", auth.Public, s.openapi},
		{"GET /api/v1/me", auth.Self, s.apiMe},
		{"POST /api/v1/checks", auth.CheckRun, s.apiCheck},
		{"GET /api/v1/accounts", auth.AccountsRead, s.apiAccounts},
		{"GET /api/v1/accounts/{id}", auth.AccountsRead, s.apiAccount},
		{"POST /api/v1/accounts", auth.AccountsManage, s.apiRegister},
		{"POST /api/v1/account-requests", auth.RequestsCreate, s.apiRequest},
		{"POST /api/v1/account-requests/{id}/decision", auth.RequestsDecide, s.apiDecide},
		{"GET /api/v1/verify", auth.Public, s.apiVerify},
	}
}

// uploadLimit raises the body limit of the routes that take CSV files: an
// import of 10,000 accounts is a few megabytes.
var uploadLimit = map[string]int64{
	"POST /accounts/import":        32 << 20,
	"POST /accounts/import/commit": 32 << 20,
	"POST /found/import":           32 << 20,
}
