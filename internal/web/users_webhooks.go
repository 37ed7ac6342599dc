package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/webhook"
)

// Webhook endpoints (issue 15): administrators register the URLs other
// systems listen on, see each one's delivery log and send a delivery again.
// The pages and the API call the same webhook.Service.

// deliveriesShown is how many of an endpoint's latest deliveries its log shows.
const deliveriesShown = 50

// checkWebhookURL refuses a URL the outbound client would refuse, so an
// endpoint that can never be reached is not registered.
func (s *Server) checkWebhookURL(raw string) error {
	_, err := outbound.CheckURL(raw, s.cfg.Outbound)
	return err
}

func (s *Server) addWebhook(r *http.Request, url, description string, types []string) (*model.WebhookEndpoint, string, error) {
	return s.webhooks.AddEndpoint(r.Context(), actor(r), s.checkWebhookURL,
		webhook.NewEndpoint{URL: url, Description: description, EventTypes: types, OwnerID: state(r).user.ID})
}

// webhookDelivery loads the {delivery} of the path, which must belong to
// the endpoint {id}.
func (s *Server) webhookDelivery(r *http.Request) (*model.WebhookDelivery, error) {
	epID, err := pathID(r)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("delivery"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errorf(errs.NotFound, "not_found", "not found")
	}
	d, err := s.webhooks.Delivery(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if d.EndpointID != epID {
		return nil, errorf(errs.NotFound, "not_found", "not found")
	}
	return d, nil
}

// deliveryLog is a delivery with its attempts.
type deliveryLog struct {
	model.WebhookDelivery
	Log []model.WebhookAttempt
}

// deliveryLog is an endpoint's deliveries after the one whose store.IDKey is
// after ("" from the newest), each with its attempts.
func (s *Server) deliveryLog(r *http.Request, endpointID int64, after string, limit int) ([]deliveryLog, error) {
	ds, err := s.webhooks.Deliveries(r.Context(), endpointID, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]deliveryLog, len(ds))
	for i, d := range ds {
		out[i].WebhookDelivery = d
		if out[i].Log, err = s.webhooks.Attempts(r.Context(), d.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Pages.

type webhooksView struct {
	Endpoints  []model.WebhookEndpoint
	EventTypes []string
	// Secret is the signing secret of the endpoint just registered, at
	// SecretFor; it is in this response only.
	Secret, SecretFor string
	Error             string
	Form              webhookForm
}

type webhookForm struct {
	URL, Description string
	Types            map[string]bool
}

func (s *Server) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, v webhooksView) {
	eps, err := s.webhooks.Endpoints(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Endpoints, v.EventTypes = eps, model.EventTypes
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "enabled", "disabled", "deleted":
		notice = tr(r, "webhooks.notice."+done)
	}
	s.render(w, r, status, "webhooks", page{Title: tr(r, "webhooks.title"), Active: "Settings", Notice: notice, Data: v})
}

func (s *Server) webhooksPage(w http.ResponseWriter, r *http.Request) {
	s.renderWebhooks(w, r, http.StatusOK, webhooksView{})
}

func (s *Server) webhookCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, errs.Wrap(errs.Invalid, "web.form_unreadable", "the form could not be read: send it again", err))
		return
	}
	f := webhookForm{URL: strings.TrimSpace(r.PostFormValue("url")), Description: r.PostFormValue("description"),
		Types: map[string]bool{}}
	types := r.PostForm["events"]
	for _, t := range types {
		f.Types[t] = true
	}
	ep, secret, err := s.addWebhook(r, f.URL, f.Description, types)
	if err != nil {
		ae := toAPIError(pageLang(r), err)
		if ae.kind == errs.Internal {
			s.pageError(w, r, err)
			return
		}
		s.renderWebhooks(w, r, ae.status, webhooksView{Error: ae.Message, Form: f})
		return
	}
	s.renderWebhooks(w, r, http.StatusOK, webhooksView{Secret: secret, SecretFor: ep.URL})
}

// webhookChange runs one change of the path's endpoint and goes back to the list.
func (s *Server) webhookChange(w http.ResponseWriter, r *http.Request, done string, change func(id int64) error) {
	id, err := pathID(r)
	if err == nil {
		err = change(id)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/webhooks?done="+done, http.StatusSeeOther)
}

func (s *Server) webhookEnable(w http.ResponseWriter, r *http.Request) {
	s.webhookChange(w, r, "enabled", func(id int64) error { return s.webhooks.SetEnabled(r.Context(), actor(r), id, true) })
}

func (s *Server) webhookDisable(w http.ResponseWriter, r *http.Request) {
	s.webhookChange(w, r, "disabled", func(id int64) error { return s.webhooks.SetEnabled(r.Context(), actor(r), id, false) })
}

func (s *Server) webhookDelete(w http.ResponseWriter, r *http.Request) {
	s.webhookChange(w, r, "deleted", func(id int64) error { return s.webhooks.Delete(r.Context(), actor(r), id) })
}

type webhookView struct {
	Endpoint   *model.WebhookEndpoint
	Deliveries []deliveryLog
}

func (s *Server) webhookPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ep, err := s.webhooks.Endpoint(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := webhookView{Endpoint: ep}
	if v.Deliveries, err = s.deliveryLog(r, id, "", deliveriesShown); err != nil {
		s.pageError(w, r, err)
		return
	}
	notice := ""
	if r.URL.Query().Get("done") == "redeliver" {
		notice = tr(r, "webhooks.notice.redeliver")
	}
	s.render(w, r, http.StatusOK, "webhook", page{Title: tr(r, "webhook.title", ep.URL), Active: "Settings", Notice: notice, Data: v})
}

func (s *Server) webhookRedeliver(w http.ResponseWriter, r *http.Request) {
	d, err := s.webhookDelivery(r)
	if err == nil {
		err = s.webhooks.Redeliver(r.Context(), actor(r), d.ID)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/webhooks/"+strconv.FormatInt(d.EndpointID, 10)+"?done=redeliver", http.StatusSeeOther)
}

// The API.

type apiWebhook struct {
	ID             int64      `json:"id"`
	URL            string     `json:"url"`
	Description    string     `json:"description"`
	EventTypes     []string   `json:"event_types"`
	Enabled        bool       `json:"enabled"`
	Owner          string     `json:"owner"`
	CreatedAt      time.Time  `json:"created_at"`
	FailingSince   *time.Time `json:"failing_since"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	// Secret is answered once, at creation.
	Secret string `json:"secret,omitempty"`
}

func toAPIWebhook(ep *model.WebhookEndpoint) apiWebhook {
	var failing *time.Time
	if ep.FailingSince != nil {
		t := ep.FailingSince.UTC()
		failing = &t
	}
	return apiWebhook{ID: ep.ID, URL: ep.URL, Description: ep.Description, EventTypes: ep.EventTypes, Enabled: ep.Enabled,
		Owner: ep.OwnerEmail, CreatedAt: ep.CreatedAt.UTC(), FailingSince: failing, DisabledReason: ep.DisabledReason}
}

type apiDelivery struct {
	ID            int64        `json:"id"`
	MessageID     string       `json:"message_id"`
	Type          string       `json:"type"`
	State         string       `json:"state"`
	CreatedAt     time.Time    `json:"created_at"`
	NextAttemptAt *time.Time   `json:"next_attempt_at"`
	DeliveredAt   *time.Time   `json:"delivered_at"`
	Attempts      []apiAttempt `json:"attempts"`
}

type apiAttempt struct {
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"`
	DurationMS int64     `json:"duration_ms"`
	Error      string    `json:"error,omitempty"`
	Response   string    `json:"response,omitempty"`
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toAPIDelivery(d deliveryLog) apiDelivery {
	out := apiDelivery{ID: d.ID, MessageID: d.MessageID, Type: d.Type, State: d.State, CreatedAt: d.CreatedAt.UTC(),
		NextAttemptAt: utcPtr(d.NextAttemptAt), DeliveredAt: utcPtr(d.DeliveredAt), Attempts: []apiAttempt{}}
	if d.State != model.DeliveryPending {
		out.NextAttemptAt = nil
	}
	for _, at := range d.Log {
		out.Attempts = append(out.Attempts, apiAttempt{Attempt: at.Attempt, At: at.At.UTC(), StatusCode: at.StatusCode,
			DurationMS: at.Duration.Milliseconds(), Error: at.Error, Response: at.Response})
	}
	return out
}

func (s *Server) apiWebhooks(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	eps, err := s.webhooks.Endpoints(r.Context())
	if err == nil {
		eps, err = pageOf(lr, eps, func(ep model.WebhookEndpoint) int64 { return ep.ID })
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, eps, toAPIWebhook, func(i int) string { return store.IDKey(eps[i].ID) })
}

func (s *Server) apiWebhookCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL         string   `json:"url"`
		Description string   `json:"description"`
		EventTypes  []string `json:"event_types"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	ep, secret, err := s.addWebhook(r, in.URL, in.Description, in.EventTypes)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	ep.OwnerEmail = state(r).user.Email
	out := toAPIWebhook(ep)
	out.Secret = secret
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	ep, err := s.webhooks.Endpoint(r.Context(), id)
	entityResult(s, w, r, ep, err, toAPIWebhook)
}

// apiWebhookChange runs one change of the path's endpoint and answers the
// endpoint as it is now.
func (s *Server) apiWebhookChange(w http.ResponseWriter, r *http.Request, change func(id int64) error) {
	id, err := pathID(r)
	if err == nil {
		err = change(id)
	}
	var ep *model.WebhookEndpoint
	if err == nil {
		ep, err = s.webhooks.Endpoint(r.Context(), id)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIWebhook(ep))
}

func (s *Server) apiWebhookEnable(w http.ResponseWriter, r *http.Request) {
	s.apiWebhookChange(w, r, func(id int64) error { return s.webhooks.SetEnabled(r.Context(), actor(r), id, true) })
}

func (s *Server) apiWebhookDisable(w http.ResponseWriter, r *http.Request) {
	s.apiWebhookChange(w, r, func(id int64) error { return s.webhooks.SetEnabled(r.Context(), actor(r), id, false) })
}

func (s *Server) apiWebhookDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.webhooks.Delete(r.Context(), actor(r), id)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiWebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	id, lr, err := idAndList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	if _, err := s.webhooks.Endpoint(r.Context(), id); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	log, err := s.deliveryLog(r, id, lr.After, lr.Limit+1)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, log, func(d *deliveryLog) apiDelivery { return toAPIDelivery(*d) }, func(i int) string { return store.IDKey(log[i].ID) })
}

func (s *Server) apiWebhookRedeliver(w http.ResponseWriter, r *http.Request) {
	d, err := s.webhookDelivery(r)
	if err == nil {
		err = s.webhooks.Redeliver(r.Context(), actor(r), d.ID)
	}
	if err == nil {
		d, err = s.webhooks.Delivery(r.Context(), d.ID)
	}
	var log []model.WebhookAttempt
	if err == nil {
		log, err = s.webhooks.Attempts(r.Context(), d.ID)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, toAPIDelivery(deliveryLog{WebhookDelivery: *d, Log: log}))
}
