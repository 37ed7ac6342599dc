package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// Webhooks (issue 15). A change that other systems may want to hear of
// calls enqueueWebhook inside its own transaction: the message and one
// delivery per subscribed endpoint are committed with the change or not at
// all. The worker (internal/webhook) claims due deliveries, sends them and
// records each attempt here.

// CreateWebhookEndpoint stores ep (its Secret already sealed by the caller),
// enabled, and sets its ID and times. Audited as "webhook.create".
func (s *Store) CreateWebhookEndpoint(ctx context.Context, a model.Actor, ep *model.WebhookEndpoint) error {
	if ep.URL == "" || len(ep.Secret) == 0 || len(ep.EventTypes) == 0 || ep.OwnerID == 0 {
		return errs.Errorf(errs.Invalid, "webhook.endpoint_incomplete", "a webhook endpoint needs a URL, a secret, event types and an owner")
	}
	now := normTime(s.now())
	ep.CreatedAt, ep.UpdatedAt, ep.Enabled = now, now, true
	return s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q("webhook-endpoint-insert"), ep.URL, ep.Secret, ep.Description,
			strings.Join(ep.EventTypes, " "), ep.OwnerID, s.tv(now), s.tv(now)).Scan(&ep.ID)
		if err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "webhook.create", "webhook_endpoint", id(ep.ID),
			fmt.Sprintf("registered webhook endpoint %s for %s", ep.URL, strings.Join(ep.EventTypes, ", ")))
	})
}

func scanEndpoint(sc scanner) (*model.WebhookEndpoint, error) {
	var ep model.WebhookEndpoint
	var types string
	var enabled int
	err := sc.Scan(&ep.ID, &ep.URL, &ep.Secret, &ep.Description, &types, &enabled, &ep.OwnerID, &ep.OwnerEmail,
		scanTime{&ep.CreatedAt}, scanTime{&ep.UpdatedAt}, scanNullTime{&ep.FailingSince}, &ep.DisabledReason)
	if err != nil {
		return nil, mapErr(err)
	}
	ep.EventTypes, ep.Enabled = strings.Fields(types), enabled == 1
	return &ep, nil
}

// WebhookEndpoints returns every endpoint, by id.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]model.WebhookEndpoint, error) {
	return queryAll(ctx, s.r, scanEndpoint, s.q("webhook-endpoints"))
}

// WebhookEndpoint returns one endpoint, or a NotFound error.
func (s *Store) WebhookEndpoint(ctx context.Context, id int64) (*model.WebhookEndpoint, error) {
	return scanEndpoint(s.r.QueryRowContext(ctx, s.q("webhook-endpoint-by-id"), id))
}

// webhookBody is the Standard Webhooks payload.
type webhookBody struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      any    `json:"data"`
}

// enqueueWebhook writes, within tx, a message of type typ carrying data and
// a delivery of it, due now, to every enabled endpoint subscribed to typ.
// Nothing is written when no endpoint listens.
func (s *Store) enqueueWebhook(ctx context.Context, tx *sql.Tx, typ string, data any) error {
	rows, err := tx.QueryContext(ctx, s.q("webhook-endpoints-enabled"))
	if err != nil {
		return mapErr(err)
	}
	var endpoints []int64
	for rows.Next() {
		var epID int64
		var types string
		if err := rows.Scan(&epID, &types); err != nil {
			rows.Close()
			return err
		}
		if slices.Contains(strings.Fields(types), typ) {
			endpoints = append(endpoints, epID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(endpoints) == 0 {
		return err
	}
	now := normTime(s.now())
	body, err := json.Marshal(webhookBody{Type: typ, Timestamp: now.Format(timeText), Data: data})
	if err != nil {
		return errs.Wrap(errs.Invalid, "webhook.data", "the webhook data cannot be written as JSON", err)
	}
	msgID, err := newMessageID()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q("webhook-message-insert"), msgID, typ, string(body), s.tv(now)); err != nil {
		return mapErr(err)
	}
	for _, epID := range endpoints {
		if _, err := tx.ExecContext(ctx, s.q("webhook-delivery-insert"), msgID, epID, s.tv(now), s.tv(now)); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// newMessageID is "msg_" and 128 random bits: unique, and without the "."
// that separates the signed fields.
func newMessageID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "msg_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// The events' data: thin payloads (ids, status, the few fields an
// integrator routes on) and the actor; the rest is read through the API.

type actorRef struct {
	ID    int64  `json:"id,omitempty"`
	Email string `json:"email"`
}

type accountRef struct {
	ID          int64  `json:"id"`
	Platform    string `json:"platform"`
	Handle      string `json:"handle"`
	DisplayName string `json:"display_name"`
	Kind        string `json:"kind"`
	Office      string `json:"office"`
	Status      string `json:"status"`
}

type accountData struct {
	Account    accountRef `json:"account"`
	Actor      actorRef   `json:"actor"`
	FromStatus string     `json:"from_status,omitempty"`
	Decision   string     `json:"decision,omitempty"`
	Reason     string     `json:"reason,omitempty"`
}

func accountEventData(a model.Actor, acc *model.Account, from, reason string) accountData {
	return accountData{Account: accountRef{ID: acc.ID, Platform: acc.Platform, Handle: acc.Handle,
		DisplayName: acc.DisplayName, Kind: acc.Kind, Office: acc.Office, Status: acc.Status},
		Actor: actorRef{a.UserID, a.Email}, FromStatus: from, Reason: reason}
}

// accountWebhooks enqueues what an account change means to other systems:
// a new request, a decision on one, or a move to at-risk, closure-proposed
// or closed.
func (s *Store) accountWebhooks(ctx context.Context, tx *sql.Tx, a model.Actor, acc *model.Account, from, action, reason string) error {
	data := accountEventData(a, acc, from, reason)
	switch {
	case from == "" && acc.Status == model.StatusRequested:
		data.FromStatus = ""
		return s.enqueueWebhook(ctx, tx, model.EventRequestCreated, data)
	case action == "account.approve" || action == "account.reject" || action == "account.request-changes":
		data.Decision = strings.TrimPrefix(action, "account.")
		return s.enqueueWebhook(ctx, tx, model.EventRequestDecided, data)
	case from == acc.Status:
		return nil
	case acc.Status == model.StatusAtRisk:
		return s.enqueueWebhook(ctx, tx, model.EventAccountAtRisk, data)
	case acc.Status == model.StatusClosureProposed:
		return s.enqueueWebhook(ctx, tx, model.EventAccountClosureProposed, data)
	case acc.Status == model.StatusClosed:
		return s.enqueueWebhook(ctx, tx, model.EventAccountClosed, data)
	}
	return nil
}

type draftRef struct {
	ID           int64  `json:"id"`
	AccountID    int64  `json:"account_id"`
	Version      int    `json:"version"`
	Status       string `json:"status"`
	Platform     string `json:"platform,omitempty"`
	PublishedURL string `json:"published_url,omitempty"`
}

// draftWebhooks enqueues what a draft change means to other systems: an
// approval counts only when the draft's last step approved it.
func (s *Store) draftWebhooks(ctx context.Context, tx *sql.Tx, a model.Actor, d *model.StoredDraft, action string) error {
	var typ string
	switch {
	case action == "draft.submit":
		typ = model.EventDraftSubmitted
	case action == "draft.approve" && d.Status == model.DraftApproved:
		typ = model.EventDraftApproved
	case action == "draft.request-changes":
		typ = model.EventDraftChangesRequested
	case action == "draft.publish":
		typ = model.EventDraftPublished
	default:
		return nil
	}
	return s.enqueueWebhook(ctx, tx, typ, struct {
		Draft draftRef `json:"draft"`
		Actor actorRef `json:"actor"`
	}{draftRef{ID: d.ID, AccountID: d.AccountID, Version: d.Version, Status: d.Status, Platform: d.Platform,
		PublishedURL: d.PublishedURL}, actorRef{a.UserID, a.Email}})
}

type adviceData struct {
	Advice struct {
		ID       int64  `json:"id"`
		Kind     string `json:"kind,omitempty"`
		Platform string `json:"platform,omitempty"`
	} `json:"advice"`
	Actor actorRef `json:"actor"`
}

func (s *Store) adviceWebhook(ctx context.Context, tx *sql.Tx, a model.Actor, typ string, qid int64, kind, platform string) error {
	var data adviceData
	data.Advice.ID, data.Advice.Kind, data.Advice.Platform = qid, kind, platform
	data.Actor = actorRef{a.UserID, a.Email}
	return s.enqueueWebhook(ctx, tx, typ, data)
}

func (s *Store) foundWebhook(ctx context.Context, tx *sql.Tx, a model.Actor, f *model.FoundAccount) error {
	type foundRef struct {
		ID          int64  `json:"id"`
		Platform    string `json:"platform"`
		Handle      string `json:"handle"`
		DisplayName string `json:"display_name,omitempty"`
		URL         string `json:"url,omitempty"`
		State       string `json:"state"`
	}
	return s.enqueueWebhook(ctx, tx, model.EventFoundAccountReported, struct {
		Found foundRef `json:"found_account"`
		Actor actorRef `json:"actor"`
	}{foundRef{f.ID, f.Platform, f.Handle, f.DisplayName, f.URL, f.State}, actorRef{a.UserID, a.Email}})
}

func scanDelivery(sc scanner) (*model.WebhookDelivery, error) {
	var d model.WebhookDelivery
	var payload string
	err := sc.Scan(&d.ID, &d.MessageID, &d.Type, &payload, &d.EndpointID, &d.State, &d.Attempts,
		scanNullTime{&d.NextAttemptAt}, scanTime{&d.CreatedAt}, scanNullTime{&d.DeliveredAt}, &d.LastStatus, &d.LastError)
	if err != nil {
		return nil, mapErr(err)
	}
	d.Payload = []byte(payload)
	return &d, nil
}

// ClaimWebhookDeliveries leases up to limit pending deliveries due at now
// to enabled endpoints: their next attempt moves to now+lease, so another
// worker (another `herald serve` on the database) skips them until then. On
// PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED; on SQLite the single
// writer serializes claims. The lease must outlast one attempt.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.WebhookDelivery, error) {
	q := s.q("webhook-due")
	if s.dialect == Postgres {
		q += " FOR UPDATE OF d SKIP LOCKED"
	}
	// A read first: the poll every few seconds takes SQLite's write lock
	// only when there is something to send.
	var first int64
	switch err := s.r.QueryRowContext(ctx, s.q("webhook-any-due"), s.tv(now)).Scan(&first); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return claim(ctx, s, scanDelivery, q, "webhook-lease", now, normTime(now.Add(lease)), limit,
		func(d *model.WebhookDelivery) int64 { return d.ID },
		func(d *model.WebhookDelivery, until *time.Time) { d.NextAttemptAt = until })
}

// WebhookResult is the outcome of one attempt of a claimed delivery.
type WebhookResult struct {
	Attempt   model.WebhookAttempt // DeliveryID and Attempt are filled in
	Delivered bool
	Next      *time.Time // when to try again; nil with !Delivered: the delivery failed for good
	// Disable, when set, turns the endpoint off now with this reason (410 Gone).
	Disable string
	// DisableAfter turns the endpoint off when it has been failing this long
	// (0: never); its owner is told in Herald and by e-mail.
	DisableAfter time.Duration
}

// ErrStaleDelivery is returned when another worker recorded the claimed
// attempt first (the lease ran out): this result is dropped.
var ErrStaleDelivery = errs.E(errs.Conflict, "webhook.stale_delivery", "the delivery changed since it was claimed")

// RecordWebhookAttempt logs the attempt of claimed delivery d, moves the
// delivery on (delivered, retried at r.Next, or failed) and keeps the
// endpoint's failing_since: cleared by a success, set by the first failure
// after one. When the endpoint must be disabled (r.Disable, or failing for
// r.DisableAfter) it is, its owner gets a notification, the change is
// audited as "webhook.disable", and disabled is true.
func (s *Store) RecordWebhookAttempt(ctx context.Context, d model.WebhookDelivery, r WebhookResult) (disabled bool, err error) {
	at := r.Attempt
	at.DeliveryID, at.Attempt, at.At = d.ID, d.Attempts+1, normTime(at.At)
	state, delivered := model.DeliveryPending, any(nil)
	switch {
	case r.Delivered:
		state, delivered = model.DeliveryDelivered, s.tv(at.At)
		r.Next = nil
	case r.Next == nil:
		state = model.DeliveryFailed
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		disabled = false
		if _, err := tx.ExecContext(ctx, s.q("webhook-attempt-insert"), at.DeliveryID, at.Attempt, s.tv(at.At),
			at.StatusCode, at.Response, at.Duration.Milliseconds(), at.Error); err != nil {
			return mapErr(err)
		}
		res, err := tx.ExecContext(ctx, s.q("webhook-delivery-result"), state, at.Attempt, s.ntv(r.Next), delivered,
			at.StatusCode, at.Error, d.ID, d.Attempts)
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return ErrStaleDelivery
		}
		if r.Delivered {
			_, err := tx.ExecContext(ctx, s.q("webhook-endpoint-ok"), d.EndpointID)
			return mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, s.q("webhook-endpoint-failing"), s.tv(at.At), d.EndpointID); err != nil {
			return mapErr(err)
		}
		ep, err := scanEndpoint(tx.QueryRowContext(ctx, s.q("webhook-endpoint-by-id"), d.EndpointID))
		if err != nil {
			return err
		}
		reason := r.Disable
		if reason == "" && r.DisableAfter > 0 && ep.FailingSince != nil && at.At.Sub(*ep.FailingSince) >= r.DisableAfter {
			reason = model.WebhookFailing(*ep.FailingSince)
		}
		if reason == "" || !ep.Enabled {
			return nil
		}
		disabled = true
		return s.disableEndpointTx(ctx, tx, ep, reason, at.At)
	})
	return disabled, err
}

func (s *Store) disableEndpointTx(ctx context.Context, tx *sql.Tx, ep *model.WebhookEndpoint, reason string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, s.q("webhook-endpoint-disable"), reason, s.tv(now), ep.ID); err != nil {
		return mapErr(err)
	}
	// The e-mail is written in the owner's language; the key lets the
	// in-app list show the subject in the reader's (notify.Text).
	lang := "en"
	if err := tx.QueryRowContext(ctx, s.bind("SELECT lang FROM users WHERE id = ?"), ep.OwnerID).Scan(&lang); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mapErr(err)
	}
	why := reason
	if key, args := model.WebhookReasonKey(reason); key != "" {
		why = i18n.T(lang, key, args...)
	}
	n := model.Notification{UserID: ep.OwnerID, Email: ep.OwnerEmail, Key: "webhook.disabled", Args: []string{ep.URL},
		Subject: i18n.T(lang, "notify.webhook.disabled", ep.URL),
		Body:    i18n.T(lang, "notify.webhook.disabled_body", ep.URL, why)}
	if err := s.insertNotification(ctx, tx, &n); err != nil {
		return err
	}
	return s.appendEvent(ctx, tx, model.SystemActor("webhook"), "webhook.disable", "webhook_endpoint", id(ep.ID),
		fmt.Sprintf("disabled webhook endpoint %s: %s", ep.URL, reason))
}

// WebhookDeliveries returns an endpoint's latest deliveries, newest first,
// after the one whose IDKey is after ("" from the newest); limit <= 0
// means 50, at most 1000.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID int64, after string, limit int) ([]model.WebhookDelivery, error) {
	afterID, err := s.afterID(after)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	return queryAll(ctx, s.r, scanDelivery, s.q("webhook-deliveries"), endpointID, afterID, afterID, min(limit, 1000))
}

// WebhookDelivery returns one delivery, or a NotFound error.
func (s *Store) WebhookDelivery(ctx context.Context, id int64) (*model.WebhookDelivery, error) {
	return scanDelivery(s.r.QueryRowContext(ctx, s.q("webhook-delivery-by-id"), id))
}

// WebhookAttempts returns a delivery's attempts, oldest first.
func (s *Store) WebhookAttempts(ctx context.Context, deliveryID int64) ([]model.WebhookAttempt, error) {
	return queryAll(ctx, s.r, func(sc scanner) (*model.WebhookAttempt, error) {
		var at model.WebhookAttempt
		var ms int64
		if err := sc.Scan(&at.ID, &at.DeliveryID, &at.Attempt, scanTime{&at.At}, &at.StatusCode, &at.Response,
			&ms, &at.Error); err != nil {
			return nil, err
		}
		at.Duration = time.Duration(ms) * time.Millisecond
		return &at, nil
	}, s.q("webhook-attempts"), deliveryID)
}

// RedeliverWebhook makes a delivery due again at now, whatever its state;
// its attempts continue to be counted and logged. An Invalid error when its
// endpoint is disabled. Audited as "webhook.redeliver".
func (s *Store) RedeliverWebhook(ctx context.Context, a model.Actor, deliveryID int64) error {
	now := normTime(s.now())
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := scanDelivery(tx.QueryRowContext(ctx, s.q("webhook-delivery-by-id"), deliveryID))
		if err != nil {
			return err
		}
		ep, err := scanEndpoint(tx.QueryRowContext(ctx, s.q("webhook-endpoint-by-id"), d.EndpointID))
		if err != nil {
			return err
		}
		if !ep.Enabled {
			return errs.Errorf(errs.Invalid, "webhook.endpoint_disabled", "webhook endpoint %d is disabled (%s)", ep.ID, ep.DisabledReason)
		}
		if _, err := tx.ExecContext(ctx, s.q("webhook-redeliver"), s.tv(now), deliveryID); err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "webhook.redeliver", "webhook_delivery", id(deliveryID),
			fmt.Sprintf("redelivery of %s (%s) to %s", d.MessageID, d.Type, ep.URL))
	})
}

// RotateWebhookSecrets reseals every endpoint's signing secret with reseal
// (open with any configured key, seal with the current one), all or none,
// and returns how many. Audited as "webhook.rotate" when there were any.
func (s *Store) RotateWebhookSecrets(ctx context.Context, a model.Actor, reseal func(sealed []byte) ([]byte, error)) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		type row struct {
			id     int64
			secret []byte
		}
		all, err := queryAll(ctx, tx, func(sc scanner) (*row, error) {
			var r row
			return &r, sc.Scan(&r.id, &r.secret)
		}, s.q("webhook-secrets"))
		if err != nil {
			return err
		}
		for _, r := range all {
			sealed, err := reseal(r.secret)
			if err != nil {
				return fmt.Errorf("webhook endpoint %d: %w", r.id, err)
			}
			if _, err := tx.ExecContext(ctx, s.q("webhook-secret-update"), sealed, r.id); err != nil {
				return mapErr(err)
			}
		}
		n = len(all)
		if n == 0 {
			return nil
		}
		return s.appendEvent(ctx, tx, a, "webhook.rotate", "webhook_endpoint", "",
			fmt.Sprintf("resealed %d webhook signing secrets under the current key", n))
	})
	return n, err
}

// SetWebhookEndpointEnabled turns an endpoint on (forgetting why it was
// disabled and since when it failed: its owner fixed the receiver) or off
// by hand. Audited as "webhook.enable" or "webhook.disable".
func (s *Store) SetWebhookEndpointEnabled(ctx context.Context, a model.Actor, endpointID int64, enabled bool) error {
	now := normTime(s.now())
	return s.write(ctx, func(tx *sql.Tx) error {
		ep, err := scanEndpoint(tx.QueryRowContext(ctx, s.q("webhook-endpoint-by-id"), endpointID))
		if err != nil {
			return err
		}
		action, what := "webhook.enable", "enabled"
		if enabled {
			err = s.execOne(ctx, tx, s.q("webhook-endpoint-enable"), s.tv(now), ep.ID)
		} else {
			action, what = "webhook.disable", "disabled"
			_, err = tx.ExecContext(ctx, s.q("webhook-endpoint-disable"), model.WebhookDisabledBy(a.Email), s.tv(now), ep.ID)
		}
		if err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, action, "webhook_endpoint", id(ep.ID), fmt.Sprintf("%s webhook endpoint %s", what, ep.URL))
	})
}

// DeleteWebhookEndpoint removes an endpoint with its deliveries and their
// log. Audited as "webhook.delete".
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, a model.Actor, endpointID int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		ep, err := scanEndpoint(tx.QueryRowContext(ctx, s.q("webhook-endpoint-by-id"), endpointID))
		if err != nil {
			return err
		}
		if err := s.execOne(ctx, tx, s.q("webhook-endpoint-delete"), ep.ID); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "webhook.delete", "webhook_endpoint", id(ep.ID), "deleted webhook endpoint "+ep.URL)
	})
}
