package notify

import (
	"context"
	"io"
	"mime/quotedprintable"
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
// one who chose off gets none; the in-app list is the same for both. A
// person who reads French gets theirs in French.
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
		dig, off, fr := mk("d@unops.org", model.NotifyDigest), mk("o@unops.org", model.NotifyOff), mk("f@unops.org", model.NotifyDigest)
		if err := st.SetUserLang(ctx, sys, fr.ID, "fr"); err != nil {
			t.Fatal(err)
		}
		fr.Lang = "fr"
		if err := st.SetNotifyMode(ctx, sys, dig.ID, "weekly"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("mode weekly: %v", err)
		}
		for _, u := range []*model.User{dig, off, fr} {
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
		if total != 2 {
			t.Fatalf("%d digests written, want 2", total)
		}
		if sent, _, err := n1.SendPending(ctx); err != nil || sent != 2 {
			t.Fatalf("sent %d, %v", sent, err)
		}
		msgs := srv.Messages()
		if len(msgs) == 2 && msgs[0].To[0] == fr.Email {
			msgs[0], msgs[1] = msgs[1], msgs[0]
		}
		if len(msgs) != 2 || msgs[1].To[0] != fr.Email {
			t.Fatalf("digests went to %+v", msgs)
		}
		if body := qpBody(t, msgs[1].Data); !strings.Contains(body, "Votre récapitulatif quotidien : 2 notifications.") ||
			!strings.Contains(body, "@a sur x est à risque au titre du paragraphe 4.6") {
			t.Errorf("French digest:\n%s", body)
		}
		if msgs[0].To[0] != dig.Email || !strings.Contains(msgs[0].Data, "Your daily digest: 2 notifications.") ||
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

// qpBody is the decoded body of a raw quoted-printable e-mail.
func qpBody(t *testing.T, data string) string {
	t.Helper()
	_, body, ok := strings.Cut(data, "\r\n\r\n")
	if !ok {
		t.Fatalf("no body in %q", data)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
