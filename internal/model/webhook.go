package model

import (
	"strings"
	"time"
)

// Webhook event types (issue 15): what Herald tells other systems.
const (
	EventRequestCreated         = "request.created"
	EventRequestDecided         = "request.decided"
	EventDraftSubmitted         = "draft.submitted"
	EventDraftApproved          = "draft.approved"
	EventDraftChangesRequested  = "draft.changes_requested"
	EventDraftPublished         = "draft.published"
	EventAccountAtRisk          = "account.at_risk"
	EventAccountClosureProposed = "account.closure_proposed"
	EventAccountClosed          = "account.closed"
	EventAdviceAsked            = "advice.asked"
	EventAdviceAnswered         = "advice.answered"
	EventFoundAccountReported   = "found_account.reported"
)

// EventTypes lists every webhook event type, in the order of the docs.
var EventTypes = []string{
	EventRequestCreated, EventRequestDecided,
	EventDraftSubmitted, EventDraftApproved, EventDraftChangesRequested, EventDraftPublished,
	EventAccountAtRisk, EventAccountClosureProposed, EventAccountClosed,
	EventAdviceAsked, EventAdviceAnswered, EventFoundAccountReported,
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookEndpoint is a URL another system registered for some event types.
// Secret is the sealed signing secret; it is never shown after creation.
type WebhookEndpoint struct {
	ID             int64
	URL            string
	Secret         []byte
	Description    string
	EventTypes     []string
	Enabled        bool
	OwnerID        int64
	OwnerEmail     string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	FailingSince   *time.Time
	DisabledReason string
}

// WebhookDelivery is one message on its way to one endpoint.
type WebhookDelivery struct {
	ID            int64
	MessageID     string // the webhook-id header
	Type          string
	Payload       []byte // the exact body, signed at each attempt
	EndpointID    int64
	State         string
	Attempts      int
	NextAttemptAt *time.Time
	CreatedAt     time.Time
	DeliveredAt   *time.Time
	LastStatus    int
	LastError     string
}

// WebhookAttempt is one try of a delivery, as the log shows it.
type WebhookAttempt struct {
	ID         int64
	DeliveryID int64
	Attempt    int
	At         time.Time
	StatusCode int // 0: no answer
	Response   string
	Duration   time.Duration
	Error      string
}

// Why an endpoint was turned off, as stored in DisabledReason: English,
// for the API and the audit trail; WebhookReasonKey gives its catalog
// key for people.
const (
	WebhookGone          = "the receiver answered 410 Gone"
	webhookFailingPrefix = "every delivery failed since "
	webhookByPrefix      = "disabled by "
)

// WebhookFailing is the reason of an endpoint turned off after failing
// since the time.
func WebhookFailing(since time.Time) string { return webhookFailingPrefix + since.Format(time.RFC3339) }

// WebhookDisabledBy is the reason of an endpoint turned off by a person.
func WebhookDisabledBy(email string) string { return webhookByPrefix + email }

// WebhookReasonKey is the catalog key (notify.webhook.reason.*) and the
// arguments of a stored reason; "" for a reason Herald did not write.
func WebhookReasonKey(reason string) (key string, args []any) {
	switch {
	case reason == WebhookGone:
		return "notify.webhook.reason.gone", nil
	case strings.HasPrefix(reason, webhookFailingPrefix):
		return "notify.webhook.reason.failing", []any{strings.TrimPrefix(reason, webhookFailingPrefix)}
	case strings.HasPrefix(reason, webhookByPrefix):
		return "notify.webhook.reason.by", []any{strings.TrimPrefix(reason, webhookByPrefix)}
	}
	return "", nil
}
