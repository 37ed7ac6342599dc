package web

import (
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
)

// route is one entry of the route table: a Go ServeMux pattern
// ("METHOD /path/{id}"), the permission it needs, its handler, and for the
// routes that take files a larger body limit than Config.MaxBodyBytes.
type route struct {
	pattern string
	perm    auth.Permission
	handler http.HandlerFunc
	maxBody int64
}

// Body limits of the routes that take files.
const (
	csvUpload       = 32 << 20 // an import of 10,000 accounts is a few megabytes
	analyticsUpload = 33 << 20 // connector.MaxAnalyticsBytes, plus room for the form
	imageUpload     = 11 << 20 // the review service's 10 MiB per image, plus the form
	apiDraftUpload  = 32 << 20 // a new draft's images, base64, in the API
)

// isAPI reports whether the route belongs to the JSON API (bearer tokens,
// JSON errors, no CSRF).
func (rt route) isAPI() bool {
	_, path, _ := strings.Cut(rt.pattern, " ")
	return strings.HasPrefix(path, "/api/")
}

// routeTable is every route of the application, room by room, each room's
// pages then its API: pattern, permission, handler, and the body limit
// (0: Config.MaxBodyBytes). The API is documented in openapi.json. A route without a known
// permission makes New fail, and the permission matrix test runs each one
// against each role.
func (s *Server) routeTable() []route {
	return []route{
		// Operations and assets.
		{"GET /healthz", auth.Public, s.healthz, 0},
		{"GET /readyz", auth.Public, s.readyz, 0},
		{"GET /metrics", auth.Public, s.metricsHandler, 0},
		{"GET /static/{file}", auth.Public, s.static, 0},
		{"GET /api/v1/openapi.json", auth.Public, s.openapi, 0},

		// Signing in and out; users, settings and API tokens (users*.go).
		{"GET /signin", auth.Public, s.signinPage, 0},
		{"POST /signin", auth.Public, s.signin, 0},
		{"POST /demo/signin", auth.Public, s.demoSignin, 0},
		{"GET /auth/oidc/login", auth.Public, s.oidcLogin, 0},
		{"GET /auth/oidc/callback", auth.Public, s.oidcCallback, 0},
		{"POST /signout", auth.Self, s.signout, 0},
		{"GET /settings", auth.Self, s.settingsPage, 0},
		{"POST /settings/password", auth.Self, s.changePassword, 0},
		{"POST /settings/language", auth.Self, s.setLanguage, 0},
		{"GET /settings/tokens", auth.TokensManage, s.tokensPage, 0},
		{"POST /settings/tokens", auth.TokensManage, s.createToken, 0},
		{"POST /settings/tokens/{id}/revoke", auth.TokensManage, s.revokeToken, 0},
		{"GET /settings/users", auth.UsersRead, s.usersPage, 0},
		{"POST /settings/users", auth.UsersManage, s.addUser, 0},
		{"POST /settings/users/{id}/role", auth.UsersManage, s.changeUserRole, 0},
		{"POST /settings/users/{id}/disable", auth.UsersManage, s.disableUser, 0},
		{"POST /settings/users/{id}/enable", auth.UsersManage, s.enableUser, 0},
		{"POST /settings/users/{id}/reset-password", auth.UsersManage, s.resetUserPassword, 0},
		{"GET /settings/credentials", auth.CredentialsManage, s.credentialsPage, 0},
		{"POST /settings/credentials", auth.CredentialsManage, s.setCredential, 0},
		{"POST /settings/credentials/test", auth.CredentialsManage, s.testCredential, 0},
		{"POST /settings/credentials/revoke", auth.CredentialsManage, s.revokeCredential, 0},
		{"GET /api/v1/me", auth.Self, s.apiMe, 0},
		{"GET /api/v1/credentials", auth.CredentialsManage, s.apiCredentials, 0},
		{"POST /api/v1/credentials", auth.CredentialsManage, s.apiSetCredential, 0},
		{"POST /api/v1/credentials/test", auth.CredentialsManage, s.apiTestCredential, 0},
		{"POST /api/v1/credentials/revoke", auth.CredentialsManage, s.apiRevokeCredential, 0},
		{"GET /api/v1/tokens", auth.TokensManage, s.apiTokens, 0},
		{"POST /api/v1/tokens", auth.TokensManage, s.apiTokenCreate, 0},
		{"POST /api/v1/tokens/{id}/revoke", auth.TokensManage, s.apiTokenRevoke, 0},
		{"GET /api/v1/users", auth.UsersRead, s.apiUsers, 0},
		{"POST /api/v1/users", auth.UsersManage, s.apiUserAdd, 0},
		{"POST /api/v1/users/{id}/role", auth.UsersManage, s.apiUserRole, 0},
		{"POST /api/v1/users/{id}/disable", auth.UsersManage, s.apiUserDisable, 0},
		{"POST /api/v1/users/{id}/enable", auth.UsersManage, s.apiUserEnable, 0},
		{"POST /api/v1/users/{id}/reset-password", auth.UsersManage, s.apiUserResetPassword, 0},

		// Webhook endpoints and their delivery log (users_webhooks.go).
		{"GET /settings/webhooks", auth.WebhooksManage, s.webhooksPage, 0},
		{"POST /settings/webhooks", auth.WebhooksManage, s.webhookCreate, 0},
		{"GET /settings/webhooks/{id}", auth.WebhooksManage, s.webhookPage, 0},
		{"POST /settings/webhooks/{id}/enable", auth.WebhooksManage, s.webhookEnable, 0},
		{"POST /settings/webhooks/{id}/disable", auth.WebhooksManage, s.webhookDisable, 0},
		{"POST /settings/webhooks/{id}/delete", auth.WebhooksManage, s.webhookDelete, 0},
		{"POST /settings/webhooks/{id}/deliveries/{delivery}/redeliver", auth.WebhooksManage, s.webhookRedeliver, 0},
		{"GET /api/v1/webhooks", auth.WebhooksManage, s.apiWebhooks, 0},
		{"POST /api/v1/webhooks", auth.WebhooksManage, s.apiWebhookCreate, 0},
		{"GET /api/v1/webhooks/{id}", auth.WebhooksManage, s.apiWebhook, 0},
		{"DELETE /api/v1/webhooks/{id}", auth.WebhooksManage, s.apiWebhookDelete, 0},
		{"POST /api/v1/webhooks/{id}/enable", auth.WebhooksManage, s.apiWebhookEnable, 0},
		{"POST /api/v1/webhooks/{id}/disable", auth.WebhooksManage, s.apiWebhookDisable, 0},
		{"GET /api/v1/webhooks/{id}/deliveries", auth.WebhooksManage, s.apiWebhookDeliveries, 0},
		{"POST /api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", auth.WebhooksManage, s.apiWebhookRedeliver, 0},

		// The dashboard and notifications.
		{"GET /{$}", auth.DashboardRead, s.dashboard, 0},
		{"GET /notifications", auth.Self, s.notificationsPage, 0},
		{"POST /notifications/{id}/read", auth.Self, s.notificationRead, 0},
		{"POST /settings/notifications", auth.Self, s.notifySettings, 0},
		{"GET /api/v1/notifications", auth.Self, s.apiNotifications, 0},
		{"POST /api/v1/notifications/{id}/read", auth.Self, s.apiNotificationRead, 0},

		// Checking posts (check*.go).
		{"GET /check", auth.CheckRun, s.checkPage, 0},
		{"POST /check", auth.CheckRun, s.checkSubmit, 0},
		{"POST /check/preview", auth.CheckRun, s.checkPreview, 0},
		{"GET /my-accounts-check", auth.Self, s.selfCheckPage, 0},
		{"POST /my-accounts-check", auth.Self, s.selfCheck, 0},
		{"POST /api/v1/checks", auth.CheckRun, s.apiCheck, 0},
		{"GET /api/v1/pack", auth.Self, s.apiPackShow, 0},

		// Accounts: the registry, account pages, CSV import and export, found accounts (accounts*.go).
		{"GET /accounts", auth.AccountsRead, s.accountsPage, 0},
		{"GET /accounts.csv", auth.AccountsRead, s.accountsExport, 0},
		{"GET /accounts/{id}", auth.AccountsRead, s.accountPage, 0},
		{"GET /accounts/{id}/edit", auth.AccountsManage, s.accountEditPage, 0},
		{"POST /accounts/{id}/edit", auth.AccountsManage, s.accountEdit, 0},
		{"POST /accounts/{id}/transition", auth.AccountsManage, s.accountTransition, 0},
		{"GET /accounts/import", auth.AccountsManage, s.importPage, 0},
		{"POST /accounts/import", auth.AccountsManage, s.importPreview, csvUpload},
		{"POST /accounts/import/commit", auth.AccountsManage, s.importCommit, csvUpload},
		{"GET /found", auth.FoundTriage, s.foundPage, 0},
		{"POST /found/import", auth.FoundTriage, s.foundImport, csvUpload},
		{"POST /found/{id}/triage", auth.FoundTriage, s.foundTriage, 0},
		{"POST /found/{id}/takedown", auth.FoundTriage, s.foundTakedown, 0},
		{"GET /found/{id}/takedown-text", auth.FoundTriage, s.foundTakedownText, 0},
		{"GET /api/v1/accounts", auth.AccountsRead, s.apiAccounts, 0},
		{"GET /api/v1/accounts/{id}", auth.AccountsRead, s.apiAccount, 0},
		{"PATCH /api/v1/accounts/{id}", auth.AccountsManage, s.apiAccountPatch, 0},
		{"POST /api/v1/accounts", auth.AccountsManage, s.apiRegister, 0},
		{"GET /api/v1/found", auth.FoundTriage, s.apiFound, 0},
		{"POST /api/v1/accounts/import", auth.AccountsManage, s.apiImportPreview, csvUpload},
		{"POST /api/v1/accounts/import/commit", auth.AccountsManage, s.apiImportCommit, csvUpload},
		{"POST /api/v1/found/{id}/triage", auth.FoundTriage, s.apiFoundTriage, 0},
		{"POST /api/v1/found/{id}/takedown", auth.FoundTriage, s.apiFoundTakedown, 0},
		{"GET /api/v1/found/{id}/takedown-text", auth.FoundTriage, s.apiFoundTakedownText, 0},

		// Requests for new accounts (requests.go).
		{"GET /requests", auth.RequestsRead, s.requestsPage, 0},
		{"GET /requests/new", auth.RequestsCreate, s.requestNewPage, 0},
		{"POST /requests/new", auth.RequestsCreate, s.requestCreate, 0},
		{"POST /requests/precheck", auth.RequestsCreate, s.requestPrecheck, 0},
		{"GET /requests/{id}", auth.RequestsRead, s.requestPage, 0},
		{"POST /requests/{id}/decision", auth.RequestsDecide, s.requestDecide, 0},
		{"GET /requests/{id}/edit", auth.RequestsCreate, s.requestEditPage, 0},
		{"POST /requests/{id}/edit", auth.RequestsCreate, s.requestResubmit, 0},
		{"POST /api/v1/account-requests", auth.RequestsCreate, s.apiRequest, 0},
		{"GET /api/v1/account-requests", auth.RequestsRead, s.apiRequests, 0},
		{"POST /api/v1/account-requests/{id}/decision", auth.RequestsDecide, s.apiDecide, 0},
		{"GET /api/v1/account-requests/{id}", auth.RequestsRead, s.apiRequestGet, 0},
		{"POST /api/v1/account-requests/{id}/resubmit", auth.RequestsCreate, s.apiRequestResubmit, 0},

		// Monitoring: health, closure, analytics imports (monitoring*.go).
		{"GET /accounts/{id}/close", auth.AccountsClose, s.closurePage, 0},
		{"POST /accounts/{id}/close", auth.AccountsClose, s.closeAccount, 0},
		{"POST /accounts/{id}/keep-open", auth.AccountsClose, s.keepOpen, 0},
		{"POST /accounts/{id}/farewell", auth.AccountsClose, s.draftFarewell, 0},
		{"GET /accounts/{id}/analytics", auth.AnalyticsImport, s.analyticsPage, 0},
		{"POST /accounts/{id}/analytics", auth.AnalyticsImport, s.analyticsPreview, analyticsUpload},
		{"POST /accounts/{id}/analytics/commit", auth.AnalyticsImport, s.analyticsCommit, analyticsUpload},
		{"POST /accounts/{id}/evaluate", auth.AccountsManage, s.evaluateAccount, 0},
		{"POST /accounts/evaluate", auth.AccountsManage, s.evaluateAll, 0},
		{"POST /api/v1/accounts/{id}/evaluate", auth.AccountsManage, s.apiEvaluateAccount, 0},
		{"POST /api/v1/accounts/evaluate", auth.AccountsManage, s.apiEvaluateAll, 0},
		{"POST /api/v1/accounts/{id}/analytics", auth.AnalyticsImport, s.apiAnalyticsPreview, analyticsUpload},
		{"POST /api/v1/accounts/{id}/analytics/commit", auth.AnalyticsImport, s.apiAnalyticsCommit, analyticsUpload},
		{"POST /api/v1/accounts/{id}/close", auth.AccountsClose, s.apiCloseAccount, 0},
		{"POST /api/v1/accounts/{id}/keep-open", auth.AccountsClose, s.apiKeepOpen, 0},
		{"POST /api/v1/accounts/{id}/farewell", auth.AccountsClose, s.apiDraftFarewell, 0},
		{"POST /api/v1/accounts/{id}/propose-closure", auth.AccountsManage, s.apiProposeClosure, 0},

		// Drafts and their review, photos, publishing (drafts*.go).
		{"GET /drafts", auth.DraftsRead, s.draftsPage, 0},
		{"GET /drafts/new", auth.DraftsWrite, s.draftNewPage, 0},
		{"POST /drafts/new", auth.DraftsWrite, s.draftCreate, 0},
		{"POST /drafts/preview", auth.DraftsWrite, s.draftPreview, 0},
		{"GET /drafts/{id}", auth.DraftsRead, s.draftPage, 0},
		{"GET /drafts/{id}/edit", auth.DraftsWrite, s.draftEditPage, 0},
		{"POST /drafts/{id}/edit", auth.DraftsWrite, s.draftEdit, 0},
		{"POST /drafts/{id}/submit", auth.DraftsWrite, s.draftSubmit, 0},
		{"POST /drafts/{id}/decision", auth.DraftsReview, s.draftDecide, 0},
		{"POST /drafts/{id}/comments", auth.DraftsComment, s.draftComment, 0},
		{"POST /drafts/{id}/publish", auth.DraftsWrite, s.draftPublish, 0},
		{"POST /drafts/{id}/mark-published", auth.DraftsWrite, s.draftMarkPublished, 0},
		{"POST /drafts/{id}/images", auth.DraftsWrite, s.draftImageUpload, imageUpload},
		{"POST /drafts/{id}/images/{image}/people", auth.DraftsWrite, s.draftImagePeople, 0},
		{"POST /drafts/{id}/images/{image}/remove", auth.DraftsWrite, s.draftImageRemove, 0},
		{"GET /drafts/{id}/images/{image}", auth.DraftsRead, s.draftImage, 0},
		{"GET /review", auth.DraftsReview, s.reviewQueuePage, 0},
		{"POST /review/service-levels", auth.ReviewSettings, s.setServiceLevels, 0},
		{"POST /review/routes", auth.ReviewSettings, s.setReviewRoute, 0},
		{"POST /review/office-leads", auth.ReviewSettings, s.setOfficeLeads, 0},
		{"POST /review/approval-lifetime", auth.ReviewSettings, s.setApprovalTTL, 0},
		{"POST /api/v1/drafts", auth.DraftsWrite, s.apiDraftCreate, apiDraftUpload},
		{"GET /api/v1/drafts", auth.DraftsRead, s.apiDrafts, 0},
		{"GET /api/v1/review-queue", auth.DraftsReview, s.apiReviewQueue, 0},
		{"GET /api/v1/drafts/{id}", auth.DraftsRead, s.apiDraftGet, 0},
		{"PUT /api/v1/drafts/{id}", auth.DraftsWrite, s.apiDraftEdit, 0},
		{"POST /api/v1/drafts/{id}/submit", auth.DraftsWrite, s.apiDraftSubmit, 0},
		{"POST /api/v1/drafts/{id}/decision", auth.DraftsReview, s.apiDraftDecide, 0},
		{"POST /api/v1/drafts/{id}/publish", auth.DraftsWrite, s.apiDraftPublish, 0},
		{"GET /api/v1/review-settings", auth.ReviewSettings, s.apiReviewSettings, 0},
		{"PATCH /api/v1/review-settings", auth.ReviewSettings, s.apiPatchReviewSettings, 0},
		{"POST /api/v1/drafts/{id}/mark-published", auth.DraftsWrite, s.apiDraftMarkPublished, 0},
		{"GET /api/v1/drafts/{id}/versions", auth.DraftsRead, s.apiDraftVersions, 0},
		{"GET /api/v1/drafts/{id}/comments", auth.DraftsRead, s.apiDraftComments, 0},
		{"POST /api/v1/drafts/{id}/comments", auth.DraftsComment, s.apiDraftComment, 0},
		{"GET /api/v1/drafts/{id}/images", auth.DraftsRead, s.apiDraftImages, 0},
		{"POST /api/v1/drafts/{id}/images", auth.DraftsWrite, s.apiDraftImageUpload, imageUpload},
		{"GET /api/v1/drafts/{id}/images/{image}", auth.DraftsRead, s.apiDraftImage, 0},

		// Advice (advice.go).
		{"GET /advice", auth.AdviceRead, s.advicePage, 0},
		{"POST /advice", auth.AdviceAsk, s.adviceAsk, 0},
		{"GET /advice/{id}", auth.AdviceRead, s.adviceThread, 0},
		{"POST /advice/{id}/answers", auth.AdviceAsk, s.adviceAnswer, 0},
		{"POST /api/v1/advice", auth.AdviceAsk, s.apiAdvice, 0},
		{"GET /api/v1/advice", auth.AdviceRead, s.apiAdviceList, 0},
		{"GET /api/v1/advice/{id}", auth.AdviceRead, s.apiAdviceThread, 0},
		{"POST /api/v1/advice/{id}/answers", auth.AdviceAsk, s.apiAdviceAnswer, 0},

		// The audit trail (audit.go).
		{"GET /audit", auth.AuditRead, s.auditPage, 0},
		{"GET /audit/export.csv", auth.AuditRead, s.auditExport, 0},
		{"GET /api/v1/audit-events", auth.AuditRead, s.apiAuditEvents, 0},
		{"GET /api/v1/audit-events.csv", auth.AuditRead, s.apiAuditExport, 0},

		// Public verification (verify.go).
		{"GET /verify", auth.Public, s.verifyPage, 0},
		{"GET /api/v1/verify", auth.Public, s.apiVerify, 0},

		// The public directory and reports of suspicious accounts (registry_public.go, verify_report.go).
		{"GET /registry", auth.Public, s.registryPage, 0},
		{"GET /registry.csv", auth.Public, s.registryCSV, 0},
		{"POST /report", auth.Public, s.reportPage, 0},
		{"GET /api/v1/registry", auth.Public, s.apiRegistry, 0},
		{"POST /api/v1/reports", auth.Public, s.apiReport, 0},
	}
}
