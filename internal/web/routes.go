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
		{"GET /settings/users", auth.UsersRead, s.usersPage},
		{"POST /settings/users", auth.UsersManage, s.addUser},
		{"POST /settings/users/{id}/role", auth.UsersManage, s.changeUserRole},
		{"POST /settings/users/{id}/disable", auth.UsersManage, s.disableUser},
		{"POST /settings/users/{id}/enable", auth.UsersManage, s.enableUser},
		{"POST /settings/users/{id}/reset-password", auth.UsersManage, s.resetUserPassword},

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

		// Activity monitoring and closure (issue 5).
		{"GET /accounts/{id}/close", auth.AccountsClose, s.closurePage},
		{"POST /accounts/{id}/close", auth.AccountsClose, s.closeAccount},
		{"POST /accounts/{id}/keep-open", auth.AccountsClose, s.keepOpen},
		{"GET /accounts/{id}/analytics", auth.AnalyticsImport, s.analyticsPage},
		{"POST /accounts/{id}/analytics", auth.AnalyticsImport, s.analyticsPreview},
		{"POST /accounts/{id}/analytics/commit", auth.AnalyticsImport, s.analyticsCommit},
		{"POST /accounts/{id}/evaluate", auth.AccountsManage, s.evaluateAccount},
		{"POST /accounts/evaluate", auth.AccountsManage, s.evaluateAll},

		// Official statements: drafts, review, photos, publishing; advice (issue 6).
		{"GET /drafts", auth.DraftsRead, s.draftsPage},
		{"GET /drafts/new", auth.DraftsWrite, s.draftNewPage},
		{"POST /drafts/new", auth.DraftsWrite, s.draftCreate},
		{"POST /drafts/preview", auth.DraftsWrite, s.draftPreview},
		{"GET /drafts/{id}", auth.DraftsRead, s.draftPage},
		{"GET /drafts/{id}/edit", auth.DraftsWrite, s.draftEditPage},
		{"POST /drafts/{id}/edit", auth.DraftsWrite, s.draftEdit},
		{"POST /drafts/{id}/submit", auth.DraftsWrite, s.draftSubmit},
		{"POST /drafts/{id}/decision", auth.DraftsReview, s.draftDecide},
		{"POST /drafts/{id}/comments", auth.DraftsComment, s.draftComment},
		{"POST /drafts/{id}/publish", auth.DraftsWrite, s.draftPublish},
		{"POST /drafts/{id}/mark-published", auth.DraftsWrite, s.draftMarkPublished},
		{"POST /drafts/{id}/images", auth.DraftsWrite, s.draftImageUpload},
		{"POST /drafts/{id}/images/{image}/people", auth.DraftsWrite, s.draftImagePeople},
		{"POST /drafts/{id}/images/{image}/remove", auth.DraftsWrite, s.draftImageRemove},
		{"GET /drafts/{id}/images/{image}", auth.DraftsRead, s.draftImage},
		{"GET /review", auth.DraftsReview, s.reviewQueuePage},
		{"GET /advice", auth.AdviceRead, s.advicePage},
		{"POST /advice", auth.AdviceAsk, s.adviceAsk},
		{"GET /advice/{id}", auth.AdviceRead, s.adviceThread},
		{"POST /advice/{id}/answers", auth.AdviceAsk, s.adviceAnswer},

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
		{"POST /api/v1/drafts", auth.DraftsWrite, s.apiDraftCreate},
		{"GET /api/v1/drafts/{id}", auth.DraftsRead, s.apiDraftGet},
		{"PUT /api/v1/drafts/{id}", auth.DraftsWrite, s.apiDraftEdit},
		{"POST /api/v1/drafts/{id}/submit", auth.DraftsWrite, s.apiDraftSubmit},
		{"POST /api/v1/drafts/{id}/decision", auth.DraftsReview, s.apiDraftDecide},
		{"POST /api/v1/drafts/{id}/publish", auth.DraftsWrite, s.apiDraftPublish},
		{"POST /api/v1/advice", auth.AdviceAsk, s.apiAdvice},
	}
}

// uploadLimit raises the body limit of the routes that take CSV files: an
// import of 10,000 accounts is a few megabytes.
var uploadLimit = map[string]int64{
	"POST /accounts/import":        32 << 20,
	"POST /accounts/import/commit": 32 << 20,
	"POST /found/import":           32 << 20,
	// Analytics exports: connector.MaxAnalyticsBytes, plus room for the form.
	"POST /accounts/{id}/analytics":        33 << 20,
	"POST /accounts/{id}/analytics/commit": 33 << 20,
	// Images: one per upload on the page; base64 in the API's new draft.
	"POST /drafts/{id}/images": maxImageUpload,
	"POST /api/v1/drafts":      32 << 20,
}
