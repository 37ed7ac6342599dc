package auth

import "github.com/herald-gov/herald/internal/model"

// Permission is what a route requires. Every route of the web application
// declares exactly one.
type Permission string

const (
	// Public routes need no sign-in.
	Public Permission = "public"
	// Self is any signed-in user acting on their own session, password or profile.
	Self Permission = "self"

	DashboardRead Permission = "dashboard:read"
	CheckRun      Permission = "check:run"
	AccountsRead  Permission = "accounts:read"
	AuditRead     Permission = "audit:read"
	TokensManage  Permission = "tokens:manage"
	UsersRead     Permission = "users:read"   // the users page
	UsersManage   Permission = "users:manage" // add users, change roles, disable, reset passwords

	// The registry (issue 4).
	RequestsCreate Permission = "requests:create" // ask for a new institutional account
	RequestsRead   Permission = "requests:read"   // see requests (managers only their own)
	RequestsDecide Permission = "requests:decide" // approve, reject or ask for changes
	AccountsManage Permission = "accounts:manage" // edit, transition, register and import accounts
	FoundTriage    Permission = "found:triage"    // import and triage unregistered accounts

	// Activity monitoring and closure (issue 5).
	AccountsClose   Permission = "accounts:close"   // close an account with the checklist, or keep it open
	AnalyticsImport Permission = "analytics:import" // import analytics files (managers: their own accounts only)

	// Official statements and advice (issue 6). The review service narrows
	// each further: which drafts a user sees, who decides a step.
	DraftsRead    Permission = "drafts:read"    // see drafts one may see (author, managers, reviewers, leads, auditors)
	DraftsWrite   Permission = "drafts:write"   // write, submit and publish drafts for managed accounts, upload images
	DraftsReview  Permission = "drafts:review"  // the review queue and decisions (reviewers; managers who lead an office)
	DraftsComment Permission = "drafts:comment" // comment on a draft's text
	AdviceAsk     Permission = "advice:ask"     // ask the Communications Group, answer or follow up in a thread
	AdviceRead    Permission = "advice:read"    // read advice threads (staff: only their own)

	// Notifications (issue 13).
	ReviewSettings Permission = "review:settings" // the review steps' service levels

	CredentialsManage Permission = "credentials:manage" // platform tokens: set, test, revoke (never read back)

	WebhooksManage Permission = "webhooks:manage" // register, disable, delete webhook endpoints; their delivery log
)

// rolePermissions is the one place where roles get their permissions
// (PRODUCT.md, "Who uses it"). Public and Self are granted to everyone
// signed in and are not listed.
var rolePermissions = map[model.Role][]Permission{
	model.RoleAdmin: {DashboardRead, CheckRun, AccountsRead, AuditRead, TokensManage, UsersRead, UsersManage,
		RequestsCreate, RequestsRead, RequestsDecide, AccountsManage, FoundTriage, AccountsClose, AnalyticsImport,
		DraftsRead, DraftsWrite, DraftsReview, DraftsComment, AdviceAsk, AdviceRead, ReviewSettings, CredentialsManage,
		WebhooksManage},
	model.RoleReviewer: {DashboardRead, CheckRun, AccountsRead, TokensManage, RequestsRead, RequestsDecide, FoundTriage,
		DraftsRead, DraftsReview, DraftsComment, AdviceAsk, AdviceRead},
	model.RoleManager: {DashboardRead, CheckRun, AccountsRead, TokensManage, RequestsCreate, RequestsRead, AnalyticsImport,
		DraftsRead, DraftsWrite, DraftsReview, DraftsComment, AdviceAsk, AdviceRead},
	model.RoleStaff: {DashboardRead, CheckRun, AccountsRead, TokensManage, AdviceAsk, AdviceRead},
	// Auditors read the registry, the requests, the drafts, the advice and
	// the audit trail, and change nothing.
	model.RoleAuditor: {DashboardRead, AccountsRead, AuditRead, RequestsRead, DraftsRead, AdviceRead},
}

// Permissions lists every named permission.
func Permissions() []Permission {
	return []Permission{Public, Self, DashboardRead, CheckRun, AccountsRead, AuditRead, TokensManage, UsersRead, UsersManage,
		RequestsCreate, RequestsRead, RequestsDecide, AccountsManage, FoundTriage, AccountsClose, AnalyticsImport,
		DraftsRead, DraftsWrite, DraftsReview, DraftsComment, AdviceAsk, AdviceRead, ReviewSettings, CredentialsManage,
		WebhooksManage}
}

// Known reports whether p is one of Permissions.
func Known(p Permission) bool {
	for _, x := range Permissions() {
		if p == x {
			return true
		}
	}
	return false
}

// Allowed reports whether a user of role may use a route needing p.
func Allowed(role model.Role, p Permission) bool {
	if p == Public {
		return true
	}
	if !role.Valid() {
		return false
	}
	if p == Self {
		return true
	}
	for _, x := range rolePermissions[role] {
		if x == p {
			return true
		}
	}
	return false
}

// ScopeAllows reports whether a token of scope may use a route needing p
// with method; what it allows is further bounded by its user's role
// (Allowed), so a token never exceeds its user. read-only allows reading
// (GET, HEAD); checks-only allows checking posts and reading the token's
// own user; full allows everything. An unknown scope allows nothing.
func ScopeAllows(scope string, p Permission, method string) bool {
	read := method == "GET" || method == "HEAD"
	switch scope {
	case model.ScopeFull:
		return true
	case model.ScopeReadOnly:
		return read
	case model.ScopeChecksOnly:
		return p == CheckRun || p == Public || (p == Self && read)
	}
	return false
}
