package main

import (
	"flag"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/connector"
)

// connectorURLs maps the keys of --connector-urls to the connector's base
// URL fields. Mastodon has none: each account's instance comes from its
// profile URL.
var connectorURLs = map[string]func(*connector.Config) *string{
	"bluesky":      func(c *connector.Config) *string { return &c.BlueskyBaseURL },
	"youtube-feed": func(c *connector.Config) *string { return &c.YouTubeFeedBaseURL },
	"youtube-api":  func(c *connector.Config) *string { return &c.YouTubeAPIBaseURL },
	"x":            func(c *connector.Config) *string { return &c.XBaseURL },
	"facebook":     func(c *connector.Config) *string { return &c.GraphBaseURL },
	"instagram":    func(c *connector.Config) *string { return &c.InstagramBaseURL },
	"threads":      func(c *connector.Config) *string { return &c.ThreadsBaseURL },
	"linkedin":     func(c *connector.Config) *string { return &c.LinkedInBaseURL },
}

// tokenPlatforms take a platform-wide token from --connector-tokens.
var tokenPlatforms = []string{"facebook", "instagram", "threads", "linkedin"}

func connectorURLKeys() []string { return slices.Sorted(maps.Keys(connectorURLs)) }

// pairs reads "key=value,key=value"; keys must be among allowed.
func pairs(flagName, s string, allowed []string) (map[string]string, error) {
	out := map[string]string{}
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" { // item may be a bare token: not echoed
			return nil, fmt.Errorf("--%s: item %d is not key=value", flagName, i+1)
		}
		if !slices.Contains(allowed, k) {
			return nil, fmt.Errorf("--%s: unknown key %q (want one of %s)", flagName, k, strings.Join(allowed, ", "))
		}
		out[k] = v
	}
	return out, nil
}

// ConnectorConfig is the connectors' part of the configuration.
func (c *Config) ConnectorConfig() (connector.Config, error) {
	cc := connector.Config{XBearerToken: c.XBearerToken, YouTubeAPIKey: c.YouTubeAPIKey}
	allow, err := c.Outbound()
	if err != nil {
		return cc, err
	}
	cc.Allow = allow
	urls, err := pairs("connector-urls", c.ConnectorURLs, connectorURLKeys())
	if err != nil {
		return cc, err
	}
	for k, v := range urls {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return cc, fmt.Errorf("--connector-urls: %s=%q is not an http(s) URL", k, v)
		}
		*connectorURLs[k](&cc) = strings.TrimSuffix(v, "/")
	}
	if cc.Tokens, err = pairs("connector-tokens", c.Tokens, tokenPlatforms); err != nil {
		// The message names the key, never the token.
		return cc, err
	}
	if c.SyncMaxPages < 1 || c.SyncMaxPages > 1000 {
		return cc, fmt.Errorf("--sync-max-pages (or HERALD_SYNC_MAX_PAGES): want a number from 1 to 1000")
	}
	cc.MaxPages = c.SyncMaxPages
	return cc, nil
}

// redactPairs shows which keys of "key=secret,..." are set, not their values.
func redactPairs(s string) string {
	var keys []string
	for item := range strings.SplitSeq(s, ",") {
		if k, _, ok := strings.Cut(item, "="); ok {
			keys = append(keys, strings.TrimSpace(k)+"=REDACTED")
		}
	}
	return strings.Join(keys, ",")
}

// flagSet reports whether the command line gave the flag.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// envBoolOr reads a boolean variable with a default; a bad value is kept
// in *errp for the caller to report.
func envBoolOr(env Env, key string, def bool, errp *error) bool {
	v := env.Getenv(key)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*errp = fmt.Errorf("%s=%q: want true or false", key, v)
	}
	return b
}

// syncPagesFlag registers --sync-max-pages: how many pages a connector reads
// per sync (an account's first sync reads back a year, up to this bound).
func syncPagesFlag(fs *flag.FlagSet, env Env, p *int) {
	def, err := strconv.Atoi(envOr(env, "HERALD_SYNC_MAX_PAGES", "20"))
	if err != nil {
		def = -1 // refused by ConnectorConfig, which names the flag
	}
	fs.IntVar(p, "sync-max-pages", def, "pages of posts a connector reads per sync; bounds the first sync's year of back-fill (env HERALD_SYNC_MAX_PAGES)")
}
