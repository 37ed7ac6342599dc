package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestServeSIGTERM runs "herald serve --sync" in a child process while its
// sync workers wait on a slow platform and a client is still sending a
// request, sends SIGTERM, and checks that the request in flight is
// answered, that the server exits 0 within the grace time, that the
// background loops were stopped and waited for before the database closed,
// and that nothing touched the closed database.
func TestServeSIGTERM(t *testing.T) {
	eachServeDB(t, func(t *testing.T, dialect, url, token string) {
		st := storetest.OpenURL(t, url)
		f := connectortest.NewMastodon(t, connectortest.MastodonOptions{Statuses: 2, Delay: 700 * time.Millisecond})
		accs := make([]model.Account, 12)
		for i := range accs {
			user := fmt.Sprintf("office%02d", i)
			accs[i] = model.Account{Platform: "mastodon", Handle: user, ProfileURL: f.ProfileURL(user),
				Kind: model.KindCorporate, Status: model.StatusActive}
		}
		if err := st.ImportAccounts(context.Background(), model.SystemActor("test"), accs); err != nil {
			t.Fatal(err)
		}
		st.Close()

		cmd, stderr := startServeChild(t, "--db", url, "--sync", "--sync-interval", "1m", "--secret-key", strings.Repeat("ab", 32),
			"--outbound-allow", "127.0.0.1,::1")
		var logs bytes.Buffer
		var logMu sync.Mutex
		listening := make(chan string, 1)
		logDone := make(chan struct{})
		go func() {
			defer close(logDone)
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				line := sc.Text()
				logMu.Lock()
				logs.WriteString(line + "\n")
				logMu.Unlock()
				if u, ok := strings.CutPrefix(line, "listening on "); ok {
					listening <- u
				}
			}
		}()
		var base string
		select {
		case base = <-listening:
		case <-time.After(30 * time.Second):
			t.Fatal("the server did not start within 30 s")
		}

		// Wait until the sync workers are waiting on the slow platform.
		for deadline := time.Now().Add(20 * time.Second); f.Stats().Requests == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the sync loop never reached the platform")
			}
		}

		// A request whose body is still arriving when SIGTERM comes, on a
		// connection the server has already accepted (a first request).
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		if resp, err := client.Get(base + "/healthz"); err != nil {
			t.Fatal(err)
		} else {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		pr, pw := io.Pipe()
		wrote := make(chan struct{})
		trace := &httptrace.ClientTrace{WroteHeaders: func() { close(wrote) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
			http.MethodPost, base+"/api/v1/checks", pr)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		answered := make(chan int, 1)
		go func() {
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("the request in flight failed: %v", err)
				answered <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			answered <- resp.StatusCode
		}()
		<-wrote
		io.WriteString(pw, `{"id":"late","text":"The new bridge opened `)
		time.Sleep(200 * time.Millisecond) // the server is reading the body
		sent := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		io.WriteString(pw, `today.","platform":"x"}`)
		pw.Close()
		if code := <-answered; code != http.StatusOK {
			t.Errorf("the request in flight at SIGTERM got %d, want 200", code)
		}

		exited := make(chan error, 1)
		go func() { <-logDone; exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve exited with %v, want 0", err)
			}
		case <-time.After(shutdownGrace + 5*time.Second):
			t.Fatalf("serve did not exit within the grace time")
		}
		took := time.Since(sent)
		logMu.Lock()
		out := logs.String()
		logMu.Unlock()
		if !strings.Contains(out, "background loops stopped") {
			t.Errorf("serve did not wait for its loops before closing the database:\n%s", out)
		}
		if strings.Contains(out, "database is closed") || strings.Contains(out, "panic") {
			t.Errorf("something touched the closed database:\n%s", out)
		}
		t.Logf("%s: exited %v after SIGTERM, %d platform requests", dialect, took.Round(time.Millisecond), f.Stats().Requests)
	})
}
