package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/discover"
	"github.com/herald-gov/herald/internal/outbound"
)

// runDiscover runs the discovery searches: every due one once (--once), or
// on a schedule until interrupted.
func runDiscover(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := newFlags("discover", env)
	monitorFlags(fs, env, c, true)
	once := fs.Bool("once", false, "run the due searches once and exit")
	instances := fs.String("mastodon-instances", env.Getenv("HERALD_DISCOVERY_MASTODON"),
		"Mastodon instances to search, comma-separated, e.g. mastodon.social,social.un.org (env HERALD_DISCOVERY_MASTODON)")
	every := fs.Duration("every", 24*time.Hour, "time between two runs of one search")
	minScore := fs.Float64("min-score", 0.3, "least lookalike score (0-1) an account needs to be queued for triage")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald discover [--once] [--mastodon-instances LIST] [--db URL] [flags]\n\n"+
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
	cc, err := c.ConnectorConfig()
	if err != nil {
		return usageError("%v", err)
	}
	var list []string
	for _, s := range strings.Split(*instances, ",") {
		if s = strings.TrimSpace(s); s != "" {
			list = append(list, s)
		}
	}
	searchers, err := connector.NewSearchers(cc, list)
	if err != nil {
		return usageError("--mastodon-instances: %v", err)
	}
	pack, err := loadPack(c.Pack, c.Overlay)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	log := newLogger(env, "text")
	d, err := discover.New(discover.Options{Store: st, Pack: pack, Searchers: searchers, Every: *every, MinScore: *minScore,
		Avatar: discover.AvatarHasher(outbound.NewClient(outbound.Options{Allow: cc.Allow}), cc.Allow),
		Gone:   discover.GoneVia(connector.NewRegistry(cc)), Log: log})
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
