package model

import (
	"strings"
	"time"
)

// Role is what a user may do (docs/ARCHITECTURE.md, PRODUCT.md "Who uses it").
type Role string

const (
	RoleAdmin    Role = "admin"    // the Communications Group: registry, decisions, closure, policy pack
	RoleReviewer Role = "reviewer" // CG staff: review posts and requests, answer advice
	RoleManager  Role = "manager"  // office or project focal point: owns accounts, writes drafts
	RoleStaff    Role = "staff"    // any personnel: personal checks, self-check, advice
	RoleAuditor  Role = "auditor"  // oversight, read-only
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleReviewer, RoleManager, RoleStaff, RoleAuditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a person who signs in to Herald.
type User struct {
	ID           int64
	Email        string // unique, stored lower-case
	Name         string
	Role         Role
	PasswordHash string // empty for users who only sign in through OIDC
	OIDCSubject  string // "issuer|subject" once linked
	CreatedAt    time.Time
	DisabledAt   *time.Time
	Lang         string // the language chosen in settings; "" follows the browser
}

// Session is a signed-in browser. The cookie holds a random token; the store
// keeps only its SHA-256 (TokenHash), so a leaked database opens no session.
type Session struct {
	TokenHash string
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
	Addr      string
}

// APIToken is a bearer token for /api/v1. Only its SHA-256 is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Actor is who makes a change and from where; every state change in the
// store takes one and records it in the audit trail in the same transaction.
type Actor struct {
	UserID int64  // 0 for the system (first-run setup, scheduler, CLI without a user)
	Email  string // "system" for the system
	Addr   string // remote address, empty from the CLI
}

// SystemActor is the actor for changes Herald makes by itself.
func SystemActor(what string) Actor { return Actor{Email: "system:" + what} }

// AuditEvent is one entry of the append-only, hash-chained audit trail.
type AuditEvent struct {
	Seq        int64
	At         time.Time // UTC, truncated to microseconds so both databases keep it exactly
	ActorID    int64
	ActorEmail string
	Addr       string
	Action     string // dotted verb, e.g. "user.create", "session.signin", "account.approve"
	ObjectType string
	ObjectID   string
	Summary    string // what changed, for people; never a secret
	PrevHash   string // hex SHA-256 of the previous event, "" for the first
	Hash       string // hex SHA-256 of this event's canonical encoding
}

// Account statuses (registry lifecycle).
const (
	StatusRequested        = "requested"
	StatusInReview         = "in-review"
	StatusChangesRequested = "changes-requested"
	StatusActive           = "active"
	StatusAtRisk           = "at-risk"
	StatusClosureProposed  = "closure-proposed"
	StatusClosed           = "closed"
	StatusRejected         = "rejected"
)

// Account is an institutional account in the registry.
type Account struct {
	ID           int64
	Platform     string
	Handle       string
	ProfileURL   string
	DisplayName  string
	Bio          string
	Kind         string // corporate|country-office|project
	Office       string
	Languages    []string
	Audience     string
	Purpose      string
	PostsPerWeek float64
	Email        string
	Contacts     []string
	Managers     []string // emails of users who manage the account
	Project      *Project // project accounts only
	Status       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ClosedAt     *time.Time
	RequestedBy  int64  // user who asked for it; 0 when registered directly
	HandleKey    string // registry.NormalizeHandle's form, unique per platform; set by the registry service
	// HandleParked says the account was closed with its handle kept by the
	// organization (logged out, untouched) so that nobody else takes it.
	HandleParked bool
}

// ManagedBy reports whether u is listed among the account's managers (by
// e-mail, in any case). What a manager may do with it is each service's
// rule: registry (edit), review (drafts), monitor (analytics imports).
func (a *Account) ManagedBy(u *User) bool {
	if u == nil {
		return false
	}
	for _, m := range a.Managers {
		if strings.EqualFold(strings.TrimSpace(m), u.Email) {
			return true
		}
	}
	return false
}
