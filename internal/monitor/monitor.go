// Package monitor keeps the registry's accounts under watch (policy 4.6):
// it syncs their profiles and posts through the platform connectors on a
// schedule shared safely between servers, imports analytics files, runs the
// health evaluation and moves accounts from at risk to a closure proposal,
// and records an admin's closing or keeping open of an account.
package monitor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

var (
	// ErrChecklist is returned by Close when an item of the closing checklist is not done.
	ErrChecklist = errs.E(errs.Invalid, "closure.checklist", "the closing checklist is not complete")
	// ErrNoSecretKey is returned when a credential is set or read without a secret key configured.
	ErrNoSecretKey = errors.New("no secret key configured (HERALD_SECRET_KEY or --secret-key)")
	// ErrNoConnector is returned for an account on a platform without a connector.
	ErrNoConnector = errors.New("no connector for the platform")
)

// Options configure a Monitor. Zero fields take the defaults given.
type Options struct {
	Store  *store.Store
	Pack   *policy.Pack     // its parameters.health thresholds are used
	Notify *notify.Notifier // may be nil: notifications are still written
	Log    *slog.Logger     // nil: slog.Default()

	// Connectors, when set, is used as is (tests); otherwise one is built
	// from ConnectorConfig, with TokenFor reading the stored credentials.
	Connectors      connector.Registry
	ConnectorConfig connector.Config
	SecretKey       []byte // 32 bytes (ParseKey); nil disables credentials

	// PreviousKeys are keys credentials may still be sealed under, until
	// herald credential rotate re-seals them under SecretKey.
	PreviousKeys [][]byte

	Workers       int           // concurrent fetches, default 4
	SyncEvery     time.Duration // after a good sync, default 6h
	Backoff       time.Duration // after the first failure, doubling per failure, default 5m
	MaxBackoff    time.Duration // default 24h
	Lease         time.Duration // how long a claim holds an account, default 15m
	Backfill      time.Duration // how far back an account's first sync reads, default 365 days
	Lookback      time.Duration // how far back a later sync reads at most, default 120 days
	Poll          time.Duration // how often Run looks for due accounts, default 30s
	EvaluateEvery time.Duration // default 24h
	Owner         string        // lease owner, default host:pid:random
	Now           func() time.Time
}

// Monitor syncs, evaluates and closes accounts. Safe for concurrent use.
type Monitor struct {
	o     Options
	st    *store.Store
	conns connector.Registry
	log   *slog.Logger

	tokens sync.Map // account id → decrypted token, only while its fetch runs

	mu     sync.Mutex
	paused map[string]time.Time // rate-limited platform (or instance) → until
}

// New checks the options and builds a Monitor.
func New(o Options) (*Monitor, error) {
	if o.Store == nil || o.Pack == nil {
		return nil, errors.New("monitor: a store and a policy pack are required")
	}
	if err := o.Pack.Parameters.Health.Validate(); err != nil {
		return nil, fmt.Errorf("monitor: the pack's health parameters: %w", err)
	}
	if o.SecretKey != nil && len(o.SecretKey) != keySize {
		return nil, fmt.Errorf("monitor: the secret key must be %d bytes", keySize)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	def(&o.SyncEvery, 6*time.Hour)
	def(&o.Backoff, 5*time.Minute)
	def(&o.MaxBackoff, 24*time.Hour)
	def(&o.Lease, 15*time.Minute)
	def(&o.Backfill, 365*24*time.Hour)
	def(&o.Lookback, 120*24*time.Hour)
	def(&o.Poll, 30*time.Second)
	def(&o.EvaluateEvery, 24*time.Hour)
	if o.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		o.Owner = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	m := &Monitor{o: o, st: o.Store, log: o.Log, paused: map[string]time.Time{}}
	m.conns = o.Connectors
	if m.conns == nil {
		cfg := o.ConnectorConfig
		cfg.TokenFor = m.tokenFor
		m.conns = connector.NewRegistry(cfg)
	}
	return m, nil
}

func (m *Monitor) now() time.Time { return m.o.Now().UTC() }

// Run syncs due accounts every Poll and evaluates every EvaluateEvery
// (first at start) until ctx ends. Errors are logged, never fatal: a broken
// platform or a database hiccup is retried at the next round.
func (m *Monitor) Run(ctx context.Context) {
	poll := time.NewTicker(m.o.Poll)
	defer poll.Stop()
	var lastEval time.Time
	for {
		if now := m.now(); now.Sub(lastEval) >= m.o.EvaluateEvery {
			sum, err := m.Evaluate(ctx, now)
			if err != nil {
				m.log.Error("health evaluation failed", "err", err)
			} else {
				lastEval = now
				m.log.Info("health evaluated", "accounts", sum.Evaluated, "at_risk", sum.AtRisk, "transitions", sum.Transitions)
			}
		}
		// Drain: keep claiming while there is due work, then wait.
		for ctx.Err() == nil {
			stats, err := m.SyncDue(ctx)
			if err != nil {
				m.log.Error("sync failed", "err", err)
				break
			}
			if stats.Claimed == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
		}
	}
}

// actor is the audit actor of the monitor's own changes.
var actor = model.SystemActor("monitor")
