package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/monitor"
)

// monitorFlags registers what a one-off sync or evaluation needs of the
// server's configuration: the database, the pack and the connectors.
func monitorFlags(fs *flag.FlagSet, env Env, c *Config, connectors bool) {
	dbFlag(fs, env, &c.DatabaseURL)
	fs.StringVar(&c.Pack, "pack", env.Getenv("HERALD_PACK"), "policy pack file; default: the embedded pack (env HERALD_PACK)")
	fs.StringVar(&c.Overlay, "overlay", env.Getenv("HERALD_OVERLAY"), "overlay applied to the pack (env HERALD_OVERLAY)")
	if !connectors {
		return
	}
	syncPagesFlag(fs, env, &c.SyncMaxPages)
	connectorFlags(fs, env, c, false)
}

// connectorFlags registers what reaching the platforms needs: the key of the
// stored tokens (and the previous ones), the API base URLs, the platform-wide
// credentials and the outbound allow list. serve encrypts the tokens it stores
// and its help says more than a one-off command's.
func connectorFlags(fs *flag.FlagSet, env Env, c *Config, serve bool) {
	keyHelp, prefer, youtubeHelp := "decrypts stored connector tokens", "", ""
	if serve {
		keyHelp, prefer, youtubeHelp = "encrypts stored connector tokens; prefer the environment", "; prefer the environment", "; without it the channel feed is read"
	}
	fs.StringVar(&c.SecretKey, "secret-key", env.Getenv("HERALD_SECRET_KEY"), "32-byte key, hex or base64, that "+keyHelp+" (env HERALD_SECRET_KEY)")
	fs.StringVar(&c.ConnectorURLs, "connector-urls", env.Getenv("HERALD_CONNECTOR_URLS"), "platform API base URLs: "+strings.Join(connectorURLKeys(), "|")+"=URL,... (env HERALD_CONNECTOR_URLS)")
	fs.StringVar(&c.XBearerToken, "x-bearer-token", env.Getenv("HERALD_X_BEARER_TOKEN"), "X API v2 bearer token"+prefer+" (env HERALD_X_BEARER_TOKEN)")
	fs.StringVar(&c.YouTubeAPIKey, "youtube-api-key", env.Getenv("HERALD_YOUTUBE_API_KEY"), "YouTube Data API key"+youtubeHelp+" (env HERALD_YOUTUBE_API_KEY)")
	fs.StringVar(&c.Tokens, "connector-tokens", env.Getenv("HERALD_CONNECTOR_TOKENS"), "platform-wide tokens: facebook|instagram|threads|linkedin=TOKEN,..."+prefer+" (env HERALD_CONNECTOR_TOKENS)")
	outboundFlag(fs, env, &c.OutboundAllow)
	previousKeysFlag(fs, env, &c.SecretKeyPrevious)
}

// openMonitor opens the database (migrated) and builds a Monitor from c.
// The caller closes the returned store.
func openMonitor(ctx context.Context, env Env, c *Config, cc connector.Config) (*monitor.Monitor, func(), error) {
	pack, err := loadPack(c.Pack, c.Overlay)
	if err != nil {
		return nil, nil, err
	}
	key, err := monitor.ParseKey(c.SecretKey)
	if err != nil {
		return nil, nil, usageError("--secret-key: %v", err)
	}
	st, err := openStore(ctx, c.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	previous, err := monitor.ParseKeys(c.SecretKeyPrevious)
	if err != nil {
		st.Close()
		return nil, nil, usageError("--secret-key-previous: %v", err)
	}
	m, err := monitor.New(monitor.Options{Store: st, Pack: pack, ConnectorConfig: cc, SecretKey: key, PreviousKeys: previous,
		Log: newLogger(env, "text")})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return m, func() { st.Close() }, nil
}

// runSync syncs one account, or every due account, once.
func runSync(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := newFlags("sync", env)
	monitorFlags(fs, env, c, true)
	account := fs.Int64("account", 0, "sync only this account id, whatever its schedule")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald sync [--account ID] [--db URL] [flags]\n\nReads profiles and recent posts from the platforms once: one account, or every account that is due.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	cc, err := c.ConnectorConfig()
	if err != nil {
		return usageError("%v", err)
	}
	m, closeStore, err := openMonitor(ctx, env, c, cc)
	if err != nil {
		return err
	}
	defer closeStore()
	if *account != 0 {
		r, err := m.SyncOnce(ctx, *account)
		if err != nil {
			return fmt.Errorf("account %d: %w", *account, err)
		}
		fmt.Fprintf(env.Stdout, "account %d synced: %d posts, profile %t\n", r.AccountID, r.Posts, r.Profile)
		return nil
	}
	var total monitor.SyncStats
	for ctx.Err() == nil {
		s, err := m.SyncDue(ctx)
		if err != nil {
			return err
		}
		if s.Claimed == 0 {
			break
		}
		total.Claimed += s.Claimed
		total.Synced += s.Synced
		total.Failed += s.Failed
		total.RateLimited += s.RateLimited
	}
	fmt.Fprintf(env.Stdout, "%d accounts due: %d synced, %d failed, %d rate limited (rescheduled)\n",
		total.Claimed, total.Synced, total.Failed, total.RateLimited)
	if total.Failed > 0 {
		return &exitError{code: 1}
	}
	return ctx.Err()
}
