package notify

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify/smtptest"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestDigest: a person who chose the daily digest gets no e-mail per
// notice but one a day listing them, written once even by two instances;
// one who chose off gets none; the in-app list is the same for both.
func TestDigest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := storetest.Open(t, dialect)
		sys := model.SystemActor("test")
		mk := func(email, mode string) *model.User {
			u := &model.User{Email: email, Name: email, Role: model.RoleReviewer}
			if err := st.CreateUser(ctx, sys, u); err != nil {
				t.Fatal(err)
			}
			if err := st.SetNotifyMode(ctx, sys, u.ID, mode); err != nil {
				t.Fatal(err)
			}
			return u
		}
		dig, off := mk("d@unops.org", model.NotifyDigest), mk("o@unops.org", model.NotifyOff)
		if err := st.SetNotifyMode(ctx, sys, dig.ID, "weekly"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("mode weekly: %v", err)
		}
		for _, u := range []*model.User{dig, off} {
			for _, h := range []string{"@a", "@b"} {
				n := Note(*u, KindAdvice, "/advice/1", "", "account.at-risk", h, "x")
				if err := st.AddNotification(ctx, &n); err != nil {
					t.Fatal(err)
				}
			}
		}
		srv := smtptest.Start(t)
		n1, n2 := newNotifier(t, st, srv), newNotifier(t, st, srv)
		n1.BaseURL, n2.BaseURL = "https://herald.example.org", "https://herald.example.org"
		if sent, _, err := n1.SendPending(ctx); err != nil || sent != 0 {
			t.Fatalf("sent %d before the digest, %v", sent, err)
		}
		at := func(d time.Duration) {
			clock := time.Now().Add(d)
			n1.Now = func() time.Time { return clock }
			n2.Now = n1.Now
		}
		at(23 * time.Hour)
		if k, err := n1.SendDigests(ctx); err != nil || k != 0 {
			t.Fatalf("digest after 23 h: %d, %v", k, err)
		}
		at(25 * time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for _, n := range []*Notifier{n1, n2} {
			wg.Go(func() {
				k, err := n.SendDigests(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += k
				mu.Unlock()
			})
		}
		wg.Wait()
		if total != 1 {
			t.Fatalf("%d digests written, want 1", total)
		}
		if sent, _, err := n1.SendPending(ctx); err != nil || sent != 1 {
			t.Fatalf("sent %d, %v", sent, err)
		}
		msgs := srv.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != dig.Email || !strings.Contains(msgs[0].Data, "Your daily digest: 2 notifications.") ||
			!strings.Contains(msgs[0].Data, "@a on x is at risk") || !strings.Contains(msgs[0].Data, "@b on x is at risk") ||
			!strings.Contains(msgs[0].Data, "https://herald.example.org/advice/1") {
			t.Fatalf("digest e-mail %+v", msgs)
		}
		for _, u := range []*model.User{dig, off} {
			unread, err := n1.Unread(ctx, u.ID)
			if err != nil || len(unread) != 2 || unread[0].Key != "account.at-risk" {
				t.Fatalf("%s unread %+v, %v", u.Email, unread, err)
			}
		}
		if k, err := n1.SendDigests(ctx); err != nil || k != 0 {
			t.Fatalf("a second digest with nothing held: %d, %v", k, err)
		}
	})
}
