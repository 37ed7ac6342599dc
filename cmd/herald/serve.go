package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/idempotency"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
	"github.com/herald-gov/herald/internal/web"
)

// FirstAdminEmail is the administrator created on a first run.
const FirstAdminEmail = "admin@localhost"

// shutdownGrace is how long requests in flight at SIGTERM may take to finish.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, env Env, args []string) error {
	c, err := parseConfig("serve", env, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	return serve(ctx, env, c)
}

func newLogger(env Env, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, nil))
}

// openStore opens the database and brings its schema and stored handles
// up to date.
func openStore(ctx context.Context, url string) (*store.Store, error) {
	st, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if _, _, err := registry.CanonicalHandles(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openWithPack loads the pack c names (with its overlay) through load, then
// opens the database as openStore does. Bad pack input is reported before
// the database is touched. The caller closes the store.
func openWithPack[T any](ctx context.Context, c *Config, load func(path, overlay string) (T, error)) (T, *store.Store, error) {
	p, err := load(c.Pack, c.Overlay)
	if err != nil {
		return p, nil, err
	}
	st, err := openStore(ctx, c.DatabaseURL)
	return p, st, err
}

// serve runs the server until ctx is cancelled, then shuts down gracefully.
// Once listening it prints "listening on http://ADDR" on stderr, which is
// how a caller using --addr HOST:0 learns the port.
func serve(ctx context.Context, env Env, c *Config) error {
	log := newLogger(env, c.LogFormat)
	chk, st, err := openWithPack(ctx, c, loadChecker)
	if err != nil {
		return err
	}
	defer st.Close()
	if c.Demo {
		if err := demo.Seed(ctx, st, chk.Pack()); err != nil {
			return err
		}
		if err := demo.Activity(ctx, st, chk.Pack(), time.Now()); err != nil {
			return err
		}
	} else if err := firstRun(ctx, env, st); err != nil {
		return err
	}
	oidc, _ := c.OIDC() // validated by parseConfig
	svc, err := buildServices(c, st, chk, log)
	if err != nil {
		return err
	}
	// Drafts waiting for review were checked with the pack of their time; a
	// new pack version re-checks them before anyone reviews.
	if n, err := svc.Review.RecheckPending(ctx, chk); err != nil {
		return fmt.Errorf("re-check drafts waiting for review: %w", err)
	} else if n > 0 {
		log.Info("drafts re-checked with the new policy pack", "drafts", n)
	}
	allow, _ := c.Outbound() // checked by parseConfig
	srv, err := web.New(web.Config{Demo: c.Demo, TrustProxy: c.TrustProxy, SessionTTL: c.SessionTTL,
		OIDC: oidc, Logger: log, Outbound: allow}, st, svc)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return usageError("listen on %s: %v", c.Addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(env.Stderr, "listening on %s://%s\n", scheme, ln.Addr())
	log.Info("herald serve", "addr", ln.Addr().String(), "db", st.Dialect(), "demo", c.Demo,
		"pack", chk.Pack().Pack.ID+" "+chk.Pack().Pack.Version)
	done := make(chan error, 1)
	go func() {
		if c.TLSCert != "" {
			done <- hs.ServeTLS(ln, c.TLSCert, c.TLSKey)
		} else {
			done <- hs.Serve(ln)
		}
	}()
	// The background loops run under one group with their own context, so
	// that they are stopped and waited for before the deferred st.Close.
	loopCtx, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	var loops sync.WaitGroup
	defer loops.Wait()
	defer stopLoops()
	loops.Go(func() { sweepSessions(loopCtx, st, log) })
	// Review steps waiting past their service level: every 10 minutes.
	loops.Go(func() { svc.Review.RunReminders(loopCtx, 10*time.Minute, log) })
	if c.SMTPHost != "" {
		loops.Go(func() { svc.Notifier.Run(loopCtx) })
	}
	if c.Sync {
		loops.Go(func() { svc.Monitor.Run(loopCtx) })
	}
	if c.Discover {
		d, err := newDiscoverer(c, st, chk.Pack(), 24*time.Hour, 0.3, log)
		if err != nil {
			return err
		}
		loops.Go(func() { d.Run(loopCtx, time.Minute) })
	}
	if c.SecretKey != "" {
		loops.Go(func() { svc.Webhooks.Run(loopCtx) })
	}
	if c.AuditKey != "" {
		key, _ := audit.ParseKey(c.AuditKey) // checked by parseConfig
		loops.Go(func() { audit.RunCheckpoints(loopCtx, st, key, c.AuditCheckpoints, c.AuditCheckpointEvery, log) })
	}
	var serveErr error
	select {
	case serveErr = <-done:
	case <-ctx.Done():
	}
	log.Info("shutting down")
	stopLoops()
	if serveErr != nil {
		return serveErr
	}
	// Requests in flight finish within the grace time; the loops stop meanwhile.
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = hs.Shutdown(sctx)
	loops.Wait()
	log.Info("background loops stopped; closing the database")
	if err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// buildServices builds every domain service once, for the web application
// and the background loops alike.
func buildServices(c *Config, st *store.Store, chk *check.Checker, log *slog.Logger) (web.Services, error) {
	notifier := notify.New(st, notify.SMTPConfig{Host: c.SMTPHost, Port: c.SMTPPort, Username: c.SMTPUsername,
		Password: c.SMTPPassword, From: c.SMTPFrom, TLS: c.SMTPTLS}, log)
	notifier.BaseURL = c.BaseURL
	allow, _ := c.Outbound() // checked by parseConfig
	mon, err := newMonitor(c, st, chk.Pack(), notifier, log)
	if err != nil {
		return web.Services{}, err
	}
	return web.Services{
		Checker:  chk,
		Registry: &registry.Service{Store: st, Pack: chk.Pack(), Notify: notifier, Outbound: allow},
		Monitor:  mon,
		Review: &review.Service{Store: st, Checker: chk, Notify: notifier, DataDir: c.DataDir,
			Publisher: newPublisher(c, mon)},
		Users:    &users.Service{Store: st},
		Trail:    &audit.Trail{Store: st},
		Notifier: notifier,
		Webhooks: newWebhooks(c, st, notifier, log),
		Idem:     &idempotency.Service{Store: st},
	}, nil
}

// firstRun creates an administrator with a one-time password when the
// database has no user, and prints the password this once.
func firstRun(ctx context.Context, env Env, st *store.Store) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	password, hash, err := auth.NewOneTimePassword()
	if err != nil {
		return err
	}
	u := &model.User{Email: FirstAdminEmail, Name: "Administrator", Role: model.RoleAdmin, PasswordHash: hash}
	if err := st.CreateUser(ctx, model.SystemActor("first-run"), u); err != nil {
		if errs.Is(err, errs.Conflict) { // another instance got there first
			return nil
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "Created the first administrator.\n  e-mail:   %s\n  password: %s\nThis one-time password is shown only now; you must change it at first sign-in.\n",
		FirstAdminEmail, password)
	return nil
}

// sweepSessions deletes expired sessions every hour.
func sweepSessions(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n, err := st.DeleteExpiredSessions(ctx, now); err != nil {
				log.Warn("delete expired sessions", "err", err)
			} else if n > 0 {
				log.Info("deleted expired sessions", "count", n)
			}
		}
	}
}
