package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/discover"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// runDiscover runs the discovery searches: every due one once (--once), or
// on a schedule until interrupted.
func runDiscover(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := newFlags("discover", env)
	monitorFlags(fs, env, c, true)
	once := fs.Bool("once", false, "run the due searches once and exit")
	discoveryMastodonFlag(fs, env, &c.DiscoveryMastodon)
	every := fs.Duration("every", 24*time.Hour, "time between two runs of one search")
	minScore := fs.Float64("min-score", 0.3, "least lookalike score (0-1) an account needs to be queued for triage")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald discover [--once] [--discovery-mastodon LIST] [--db URL] [flags]\n\n"+
			"Searches Mastodon instances, Bluesky and (with an API key) YouTube for accounts that use the\n"+
			"organization's names, scores them against the registry and queues look-alikes for triage.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	if *every < time.Minute || *minScore < 0 || *minScore > 1 {
		return usageError("--every must be at least 1m and --min-score within 0-1")
	}
	pack, st, err := openWithPack(ctx, c, loadPack)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := newDiscoverer(c, st, pack, *every, *minScore, newLogger(env, "text"))
	if err != nil {
		return err
	}
	if !*once {
		d.Run(ctx, time.Minute)
		return nil
	}
	s, err := d.RunAll(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d searches: %d failed, %d rate limited (rescheduled); %d accounts queued for triage; %d impersonations gone\n",
		s.Searches, s.Failed, s.RateLimited, s.Queued, s.Gone)
	if s.Failed > 0 {
		return &exitError{code: 1}
	}
	return ctx.Err()
}

// discoveryMastodonFlag registers --discovery-mastodon: the Mastodon
// instances whose account search discovery uses.
func discoveryMastodonFlag(fs *flag.FlagSet, env Env, p *string) {
	fs.StringVar(p, "discovery-mastodon", env.Getenv("HERALD_DISCOVERY_MASTODON"),
		"Mastodon instances searched by discovery, comma-separated, e.g. mastodon.social,social.un.org (env HERALD_DISCOVERY_MASTODON)")
}

// newDiscoverer builds discovery from the configuration: the searches the
// connectors allow, avatars and takedown checks through the outbound client.
func newDiscoverer(c *Config, st *store.Store, pack *policy.Pack, every time.Duration, minScore float64, log *slog.Logger) (*discover.Discoverer, error) {
	cc, err := c.ConnectorConfig()
	if err != nil {
		return nil, usageError("%v", err)
	}
	var list []string
	for _, s := range strings.Split(c.DiscoveryMastodon, ",") {
		if s = strings.TrimSpace(s); s != "" {
			list = append(list, s)
		}
	}
	searchers, err := connector.NewSearchers(cc, list)
	if err != nil {
		return nil, usageError("--discovery-mastodon: %v", err)
	}
	return discover.New(discover.Options{Store: st, Pack: pack, Searchers: searchers, Every: every, MinScore: minScore,
		Avatar: discover.AvatarHasher(outbound.NewClient(outbound.Options{Allow: cc.Allow}), cc.Allow),
		Gone:   discover.GoneVia(connector.NewRegistry(cc)), Log: log})
}
