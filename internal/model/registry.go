package model

import "time"

// AccountEvent is one change of an account's status: who, when and why. The
// account page shows them; the audit trail holds the same facts.
type AccountEvent struct {
	ID, AccountID int64
	From, To      string
	ActorID       int64
	ActorEmail    string
	Reason        string
	At            time.Time
}

// Found account triage states.
const (
	FoundNew           = "new"             // waiting for triage
	FoundRequested     = "request-started" // an institutional account that skipped authorization
	FoundPersonal      = "personal"
	FoundImpersonation = "impersonation"
	FoundDismissed     = "dismissed"
)

// Takedown states of an impersonation.
const (
	TakedownRequested = "requested"
	TakedownSubmitted = "submitted"
	TakedownRemoved   = "removed"
	TakedownRefused   = "refused"
)

// FoundAccount is an account found on a platform that uses the
// organization's names but is not in the registry (2.1, 4.1, 5.2(a)).
type FoundAccount struct {
	ID            int64
	Platform      string
	Handle        string
	HandleKey     string // as the registry compares handles; unique per platform
	DisplayName   string
	URL           string
	Followers     *int64
	State         string
	Reason        string
	TakedownState string
	AccountID     *int64
	ImportedAt    time.Time
	UpdatedAt     time.Time

	Source         string            // FoundSourceImport, FoundSourceDiscovery or FoundSourceReport
	Bio            string            // as the platform showed it when found
	LookalikeScore *float64          // 0–1, how much it looks like a registered account; nil before scoring
	ImitatesID     *int64            // the registered account it most resembles
	Reasons        []LookalikeReason // why it looks alike
	ReportCount    int               // public reports that named it
	LastSeenAt     *time.Time
	GoneAt         *time.Time // when the platform no longer had it
}

// Where a found account came from.
const (
	FoundSourceImport    = "import"
	FoundSourceDiscovery = "discovery"
	FoundSourceReport    = "report"
)

// E-mail states of a notification.
const (
	EmailNone    = ""
	EmailPending = "pending"
	EmailSent    = "sent"
	EmailFailed  = "failed" // every attempt failed; kept and shown, never dropped
	EmailHeld    = "held"   // waits for the person's daily digest
	EmailDigest  = "digest" // went out in a daily digest
)

// How a person gets notifications by e-mail; the in-app list is kept whatever they choose.
const (
	NotifyImmediate = "immediate"
	NotifyDigest    = "digest"
	NotifyOff       = "off"
)

// Notification is an in-app message to a user and, when Email is set, the
// e-mail that carries it (the outbox row).
type Notification struct {
	ID            int64
	UserID        int64
	Kind          string   // what it is about: review, request, advice, account, draft, digest
	Key           string   // the message's key for translations; "" on rows from before keys
	Args          []string // the values the message was formatted with, in order
	Subject       string
	Body          string
	Link          string
	CreatedAt     time.Time
	ReadAt        *time.Time
	Email         string
	EmailState    string
	Attempts      int
	NextAttemptAt *time.Time
	LastError     string
}
