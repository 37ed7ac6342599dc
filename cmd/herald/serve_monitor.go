package main

import (
	"log/slog"

	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/publish"
	"github.com/herald-gov/herald/internal/store"
)

// newMonitor builds the activity monitor from the configuration; serve
// shares it between the web application and its own sync loop.
func newMonitor(c *Config, st *store.Store, pack *policy.Pack, n *notify.Notifier, log *slog.Logger) (*monitor.Monitor, error) {
	// Both were checked by parseConfig.
	key, err := monitor.ParseKey(c.SecretKey)
	if err != nil {
		return nil, err
	}
	cc, err := c.ConnectorConfig()
	if err != nil {
		return nil, err
	}
	previous, err := monitor.ParseKeys(c.SecretKeyPrevious)
	if err != nil {
		return nil, err
	}
	return monitor.New(monitor.Options{Store: st, Pack: pack, Notify: n, Log: log, ConnectorConfig: cc,
		SecretKey: key, PreviousKeys: previous, SyncEvery: c.SyncInterval})
}

// newPublisher posts approved drafts with the connector tokens the monitor
// keeps encrypted; an account without one is told to mark its post published.
func newPublisher(c *Config, mon *monitor.Monitor) *publish.Publisher {
	allow, _ := c.Outbound() // checked by parseConfig
	return publish.New(publish.Config{Credentials: publish.CredentialsFunc(mon.Credential), BlueskyPDS: c.BlueskyPDS, Allow: allow})
}
