package webhook_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/webhook"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// receiver is an httptest endpoint that verifies every request with the
// endpoint's secret and answers with the status codes it is given in turn
// (the last one repeats).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	secret   string
	clock    *clock
	codes    []int
	got      []received
	perID    map[string]int
	badSigns int
}

type received struct {
	id, timestamp string
	body          []byte
}

func newReceiver(t *testing.T, c *clock, codes ...int) *receiver {
	r := &receiver{clock: c, codes: codes, perID: map[string]int{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := webhook.Verify(r.secret, req.Header, body, r.clock.Now(), 5*time.Minute); err != nil {
			r.badSigns++
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.got = append(r.got, received{req.Header.Get(webhook.HeaderID), req.Header.Get(webhook.HeaderTimestamp), body})
		r.perID[req.Header.Get(webhook.HeaderID)]++
		code := r.codes[min(len(r.got)-1, len(r.codes)-1)]
		w.WriteHeader(code)
		fmt.Fprintf(w, "answer %d", len(r.got))
	}))
	t.Cleanup(r.Close)
	return r
}

type fixture struct {
	st    *store.Store
	svc   *webhook.Service
	clock *clock
	owner *model.User
	key   []byte
}

func newFixture(t *testing.T, st *store.Store, o webhook.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	owner := &model.User{Email: "integrator@example.org", Name: "Integrator", Role: model.RoleAdmin}
	if err := st.CreateUser(ctx, model.SystemActor("test"), owner); err != nil {
		t.Fatal(err)
	}
	// The store stamps new deliveries with the real time; the test's clock
	// starts a little later so they are due at once.
	f := &fixture{st: st, clock: &clock{t: time.Now().Add(time.Minute)}, owner: owner, key: make([]byte, 32)}
	rand.Read(f.key)
	o.Store, o.Key, o.Now = st, f.key, f.clock.Now
	o.Jitter = func(d time.Duration) time.Duration { return d }
	f.svc = webhook.New(o)
	return f
}

func (f *fixture) endpoint(t *testing.T, r *receiver, types ...string) *model.WebhookEndpoint {
	t.Helper()
	ep, secret, err := f.svc.AddEndpoint(context.Background(), model.SystemActor("test"), nil,
		webhook.NewEndpoint{URL: r.URL + "/hook", EventTypes: types, OwnerID: f.owner.ID})
	if err != nil {
		t.Fatal(err)
	}
	r.secret = secret
	return ep
}

// request creates an account request: a request.created event.
func (f *fixture) request(t *testing.T, handle string) *model.Account {
	t.Helper()
	acc := &model.Account{Platform: "mastodon", Handle: handle, Kind: "corporate", Status: model.StatusRequested}
	if err := f.st.CreateAccount(context.Background(), model.Actor{UserID: f.owner.ID, Email: f.owner.Email}, acc); err != nil {
		t.Fatal(err)
	}
	return acc
}

func (f *fixture) run(t *testing.T) int {
	t.Helper()
	n, err := f.svc.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func deliveries(t *testing.T, st *store.Store, epID int64) []model.WebhookDelivery {
	t.Helper()
	ds, err := st.WebhookDeliveries(context.Background(), epID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestDeliverRetryThenSucceed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{})
		r := newReceiver(t, f.clock, 500, 503, 200)
		ep := f.endpoint(t, r, model.EventRequestCreated)
		acc := f.request(t, "@unops")

		if n := f.run(t); n != 1 {
			t.Fatalf("first pass made %d attempts", n)
		}
		if n := f.run(t); n != 0 {
			t.Fatalf("a retry was sent before its time: %d", n)
		}
		f.clock.Add(webhook.Schedule[0])
		if n := f.run(t); n != 1 {
			t.Fatalf("second pass made %d attempts", n)
		}
		f.clock.Add(webhook.Schedule[1] - time.Second)
		if n := f.run(t); n != 0 {
			t.Fatalf("third attempt came %d early", n)
		}
		f.clock.Add(time.Second)
		f.run(t)

		ds := deliveries(t, f.st, ep.ID)
		if len(ds) != 1 || ds[0].State != model.DeliveryDelivered || ds[0].Attempts != 3 || ds[0].LastStatus != 200 {
			t.Fatalf("deliveries = %+v", ds)
		}
		log, err := f.svc.Attempts(context.Background(), ds[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var codes []int
		for _, a := range log {
			codes = append(codes, a.StatusCode)
		}
		if fmt.Sprint(codes) != "[500 503 200]" || log[0].Response != "answer 1" || log[0].Error == "" || log[2].Error != "" {
			t.Fatalf("attempt log = %+v", log)
		}
		if r.badSigns != 0 || len(r.got) != 3 {
			t.Fatalf("receiver: %d verified, %d refused", len(r.got), r.badSigns)
		}
		// The same id and body every time, a fresh timestamp for each attempt.
		if r.got[0].id != r.got[2].id || string(r.got[0].body) != string(r.got[2].body) || r.got[0].timestamp == r.got[2].timestamp {
			t.Fatalf("attempts differ: %+v", r.got)
		}
		var body struct {
			Type      string `json:"type"`
			Timestamp string `json:"timestamp"`
			Data      struct {
				Account struct {
					ID     int64  `json:"id"`
					Handle string `json:"handle"`
					Status string `json:"status"`
				} `json:"account"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.got[0].body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Type != model.EventRequestCreated || body.Data.Account.ID != acc.ID || body.Data.Account.Status != "requested" {
			t.Fatalf("body = %s", r.got[0].body)
		}
		if _, err := time.Parse(time.RFC3339Nano, body.Timestamp); err != nil {
			t.Fatalf("timestamp: %v", err)
		}
	})
}

func TestGiveUpAfterADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{DisableAfter: 30 * 24 * time.Hour})
		r := newReceiver(t, f.clock, 500)
		ep := f.endpoint(t, r)
		f.request(t, "@unops")
		var ds []model.WebhookDelivery
		for range 20 {
			f.run(t)
			ds = deliveries(t, f.st, ep.ID)
			if ds[0].NextAttemptAt == nil {
				break
			}
			f.clock.mu.Lock()
			f.clock.t = *ds[0].NextAttemptAt
			f.clock.mu.Unlock()
		}
		if len(ds) != 1 || ds[0].State != model.DeliveryFailed || ds[0].Attempts != len(webhook.Schedule)+1 || ds[0].NextAttemptAt != nil {
			t.Fatalf("deliveries = %+v", ds)
		}
		log, _ := f.svc.Attempts(context.Background(), ds[0].ID)
		var want time.Duration
		for _, d := range webhook.Schedule {
			want += d
		}
		if span := log[len(log)-1].At.Sub(log[0].At); span != want || span > 24*time.Hour {
			t.Fatalf("attempts span %v, want %v (under a day)", span, want)
		}
		// Redelivery: the receiver is fixed, an administrator sends it again.
		r.mu.Lock()
		r.codes = []int{204}
		r.got = nil
		r.mu.Unlock()
		if err := f.svc.Redeliver(context.Background(), model.SystemActor("test"), ds[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := f.run(t); n != 1 {
			t.Fatalf("redelivery made %d attempts", n)
		}
		ds = deliveries(t, f.st, ep.ID)
		if ds[0].State != model.DeliveryDelivered || ds[0].Attempts != len(webhook.Schedule)+2 || ds[0].LastStatus != 204 {
			t.Fatalf("after redelivery: %+v", ds[0])
		}
		eps, _ := f.svc.Endpoints(context.Background())
		if eps[0].FailingSince != nil || !eps[0].Enabled {
			t.Fatalf("endpoint after a success: %+v", eps[0])
		}
		evs, err := f.st.AuditEvents(context.Background(), store.AuditFilter{ActionPrefix: "webhook.redeliver"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("redelivery audit: %v %v", evs, err)
		}
	})
}

func TestDisableFailingEndpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{DisableAfter: 2 * 24 * time.Hour})
		r := newReceiver(t, f.clock, 502)
		ep := f.endpoint(t, r)
		ctx := context.Background()
		// A new event each day; every delivery fails.
		for day := range 4 {
			f.request(t, fmt.Sprintf("@day%d", day))
			for range 4 {
				f.run(t)
				f.clock.Add(6 * time.Hour)
			}
		}
		got, err := f.st.WebhookEndpoint(ctx, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Enabled || got.DisabledReason == "" {
			t.Fatalf("endpoint failing for days still enabled: %+v", got)
		}
		notes, err := f.st.UnreadNotifications(ctx, f.owner.ID)
		if err != nil || len(notes) != 1 || notes[0].Email != f.owner.Email {
			t.Fatalf("owner notifications = %+v, %v", notes, err)
		}
		// Nothing more is sent to it, and it cannot be redelivered to.
		before := len(r.got)
		f.request(t, "@after")
		f.clock.Add(time.Hour)
		f.run(t)
		if len(r.got) != before {
			t.Fatalf("a disabled endpoint got %d more requests", len(r.got)-before)
		}
		ds := deliveries(t, f.st, ep.ID)
		if err := f.svc.Redeliver(ctx, model.SystemActor("test"), ds[0].ID); !errs.Is(err, errs.Invalid) {
			t.Fatalf("redeliver to a disabled endpoint: %v", err)
		}
	})
}

func TestGoneDisablesAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{})
		ctx := context.Background()
		// The owner reads French: the notice and its e-mail are in French.
		if err := f.st.SetUserLang(ctx, model.SystemActor("test"), f.owner.ID, "fr"); err != nil {
			t.Fatal(err)
		}
		r := newReceiver(t, f.clock, 410)
		ep := f.endpoint(t, r)
		f.request(t, "@unops")
		f.run(t)
		got, _ := f.st.WebhookEndpoint(ctx, ep.ID)
		if got.Enabled || got.DisabledReason != model.WebhookGone {
			t.Fatalf("410 Gone left the endpoint %+v", got)
		}
		notes, err := f.st.UnreadNotifications(ctx, f.owner.ID)
		if err != nil || len(notes) != 1 {
			t.Fatalf("owner notifications = %+v, %v", notes, err)
		}
		if n := notes[0]; !strings.Contains(n.Subject, "désactivé") || !strings.Contains(n.Body, "le récepteur a répondu 410 Gone") {
			t.Fatalf("the French owner was told in other words: %q / %q", n.Subject, n.Body)
		}
	})
}

// A change that rolls back leaves no message; one that commits leaves one
// per event, only for the subscribed types.
func TestOutboxInTheChangesTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{})
		r := newReceiver(t, f.clock, 200)
		ep := f.endpoint(t, r, model.EventFoundAccountReported)
		ctx := context.Background()
		a := model.SystemActor("test")
		// The second row duplicates the first: the import fails after the
		// first row's event was written in its transaction.
		dup := []model.FoundAccount{{Platform: "x", Handle: "a", HandleKey: "a"}, {Platform: "x", Handle: "A", HandleKey: "a"}}
		if err := f.st.ImportFoundAccounts(ctx, a, dup); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate import: %v", err)
		}
		if ds := deliveries(t, f.st, ep.ID); len(ds) != 0 {
			t.Fatalf("a rolled-back import left %d deliveries", len(ds))
		}
		ok := []model.FoundAccount{{Platform: "x", Handle: "a", HandleKey: "a"}, {Platform: "x", Handle: "b", HandleKey: "b"}}
		if err := f.st.ImportFoundAccounts(ctx, a, ok); err != nil {
			t.Fatal(err)
		}
		f.request(t, "@unsubscribed") // request.created: not subscribed
		ds := deliveries(t, f.st, ep.ID)
		if len(ds) != 2 || ds[0].Type != model.EventFoundAccountReported {
			t.Fatalf("deliveries = %+v", ds)
		}
	})
}

// Two servers on one database: every message reaches the endpoint once.
func TestTwoWorkersDeliverOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		st1, st2 := storetest.OpenURL(t, url), storetest.OpenURL(t, url)
		f := newFixture(t, st1, webhook.Options{Workers: 3})
		second := webhook.New(webhook.Options{Store: st2, Key: f.key, Now: f.clock.Now, Workers: 3})
		r := newReceiver(t, f.clock, 200)
		ep := f.endpoint(t, r)
		const n = 40
		for i := range n {
			f.request(t, fmt.Sprintf("@office%d", i))
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for _, svc := range []*webhook.Service{f.svc, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					if _, err := svc.RunOnce(context.Background()); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(r.perID) != n || len(r.got) != n {
			t.Fatalf("%d requests for %d messages, %d expected", len(r.got), len(r.perID), n)
		}
		for id, c := range r.perID {
			if c != 1 {
				t.Fatalf("message %s sent %d times", id, c)
			}
		}
		for _, d := range deliveries(t, f.st, ep.ID) {
			if d.State != model.DeliveryDelivered || d.Attempts != 1 {
				t.Fatalf("delivery %+v", d)
			}
		}
	})
}

func TestAddEndpointRefuses(t *testing.T) {
	f := newFixture(t, storetest.Open(t, store.SQLite), webhook.Options{})
	ctx := context.Background()
	a := model.SystemActor("test")
	for _, n := range []webhook.NewEndpoint{
		{URL: "ftp://example.org/x", OwnerID: f.owner.ID},
		{URL: "/relative", OwnerID: f.owner.ID},
		{URL: "https://example.org/x", OwnerID: f.owner.ID, EventTypes: []string{"draft.deleted"}},
	} {
		if _, _, err := f.svc.AddEndpoint(ctx, a, nil, n); !errs.Is(err, errs.Invalid) {
			t.Errorf("%+v: %v", n, err)
		}
	}
	refuse := func(string) error { return errors.New("local address") }
	if _, _, err := f.svc.AddEndpoint(ctx, a, refuse, webhook.NewEndpoint{URL: "https://10.0.0.1/x", OwnerID: f.owner.ID}); !errs.Is(err, errs.Invalid) {
		t.Errorf("checked URL: %v", err)
	}
	noKey := webhook.New(webhook.Options{Store: f.st})
	if _, _, err := noKey.AddEndpoint(ctx, a, nil, webhook.NewEndpoint{URL: "https://example.org/x", OwnerID: f.owner.ID}); !errors.Is(err, webhook.ErrNoSecretKey) {
		t.Errorf("without a key: %v", err)
	}
	// The secret is stored sealed, never as given.
	ep, secret, err := f.svc.AddEndpoint(ctx, a, nil, webhook.NewEndpoint{URL: "https://example.org/x", OwnerID: f.owner.ID})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.st.WebhookEndpoint(ctx, ep.ID)
	if string(stored.Secret) == secret || len(stored.EventTypes) != len(model.EventTypes) {
		t.Fatalf("stored endpoint %+v", stored)
	}
}

// A receiver's answer is logged as text of at most 1 KiB, whatever it sends
// (NUL bytes and invalid UTF-8 included, which PostgreSQL would refuse).
func TestHostileAnswerLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("\x00\xff\xfe"))
			w.Write(bytes.Repeat([]byte("é"), 1<<20))
		}))
		defer srv.Close()
		r := &receiver{Server: srv}
		ep := f.endpoint(t, r)
		f.request(t, "@unops")
		f.run(t)
		ds := deliveries(t, f.st, ep.ID)
		log, err := f.svc.Attempts(context.Background(), ds[0].ID)
		if err != nil || len(log) != 1 {
			t.Fatalf("log %v, %v", log, err)
		}
		got := log[0].Response
		if log[0].StatusCode != 500 || len(got) > 1100 || len(got) < 1000 || strings.ContainsRune(got, 0) || !utf8.ValidString(got) {
			t.Fatalf("logged answer: %d bytes, %q...", len(got), got[:min(len(got), 20)])
		}
		if ds[0].State != model.DeliveryPending || ds[0].NextAttemptAt == nil {
			t.Fatalf("delivery after a 500: %+v", ds[0])
		}
	})
}

// An endpoint whose secret no configured key opens (the key was rotated
// without HERALD_SECRET_KEY_PREVIOUS) fails its deliveries, logged, and
// other endpoints are still served; a previous key opens it.
func TestSecretUnderAnotherKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f := newFixture(t, storetest.Open(t, dialect), webhook.Options{})
		old := newReceiver(t, f.clock, 200)
		oldEp := f.endpoint(t, old)
		newKey := make([]byte, 32)
		rand.Read(newKey)
		rotated := webhook.New(webhook.Options{Store: f.st, Key: newKey, Now: f.clock.Now})
		fresh := newReceiver(t, f.clock, 200)
		ep, secret, err := rotated.AddEndpoint(context.Background(), model.SystemActor("test"), nil,
			webhook.NewEndpoint{URL: fresh.URL, OwnerID: f.owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		fresh.secret = secret
		f.request(t, "@unops")
		if _, err := rotated.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(fresh.got) != 1 || len(old.got) != 0 {
			t.Fatalf("fresh got %d, old got %d", len(fresh.got), len(old.got))
		}
		ds := deliveries(t, f.st, oldEp.ID)
		if ds[0].State != model.DeliveryPending || !strings.Contains(ds[0].LastError, "decrypt") {
			t.Fatalf("delivery to the endpoint sealed under the old key: %+v", ds[0])
		}
		withPrevious := webhook.New(webhook.Options{Store: f.st, Key: newKey, PreviousKeys: [][]byte{f.key}, Now: f.clock.Now})
		f.clock.Add(time.Minute)
		if _, err := withPrevious.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(old.got) != 1 || deliveries(t, f.st, ep.ID)[0].Attempts != 1 {
			t.Fatalf("with the previous key: old got %d", len(old.got))
		}
	})
}
