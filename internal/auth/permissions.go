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
	UsersRead     Permission = "users:read"

	// The registry (issue 4).
	RequestsCreate Permission = "requests:create" // ask for a new institutional account
	RequestsRead   Permission = "requests:read"   // see requests (managers only their own)
	RequestsDecide Permission = "requests:decide" // approve, reject or ask for changes
	AccountsManage Permission = "accounts:manage" // edit, transition, register and import accounts
	FoundTriage    Permission = "found:triage"    // import and triage unregistered accounts
)

// rolePermissions is the one place where roles get their permissions
// (PRODUCT.md, "Who uses it"). Public and Self are granted to everyone
// signed in and are not listed.
var rolePermissions = map[model.Role][]Permission{
	model.RoleAdmin: {DashboardRead, CheckRun, AccountsRead, AuditRead, TokensManage, UsersRead,
		RequestsCreate, RequestsRead, RequestsDecide, AccountsManage, FoundTriage},
	model.RoleReviewer: {DashboardRead, CheckRun, AccountsRead, TokensManage, RequestsRead, RequestsDecide, FoundTriage},
	model.RoleManager:  {DashboardRead, CheckRun, AccountsRead, TokensManage, RequestsCreate, RequestsRead},
	model.RoleStaff:    {DashboardRead, CheckRun, AccountsRead, TokensManage},
	// Auditors read the registry, the requests and the audit trail, and change nothing.
	model.RoleAuditor: {DashboardRead, AccountsRead, AuditRead, RequestsRead},
}

// Permissions lists every named permission.
func Permissions() []Permission {
	return []Permission{Public, Self, DashboardRead, CheckRun, AccountsRead, AuditRead, TokensManage, UsersRead,
		RequestsCreate, RequestsRead, RequestsDecide, AccountsManage, FoundTriage}
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
