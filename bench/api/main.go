// Command api measures POST /api/v1/checks over loopback: it starts Herald
// in-process (or targets -url with -token), runs -c keep-alive clients for
// -n requests in all, and prints requests per second and latency percentiles.
// The load generator runs in the same process, so its CPU counts against
// the server's.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/idempotency"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
	"github.com/herald-gov/herald/internal/web"
	"github.com/herald-gov/herald/internal/webhook"
)

const draft = `{"text":"Today in Juba our engineers opened the third bridge of the programme: 12,000 people now cross the river safely every day. Thanks to our partners and to the communities who worked with us. More at https://www.unops.org/news","platform":"x","account":{"kind":"corporate","handle":"@UNOPS"}}`

func main() {
	n := flag.Int("n", 50000, "requests in all")
	c := flag.Int("c", 16, "concurrent keep-alive clients")
	target := flag.String("url", "", "base URL of a running server; default: start one in-process")
	token := flag.String("token", "", "API token for -url")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (server and clients) to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/api:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*n, *c, *target, *token); err != nil {
		fmt.Fprintln(os.Stderr, "bench/api:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// startServer runs Herald on a temporary SQLite file and returns its URL and a token.
func startServer(ctx context.Context) (string, string, func(), error) {
	dir, err := os.MkdirTemp("", "herald-bench")
	if err != nil {
		return "", "", nil, err
	}
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "h.db"))
	if err != nil {
		return "", "", nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		return "", "", nil, err
	}
	u := &model.User{Email: "bench@example.org", Name: "Bench", Role: model.RoleStaff}
	if err := st.CreateUser(ctx, model.SystemActor("bench"), u); err != nil {
		return "", "", nil, err
	}
	tok, err := (&users.Service{Store: st}).CreateToken(ctx, model.SystemActor("bench"), u, users.TokenSpec{Name: "bench"})
	if err != nil {
		return "", "", nil, err
	}
	p, err := policy.Default()
	if err != nil {
		return "", "", nil, err
	}
	chk, err := check.Compile(p, check.Options{})
	if err != nil {
		return "", "", nil, err
	}
	n := notify.New(st, notify.SMTPConfig{}, nil)
	mon, err := monitor.New(monitor.Options{Store: st, Pack: chk.Pack(), Notify: n})
	if err != nil {
		return "", "", nil, err
	}
	srv, err := web.New(web.Config{}, st, web.Services{Checker: chk, Registry: &registry.Service{Store: st, Pack: chk.Pack(), Notify: n},
		Monitor: mon, Review: &review.Service{Store: st, Checker: chk, Notify: n, DataDir: dir},
		Users: &users.Service{Store: st}, Trail: &audit.Trail{Store: st}, Notifier: n,
		Webhooks: webhook.New(webhook.Options{Store: st}), Idem: &idempotency.Service{Store: st}})
	if err != nil {
		return "", "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", nil, err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), tok, func() { hs.Close(); st.Close(); os.RemoveAll(dir) }, nil
}

func run(n, c int, base, token string) error {
	ctx := context.Background()
	if base == "" {
		var stop func()
		var err error
		if base, token, stop, err = startServer(ctx); err != nil {
			return err
		}
		defer stop()
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c, MaxConnsPerHost: c}}
	body := []byte(draft)
	send := func() (time.Duration, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/checks", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(t0), nil
	}
	for range c { // warm up the connections
		if _, err := send(); err != nil {
			return err
		}
	}
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				d, err := send()
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, _ := firstErr.Load().(error); err != nil {
		return err
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(n-1))] }
	fmt.Printf("requests %d, clients %d, %.1f s: %.0f req/s; latency p50 %v, p90 %v, p99 %v, max %v\n",
		n, c, elapsed.Seconds(), float64(n)/elapsed.Seconds(), pct(.50), pct(.90), pct(.99), lat[n-1])
	return nil
}
