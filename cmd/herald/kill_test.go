package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestServeChild is the server that TestServeSIGKILLLosesNoAcknowledgedWrite
// and TestServeSIGTERM start as a child process, with the arguments of
// HERALD_SERVE_CHILD_ARGS (one a line); it does nothing in a normal run. As
// main does, SIGTERM cancels the context run is given.
func TestServeChild(t *testing.T) {
	args := os.Getenv("HERALD_SERVE_CHILD_ARGS")
	if args == "" {
		t.Skip("only runs as the child of the SIGKILL and SIGTERM tests")
	}
	env := Env{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr, Getenv: func(string) string { return "" }}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	code := run(ctx, env, strings.Split(args, "\n"))
	stop()
	os.Exit(code)
}

// startServeChild starts "herald serve" with args in a child process,
// killed when t ends, and returns it with its stderr.
func startServeChild(t *testing.T, args ...string) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Env = append(os.Environ(), "HERALD_SERVE_CHILD_ARGS="+strings.Join(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), "\n"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stderr
}

// eachServeDB runs fn, a test that starts a server process (skipped with
// -short), on each database with its dialect, URL and an administrator's API
// token.
func eachServeDB(t *testing.T, fn func(t *testing.T, dialect, url, token string)) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		fn(t, dialect, url, adminToken(t, url))
	})
}

// TestServeSIGKILLLosesNoAcknowledgedWrite runs "herald serve" in a child
// process, registers accounts through the API from several clients, kills the
// server with SIGKILL in the middle of the load, and checks that every
// account the API acknowledged (201) is in the database and that the audit
// chain is intact.
func TestServeSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	eachServeDB(t, func(t *testing.T, dialect, url, token string) {

		cmd, stderr := startServeChild(t, "--db", url)
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		base := waitListening(t, stderr)

		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		stopLoad := make(chan struct{})
		client := &http.Client{Timeout: 5 * time.Second}
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stopLoad:
						return
					default:
					}
					handle := fmt.Sprintf("kill_%d_%d", w, i)
					if registerAccount(client, base, token, handle) {
						mu.Lock()
						acked = append(acked, handle)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(800+rand.IntN(1200)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		close(stopLoad)
		wg.Wait()
		if len(acked) == 0 {
			t.Fatal("the server acknowledged no write before it was killed")
		}

		ctx := context.Background()
		st := storetest.OpenURL(t, url)
		accs, total, err := st.Accounts(ctx, store.AccountFilter{Query: "kill_", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, a := range accs {
			have[strings.TrimPrefix(a.Handle, "@")] = true
		}
		for _, h := range acked {
			if !have[h] {
				t.Errorf("account %s was acknowledged but is not in the database", h)
			}
		}
		checked, broken, err := audit.Verify(ctx, st)
		if err != nil || broken != nil {
			t.Fatalf("audit chain after the kill: %d checked, broken at %+v, %v", checked, broken, err)
		}
		t.Logf("%s: %d writes acknowledged, %d in the database, %d audit events verified", dialect, len(acked), total, checked)
	})
}

// adminToken creates an admin and an API token for them with the CLI.
func adminToken(t *testing.T, db string) string {
	t.Helper()
	pw := t.TempDir() + "/pw"
	os.WriteFile(pw, []byte("a long enough password\n"), 0o600)
	for _, args := range [][]string{
		{"migrate", "--db", db},
		{"user", "add", "--db", db, "--email", "kill@example.org", "--name", "Kill Test", "--role", "admin", "--password-file", pw},
	} {
		if code, out, errs := runHerald(t, nil, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
	code, out, errs := runHerald(t, nil, "token", "create", "--db", db, "--email", "kill@example.org")
	if code != 0 {
		t.Fatalf("token create: exit %d\n%s", code, errs)
	}
	return strings.TrimSpace(out)
}

// waitListening reads the child's stderr until it says where it listens.
func waitListening(t *testing.T, r interface{ Read([]byte) (int, error) }) string {
	t.Helper()
	re := regexp.MustCompile(`listening on (http://\S+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case base := <-found:
		return base
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start within 30 s")
		return ""
	}
}

// registerAccount registers one account and reports whether the server
// acknowledged it with 201 Created.
func registerAccount(c *http.Client, base, token, handle string) bool {
	body, _ := json.Marshal(map[string]any{
		"platform": "x", "handle": handle, "display_name": "UNOPS " + handle,
		"kind": "country-office", "office": "Kill test", "email": "kill.team@unops.org",
	})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/accounts", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusCreated
}
