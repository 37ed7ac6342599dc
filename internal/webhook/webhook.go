package webhook

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/store"
)

// Schedule is the wait before each retry: the Standard Webhooks example
// schedule, cut where it passes one day. With the first attempt at once,
// a message is tried 7 times over 17 h 35 min before it fails.
var Schedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour}

// Defaults of Options.
const (
	DefaultDisableAfter = 5 * 24 * time.Hour
	DefaultLease        = 5 * time.Minute
	DefaultTimeout      = 30 * time.Second
	DefaultPoll         = 5 * time.Second
	responseCap         = 1024 // bytes of a receiver's answer kept in the log
)

// ErrNoSecretKey is returned when endpoints are used without the server's
// secret key, which seals their signing secrets.
var ErrNoSecretKey = errs.E(errs.Unavailable, "webhook.no_secret_key",
	"webhooks need the server's secret key (HERALD_SECRET_KEY), which seals endpoint secrets; ask the operator to set it")

// Options configure a Service; zero fields take the defaults.
type Options struct {
	Store *store.Store
	// Client sends the deliveries: the guarded outbound client in serve.
	// Redirects are never followed (the specification counts 3xx as failure).
	Client *http.Client
	// Key seals endpoint secrets (AES-256-GCM, the server's secret key);
	// PreviousKeys still open secrets sealed before a key rotation.
	Key          []byte
	PreviousKeys [][]byte
	// DisableAfter disables an endpoint whose deliveries have all failed for
	// this long (default 5 days); its owner is told.
	DisableAfter time.Duration
	Lease        time.Duration // a claim's hold on a delivery; must outlast Timeout
	Timeout      time.Duration // one attempt, default 30 s
	Poll         time.Duration // how often Run looks for due deliveries
	Workers      int           // deliveries sent at once, default 4
	Notify       *notify.Notifier
	Log          *slog.Logger
	Now          func() time.Time
	// Jitter spreads a retry's wait (default: up to 10% more), so that
	// receivers that failed together are not retried together.
	Jitter func(time.Duration) time.Duration
}

// Service registers endpoints and delivers their messages.
type Service struct {
	o      Options
	client *http.Client
}

// New returns a Service.
func New(o Options) *Service {
	if o.DisableAfter == 0 {
		o.DisableAfter = DefaultDisableAfter
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Lease <= o.Timeout {
		o.Lease = max(DefaultLease, 2*o.Timeout)
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = func(d time.Duration) time.Duration { return d + mrand.N(d/10+1) }
	}
	c := http.DefaultClient
	if o.Client != nil {
		c = o.Client
	}
	client := *c
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Service{o: o, client: &client}
}

// aad binds a sealed secret to its use, so a connector credential's
// ciphertext copied here does not open.
var aad = []byte("herald-webhook-secret-v1")

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (s *Service) seal(secret string) ([]byte, error) {
	if s.o.Key == nil {
		return nil, ErrNoSecretKey
	}
	g, err := gcm(s.o.Key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, []byte(secret), aad), nil
}

func (s *Service) open(sealed []byte) (string, error) {
	if s.o.Key == nil {
		return "", ErrNoSecretKey
	}
	for _, key := range append([][]byte{s.o.Key}, s.o.PreviousKeys...) {
		g, err := gcm(key)
		if err != nil || len(sealed) < g.NonceSize() {
			continue
		}
		if plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], aad); err == nil {
			return string(plain), nil
		}
	}
	return "", errors.New("webhook: an endpoint secret does not decrypt with the configured secret keys")
}

// NewEndpoint is what an administrator gives to register an endpoint.
type NewEndpoint struct {
	URL         string
	Description string
	EventTypes  []string // empty: every type
	OwnerID     int64
}

// CheckURL, when set, refuses endpoint URLs the outbound client would refuse
// (outbound.CheckURL with the configured allow list).
type CheckURL func(string) error

// AddEndpoint registers an endpoint and returns it with its signing secret,
// which is shown this once and kept only sealed.
func (s *Service) AddEndpoint(ctx context.Context, a model.Actor, check CheckURL, n NewEndpoint) (*model.WebhookEndpoint, string, error) {
	u, err := url.Parse(strings.TrimSpace(n.URL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, "", errs.E(errs.Invalid, "webhook.url", "the endpoint must be an absolute http(s) URL")
	}
	if check != nil {
		if err := check(u.String()); err != nil {
			return nil, "", errs.Errorf(errs.Invalid, "webhook.url_refused", "Herald may not send to %s: %v", u.Redacted(), err)
		}
	}
	types := n.EventTypes
	if len(types) == 0 {
		types = model.EventTypes
	}
	for _, t := range types {
		if !slices.Contains(model.EventTypes, t) {
			return nil, "", errs.Errorf(errs.Invalid, "webhook.unknown_type", "unknown event type %q (known: %s)", t,
				strings.Join(model.EventTypes, ", "))
		}
	}
	secret, err := NewSecret()
	if err != nil {
		return nil, "", err
	}
	sealed, err := s.seal(secret)
	if err != nil {
		return nil, "", err
	}
	ep := &model.WebhookEndpoint{URL: u.String(), Secret: sealed, Description: strings.TrimSpace(n.Description),
		EventTypes: slices.Compact(slices.Sorted(slices.Values(types))), OwnerID: n.OwnerID}
	if err := s.o.Store.CreateWebhookEndpoint(ctx, a, ep); err != nil {
		return nil, "", err
	}
	return ep, secret, nil
}

// Endpoints lists the registered endpoints (secrets stay sealed).
func (s *Service) Endpoints(ctx context.Context) ([]model.WebhookEndpoint, error) {
	return s.o.Store.WebhookEndpoints(ctx)
}

// Endpoint returns one endpoint (its secret sealed), or a NotFound error.
func (s *Service) Endpoint(ctx context.Context, id int64) (*model.WebhookEndpoint, error) {
	return s.o.Store.WebhookEndpoint(ctx, id)
}

// SetEnabled turns an endpoint on or off; turning it on forgets why it was
// disabled, and its deliveries still pending go out at the next pass.
func (s *Service) SetEnabled(ctx context.Context, a model.Actor, id int64, enabled bool) error {
	return s.o.Store.SetWebhookEndpointEnabled(ctx, a, id, enabled)
}

// Delete removes an endpoint with its deliveries and their log.
func (s *Service) Delete(ctx context.Context, a model.Actor, id int64) error {
	return s.o.Store.DeleteWebhookEndpoint(ctx, a, id)
}

// Delivery returns one delivery, or a NotFound error.
func (s *Service) Delivery(ctx context.Context, id int64) (*model.WebhookDelivery, error) {
	return s.o.Store.WebhookDelivery(ctx, id)
}

// Deliveries lists an endpoint's latest deliveries, newest first, after
// the one whose store.IDKey is after ("" from the newest).
func (s *Service) Deliveries(ctx context.Context, endpointID int64, after string, limit int) ([]model.WebhookDelivery, error) {
	return s.o.Store.WebhookDeliveries(ctx, endpointID, after, limit)
}

// Attempts is a delivery's log.
func (s *Service) Attempts(ctx context.Context, deliveryID int64) ([]model.WebhookAttempt, error) {
	return s.o.Store.WebhookAttempts(ctx, deliveryID)
}

// Redeliver sends a delivery again at the next pass, whatever its state.
func (s *Service) Redeliver(ctx context.Context, a model.Actor, deliveryID int64) error {
	return s.o.Store.RedeliverWebhook(ctx, a, deliveryID)
}

// Run delivers due messages every Poll until ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.o.Poll)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.o.Log.Warn("webhook deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims the deliveries due now and sends them, Workers at a time,
// until none is due; it returns how many attempts it made.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		ds, err := s.o.Store.ClaimWebhookDeliveries(ctx, s.o.Now(), s.o.Lease, 4*s.o.Workers)
		if err != nil || len(ds) == 0 {
			return total, err
		}
		// A secret that does not open (a key rotated away) fails its
		// endpoint's deliveries like an unreachable receiver, so the owner
		// hears of it; the other endpoints are served.
		secrets := map[int64]string{}
		secretErrs := map[int64]error{}
		eps := map[int64]*model.WebhookEndpoint{}
		for _, d := range ds {
			if _, ok := eps[d.EndpointID]; ok {
				continue
			}
			ep, err := s.o.Store.WebhookEndpoint(ctx, d.EndpointID)
			if err != nil {
				return total, err
			}
			eps[d.EndpointID] = ep
			secrets[ep.ID], secretErrs[ep.ID] = s.open(ep.Secret)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		sem := make(chan struct{}, s.o.Workers)
		for _, d := range ds {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				err := s.deliver(ctx, eps[d.EndpointID], secrets[d.EndpointID], secretErrs[d.EndpointID], d)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
			}()
		}
		wg.Wait()
		total += len(ds)
		if err := errors.Join(errs...); err != nil {
			return total, err
		}
	}
}

// deliver makes one attempt of d and records it.
func (s *Service) deliver(ctx context.Context, ep *model.WebhookEndpoint, secret string, secretErr error, d model.WebhookDelivery) error {
	start := s.o.Now()
	at := model.WebhookAttempt{At: start}
	var retryAfter time.Duration
	var gone bool
	if secretErr != nil {
		at.Error = secretErr.Error()
	} else {
		retryAfter, gone = s.send(ctx, ep.URL, secret, d, &at)
	}
	at.Duration = s.o.Now().Sub(start)
	// The log keeps text only: PostgreSQL refuses NUL and invalid UTF-8.
	at.Response, at.Error = logText(at.Response), logText(at.Error)
	r := store.WebhookResult{Attempt: at, Delivered: at.Error == "" && at.StatusCode/100 == 2,
		DisableAfter: s.o.DisableAfter}
	if gone {
		r.Disable = model.WebhookGone
	}
	if !r.Delivered && !gone {
		if n := d.Attempts; n < len(Schedule) {
			wait := s.o.Jitter(Schedule[n])
			if retryAfter > wait {
				wait = min(retryAfter, 24*time.Hour)
			}
			next := s.o.Now().Add(wait)
			r.Next = &next
		}
	}
	disabled, err := s.o.Store.RecordWebhookAttempt(ctx, d, r)
	if errors.Is(err, store.ErrStaleDelivery) {
		s.o.Log.Warn("webhook attempt recorded by another worker first", "delivery", d.ID)
		return nil
	}
	if err != nil {
		return err
	}
	if disabled {
		s.o.Log.Warn("webhook endpoint disabled", "endpoint", ep.ID, "url", ep.URL)
		if s.o.Notify != nil {
			s.o.Notify.Wake()
		}
	}
	return nil
}

// send POSTs d, signed now, and fills at's status, response excerpt and
// error. It reports a Retry-After wait and whether the receiver said 410.
func (s *Service) send(ctx context.Context, endpoint, secret string, d model.WebhookDelivery, at *model.WebhookAttempt) (retryAfter time.Duration, gone bool) {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	now := s.o.Now()
	sig, err := Sign(secret, d.MessageID, now, d.Payload)
	if err != nil {
		at.Error = err.Error()
		return 0, false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(d.Payload))
	if err != nil {
		at.Error = err.Error()
		return 0, false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Herald-Webhooks/1")
	req.Header.Set(HeaderID, d.MessageID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := s.client.Do(req)
	if err != nil {
		at.Error = err.Error()
		return 0, false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, responseCap))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	at.StatusCode, at.Response = resp.StatusCode, string(body)
	if resp.StatusCode/100 != 2 {
		at.Error = "HTTP " + resp.Status
	}
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
		retryAfter = time.Duration(secs) * time.Second
	}
	return retryAfter, resp.StatusCode == http.StatusGone
}

// logText is s as the attempt log can hold it: valid UTF-8 without NUL.
func logText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// RotateSecrets reseals every endpoint's signing secret under the current
// key (reading it with the current or a previous key), all or none; the
// receivers keep their secrets.
func (s *Service) RotateSecrets(ctx context.Context, a model.Actor) (int, error) {
	if s.o.Key == nil {
		return 0, ErrNoSecretKey
	}
	return s.o.Store.RotateWebhookSecrets(ctx, a, func(sealed []byte) ([]byte, error) {
		secret, err := s.open(sealed)
		if err != nil {
			return nil, err
		}
		return s.seal(secret)
	})
}

// Secret returns an endpoint's signing secret, opened, for checks after a
// key rotation. It is never shown to a person again: that happens once, at
// creation.
func (s *Service) Secret(ctx context.Context, endpointID int64) (string, error) {
	ep, err := s.o.Store.WebhookEndpoint(ctx, endpointID)
	if err != nil {
		return "", err
	}
	return s.open(ep.Secret)
}
