package notify

import (
	"context"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify/smtptest"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		cfg SMTPConfig
		ok  bool
	}{
		{SMTPConfig{Host: "127.0.0.1", Port: 25, From: "h@unops.org", TLS: "none"}, true},
		{SMTPConfig{Host: "smtp.unops.org", Port: 587, From: "h@unops.org"}, true},
		{SMTPConfig{Host: "smtp.unops.org", Port: 465, From: "h@unops.org", TLS: "tls"}, true},
		{SMTPConfig{Host: "smtp.unops.org", Port: 25, From: "h@unops.org", TLS: "none"}, false},
		{SMTPConfig{Host: "smtp.unops.org", Port: 25, From: "h@unops.org", TLS: "ssl"}, false},
		{SMTPConfig{Host: "smtp.unops.org", Port: 0, From: "h@unops.org"}, false},
		{SMTPConfig{Host: "smtp.unops.org", Port: 25, From: "not an address"}, false},
	} {
		if err := c.cfg.Validate(); (err == nil) != c.ok {
			t.Errorf("Validate(%+v) = %v, want ok %v", c.cfg, err, c.ok)
		}
	}
}

// TestRetryThenGiveUp: a server that keeps refusing gets MaxAttempts
// attempts, spaced by a doubling backoff; the e-mail then stays, failed,
// with its last error, and the in-app notification is untouched.
func TestRetryThenGiveUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := storetest.Open(t, dialect)
		u := &model.User{Email: "m@unops.org", Name: "M", Role: model.RoleManager}
		if err := st.CreateUser(ctx, model.SystemActor("test"), u); err != nil {
			t.Fatal(err)
		}
		note := &model.Notification{UserID: u.ID, Subject: "Décision", Body: "ok", Email: u.Email}
		if err := st.AddNotification(ctx, note); err != nil {
			t.Fatal(err)
		}
		srv := smtptest.Start(t)
		srv.FailNext(100)
		n := newNotifier(t, st, srv)
		clock := time.Now()
		n.Now = func() time.Time { return clock }
		n.MaxAttempts, n.Backoff = 3, time.Minute
		for attempt := 1; attempt <= 3; attempt++ {
			sent, failed, err := n.SendPending(ctx)
			if err != nil || sent != 0 || failed != 1 {
				t.Fatalf("attempt %d: sent %d failed %d, %v", attempt, sent, failed, err)
			}
			// Not due again before its backoff (1, then 2 minutes).
			if _, failed, _ := n.SendPending(ctx); failed != 0 {
				t.Fatalf("attempt %d retried before its backoff", attempt)
			}
			clock = clock.Add(time.Duration(1<<(attempt-1)) * time.Minute)
		}
		got, err := st.Notification(ctx, note.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.EmailState != model.EmailFailed || got.Attempts != 3 || got.LastError == "" || got.NextAttemptAt != nil {
			t.Fatalf("after giving up: %+v", got)
		}
		if sent, failed, _ := n.SendPending(ctx); sent+failed != 0 {
			t.Fatal("a failed e-mail was tried again")
		}
		if unread, _ := n.Unread(ctx, u.ID); len(unread) != 1 {
			t.Fatalf("in-app notification lost: %v", unread)
		}
	})
}

// TestTwoSenders: two notifiers (two `herald serve`) on one database send
// each e-mail once.
func TestTwoSenders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := storetest.URL(t, dialect)
		st1, st2 := storetest.OpenURL(t, url), storetest.OpenURL(t, url)
		u := &model.User{Email: "m@unops.org", Name: "M", Role: model.RoleManager}
		if err := st1.CreateUser(ctx, model.SystemActor("test"), u); err != nil {
			t.Fatal(err)
		}
		const total = 60
		for i := range total {
			if err := st1.AddNotification(ctx, &model.Notification{UserID: u.ID, Subject: "n" + strconv.Itoa(i), Email: u.Email}); err != nil {
				t.Fatal(err)
			}
		}
		srv := smtptest.Start(t)
		var wg sync.WaitGroup
		for _, st := range []*Notifier{newNotifier(t, st1, srv), newNotifier(t, st2, srv)} {
			wg.Go(func() {
				if _, _, err := st.SendPending(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		// More would mean an e-mail sent twice, fewer one left behind.
		if got := len(srv.Messages()); got != total {
			t.Fatalf("%d messages delivered, want %d", got, total)
		}
	})
}

func newNotifier(t *testing.T, st *store.Store, srv *smtptest.Server) *Notifier {
	t.Helper()
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	return New(st, SMTPConfig{Host: host, Port: p, From: "herald@unops.org", TLS: "none"}, nil)
}
