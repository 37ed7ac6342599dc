package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/outbound"
)

// Config is the server's configuration, read in one place from flags and
// HERALD_* environment variables; a flag overrides its variable.
type Config struct {
	Addr        string
	DatabaseURL string
	Demo        bool
	TrustProxy  bool
	SessionTTL  time.Duration
	LogFormat   string // text or json
	Pack        string // policy pack file; empty for the embedded default
	Overlay     string
	TLSCert     string
	TLSKey      string

	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCRedirectURL  string
	OIDCRoleClaim    string
	OIDCRoleMap      string // claim-value=role,...
	OIDCDefaultRole  string

	// SMTP for the registry's e-mail notifications; no host sends none.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPFrom     string
	SMTPTLS      string // starttls, tls or none

	// Activity monitoring (issue 5).
	Sync          bool          // run the connectors' syncs and the daily evaluation in serve
	SyncInterval  time.Duration // how often each account is synced
	SyncMaxPages  int           // pages a connector reads per sync, bounding the first sync's year of back-fill
	SecretKey     string        // 32 bytes, hex or base64: encrypts stored connector tokens
	DataDir       string        // uploaded draft images (issue 6), outside any web root
	BaseURL       string        // the server's public address, for links in e-mails
	BlueskyPDS    string        // where approved drafts are posted to Bluesky
	ConnectorURLs string        // platform=base URL,... (tests and staging)
	XBearerToken  string
	YouTubeAPIKey string
	Tokens        string // platform=token,... for facebook, instagram, threads, linkedin

	// Discovery of look-alike accounts (issue 16).
	Discover          bool   // run the discovery searches in serve
	DiscoveryMastodon string // Mastodon instances searched, comma-separated

	// OutboundAllow names the destinations outbound requests may reach
	// over plain http or on local addresses: hosts, IPs, CIDRs.
	OutboundAllow string

	// SecretKeyPrevious lists keys stored credentials may still be sealed
	// under (comma-separated), until herald credential rotate.
	SecretKeyPrevious string

	// Audit checkpoints: the head of the audit trail signed with AuditKey
	// (kept outside the database) and appended to AuditCheckpoints every
	// AuditCheckpointEvery; no key writes none.
	AuditKey             string
	AuditCheckpoints     string
	AuditCheckpointEvery time.Duration
}

// outboundFlag registers --outbound-allow (HERALD_OUTBOUND_ALLOW).
func outboundFlag(fs *flag.FlagSet, env Env, p *string) {
	fs.StringVar(p, "outbound-allow", env.Getenv("HERALD_OUTBOUND_ALLOW"),
		"hosts, IPs and CIDRs that outbound requests may reach over plain http or on local addresses, comma-separated, e.g. 127.0.0.1,::1 for local fakes (env HERALD_OUTBOUND_ALLOW)")
}

// previousKeysFlag registers --secret-key-previous (HERALD_SECRET_KEY_PREVIOUS).
func previousKeysFlag(fs *flag.FlagSet, env Env, p *string) {
	fs.StringVar(p, "secret-key-previous", env.Getenv("HERALD_SECRET_KEY_PREVIOUS"),
		"former secret keys, comma-separated, that stored tokens may still be encrypted with until herald credential rotate (env HERALD_SECRET_KEY_PREVIOUS)")
}

// Outbound is the parsed --outbound-allow.
func (c *Config) Outbound() (*outbound.Allow, error) { return outbound.ParseAllow(c.OutboundAllow) }

// dbFlag registers --db (HERALD_DATABASE_URL), for every command that
// touches the database.
func dbFlag(fs *flag.FlagSet, env Env, p *string) {
	fs.StringVar(p, "db", envOr(env, "HERALD_DATABASE_URL", "sqlite:herald.db"),
		"database: sqlite:PATH or postgres://... (env HERALD_DATABASE_URL)")
}

func envOr(env Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

// parseConfig reads the server's flags; environment variables give the defaults.
func parseConfig(name string, env Env, args []string) (*Config, error) {
	c := &Config{}
	fs := newFlags(name, env)
	var boolErr error
	envBool := func(key string) bool {
		v := env.Getenv(key)
		if v == "" {
			return false
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			boolErr = fmt.Errorf("%s=%q: want true or false", key, v)
		}
		return b
	}
	ttl := envOr(env, "HERALD_SESSION_TTL", "12h")
	fs.StringVar(&c.Addr, "addr", envOr(env, "HERALD_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT; port 0 picks a free one (env HERALD_ADDR)")
	dbFlag(fs, env, &c.DatabaseURL)
	fs.BoolVar(&c.Demo, "demo", envBool("HERALD_DEMO"), "seed a demo organization and offer one-click sign-in per role (env HERALD_DEMO)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("HERALD_TRUST_PROXY"), "honour X-Forwarded-Proto and X-Forwarded-For from a reverse proxy (env HERALD_TRUST_PROXY)")
	fs.StringVar(&ttl, "session-ttl", ttl, "how long a sign-in lasts (env HERALD_SESSION_TTL)")
	fs.StringVar(&c.LogFormat, "log-format", envOr(env, "HERALD_LOG_FORMAT", "text"), "log format: text or json (env HERALD_LOG_FORMAT)")
	fs.StringVar(&c.Pack, "pack", env.Getenv("HERALD_PACK"), "policy pack file; default: the embedded pack (env HERALD_PACK)")
	fs.StringVar(&c.Overlay, "overlay", env.Getenv("HERALD_OVERLAY"), "overlay applied to the pack (env HERALD_OVERLAY)")
	fs.StringVar(&c.TLSCert, "tls-cert", env.Getenv("HERALD_TLS_CERT"), "TLS certificate file; serve HTTPS (env HERALD_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env.Getenv("HERALD_TLS_KEY"), "TLS key file (env HERALD_TLS_KEY)")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", env.Getenv("HERALD_OIDC_ISSUER"), "OpenID Connect issuer URL; enables single sign-on (env HERALD_OIDC_ISSUER)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", env.Getenv("HERALD_OIDC_CLIENT_ID"), "OIDC client id (env HERALD_OIDC_CLIENT_ID)")
	fs.StringVar(&c.OIDCClientSecret, "oidc-client-secret", env.Getenv("HERALD_OIDC_CLIENT_SECRET"), "OIDC client secret; prefer the environment (env HERALD_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.OIDCRedirectURL, "oidc-redirect-url", env.Getenv("HERALD_OIDC_REDIRECT_URL"), "https://HOST/auth/oidc/callback (env HERALD_OIDC_REDIRECT_URL)")
	fs.StringVar(&c.OIDCRoleClaim, "oidc-role-claim", envOr(env, "HERALD_OIDC_ROLE_CLAIM", "groups"), "ID token claim mapped to roles (env HERALD_OIDC_ROLE_CLAIM)")
	fs.StringVar(&c.OIDCRoleMap, "oidc-role-map", env.Getenv("HERALD_OIDC_ROLE_MAP"), "claim values to roles: value=role,... (env HERALD_OIDC_ROLE_MAP)")
	fs.StringVar(&c.OIDCDefaultRole, "oidc-default-role", env.Getenv("HERALD_OIDC_DEFAULT_ROLE"), "role when no claim value maps; empty refuses (env HERALD_OIDC_DEFAULT_ROLE)")
	fs.StringVar(&c.SMTPHost, "smtp-host", env.Getenv("HERALD_SMTP_HOST"), "mail server for notifications; empty sends no e-mail (env HERALD_SMTP_HOST)")
	smtpPort := fs.String("smtp-port", envOr(env, "HERALD_SMTP_PORT", "587"), "mail server port (env HERALD_SMTP_PORT)")
	fs.StringVar(&c.SMTPUsername, "smtp-username", env.Getenv("HERALD_SMTP_USERNAME"), "SMTP user name (env HERALD_SMTP_USERNAME)")
	fs.StringVar(&c.SMTPPassword, "smtp-password", env.Getenv("HERALD_SMTP_PASSWORD"), "SMTP password; prefer the environment (env HERALD_SMTP_PASSWORD)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", env.Getenv("HERALD_SMTP_FROM"), "sender address of notifications (env HERALD_SMTP_FROM)")
	fs.StringVar(&c.SMTPTLS, "smtp-tls", envOr(env, "HERALD_SMTP_TLS", "starttls"), "starttls, tls or none (none: loopback only) (env HERALD_SMTP_TLS)")
	fs.BoolVar(&c.Sync, "sync", envBoolOr(env, "HERALD_SYNC", true, &boolErr), "sync accounts from the platforms and evaluate their health daily (env HERALD_SYNC)")
	interval := fs.String("sync-interval", envOr(env, "HERALD_SYNC_INTERVAL", "6h"), "how often each account is synced (env HERALD_SYNC_INTERVAL)")
	syncPagesFlag(fs, env, &c.SyncMaxPages)
	fs.StringVar(&c.BaseURL, "base-url", env.Getenv("HERALD_BASE_URL"), "public address of this server, e.g. https://herald.example.org, for links in e-mails (env HERALD_BASE_URL)")
	fs.StringVar(&c.BlueskyPDS, "bluesky-pds", envOr(env, "HERALD_BLUESKY_PDS", "https://bsky.social"), "Bluesky server that approved drafts are posted to (env HERALD_BLUESKY_PDS)")
	fs.StringVar(&c.DataDir, "data-dir", envOr(env, "HERALD_DATA_DIR", "herald-data"), "folder for uploaded draft images, readable by the server only (env HERALD_DATA_DIR)")
	connectorFlags(fs, env, c, true)
	fs.BoolVar(&c.Discover, "discover", envBoolOr(env, "HERALD_DISCOVER", false, &boolErr), "search the platforms daily for accounts using the organization's names (env HERALD_DISCOVER)")
	discoveryMastodonFlag(fs, env, &c.DiscoveryMastodon)
	fs.StringVar(&c.AuditKey, "audit-key", env.Getenv("HERALD_AUDIT_KEY"), "key that signs audit checkpoints, at least 32 bytes in hex or base64; keep it out of the database; empty writes none (env HERALD_AUDIT_KEY)")
	fs.StringVar(&c.AuditCheckpoints, "audit-checkpoints", envOr(env, "HERALD_AUDIT_CHECKPOINTS", "herald-audit-checkpoints.jsonl"), "file the signed audit checkpoints are appended to (env HERALD_AUDIT_CHECKPOINTS)")
	cpEvery := fs.String("audit-checkpoint-every", envOr(env, "HERALD_AUDIT_CHECKPOINT_EVERY", "1h"), "how often serve signs the audit trail's head (env HERALD_AUDIT_CHECKPOINT_EVERY)")
	if help, err := parseFlags(fs, args, 0); err != nil {
		return nil, err
	} else if help {
		return nil, flag.ErrHelp
	}
	if boolErr != nil {
		return nil, usageError("%v", boolErr)
	}
	var err error
	if c.SessionTTL, err = time.ParseDuration(ttl); err != nil || c.SessionTTL < time.Minute {
		return nil, usageError("session TTL %q: want a duration of at least 1m, like 12h", ttl)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return nil, usageError("log format %q: want text or json", c.LogFormat)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, usageError("give both --tls-cert and --tls-key, or neither")
	}
	if _, err := c.OIDC(); err != nil {
		return nil, usageError("%v", err)
	}
	if c.SMTPPort, err = strconv.Atoi(*smtpPort); err != nil || c.SMTPPort < 1 || c.SMTPPort > 65535 {
		return nil, usageError("SMTP port %q: want a number from 1 to 65535", *smtpPort)
	}
	if c.SMTPTLS != "starttls" && c.SMTPTLS != "tls" && c.SMTPTLS != "none" {
		return nil, usageError("SMTP TLS %q: want starttls, tls or none", c.SMTPTLS)
	}
	if c.SMTPHost != "" && c.SMTPFrom == "" {
		return nil, usageError("--smtp-host needs --smtp-from, the sender address")
	}
	// The demo's accounts are made up: syncing them would only ask real
	// platforms about handles that are not ours, unless asked for.
	if c.Demo && env.Getenv("HERALD_SYNC") == "" && !flagSet(fs, "sync") {
		c.Sync = false
	}
	if c.SyncInterval, err = time.ParseDuration(*interval); err != nil || c.SyncInterval < time.Minute {
		return nil, usageError("sync interval %q: want a duration of at least 1m, like 6h", *interval)
	}
	if _, err := c.ConnectorConfig(); err != nil {
		return nil, usageError("%v", err)
	}
	if _, err := monitor.ParseKey(c.SecretKey); err != nil {
		return nil, usageError("secret key: %v", err)
	}
	if _, err := monitor.ParseKeys(c.SecretKeyPrevious); err != nil {
		return nil, usageError("--secret-key-previous: %v", err)
	}
	if c.AuditKey != "" {
		if _, err := audit.ParseKey(c.AuditKey); err != nil {
			return nil, usageError("audit key: %v", err)
		}
	}
	if c.AuditCheckpointEvery, err = time.ParseDuration(*cpEvery); err != nil || c.AuditCheckpointEvery < time.Minute {
		return nil, usageError("audit checkpoint interval %q: want a duration of at least 1m, like 1h", *cpEvery)
	}
	return c, nil
}

// OIDC is the single sign-on part of the configuration.
func (c *Config) OIDC() (auth.OIDCConfig, error) {
	o := auth.OIDCConfig{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret,
		RedirectURL: c.OIDCRedirectURL, RoleClaim: c.OIDCRoleClaim, DefaultRole: model.Role(c.OIDCDefaultRole)}
	if o.Issuer == "" {
		return o, nil
	}
	if o.ClientID == "" || o.RedirectURL == "" {
		return o, errors.New("single sign-on needs --oidc-client-id and --oidc-redirect-url")
	}
	if o.DefaultRole != "" && !o.DefaultRole.Valid() {
		return o, fmt.Errorf("unknown --oidc-default-role %q", o.DefaultRole)
	}
	m, err := auth.ParseRoleMap(c.OIDCRoleMap)
	if err != nil {
		return o, err
	}
	o.RoleMap = m
	return o, nil
}

// redactURL hides a database URL's password.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	return u.String()
}

// runConfig prints the effective configuration with secrets redacted.
func runConfig(ctx context.Context, env Env, args []string) error {
	c, err := parseConfig("config", env, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	allowed, _ := c.Outbound() // checked by parseConfig
	secret := func(s string) string {
		if s == "" {
			return ""
		}
		return "REDACTED"
	}
	rows := [][2]string{
		{"addr", c.Addr}, {"db", redactURL(c.DatabaseURL)}, {"demo", strconv.FormatBool(c.Demo)},
		{"trust-proxy", strconv.FormatBool(c.TrustProxy)}, {"session-ttl", c.SessionTTL.String()},
		{"log-format", c.LogFormat}, {"pack", c.Pack}, {"overlay", c.Overlay},
		{"tls-cert", c.TLSCert}, {"tls-key", c.TLSKey},
		{"oidc-issuer", c.OIDCIssuer}, {"oidc-client-id", c.OIDCClientID}, {"oidc-client-secret", secret(c.OIDCClientSecret)},
		{"oidc-redirect-url", c.OIDCRedirectURL}, {"oidc-role-claim", c.OIDCRoleClaim}, {"oidc-role-map", c.OIDCRoleMap},
		{"oidc-default-role", c.OIDCDefaultRole},
		{"smtp-host", c.SMTPHost}, {"smtp-port", strconv.Itoa(c.SMTPPort)}, {"smtp-username", c.SMTPUsername},
		{"smtp-password", secret(c.SMTPPassword)}, {"smtp-from", c.SMTPFrom}, {"smtp-tls", c.SMTPTLS},
		{"sync", strconv.FormatBool(c.Sync)}, {"sync-interval", c.SyncInterval.String()}, {"sync-max-pages", strconv.Itoa(c.SyncMaxPages)},
		{"data-dir", c.DataDir}, {"base-url", c.BaseURL}, {"bluesky-pds", c.BlueskyPDS}, {"secret-key", secret(c.SecretKey)}, {"connector-urls", c.ConnectorURLs},
		{"x-bearer-token", secret(c.XBearerToken)}, {"youtube-api-key", secret(c.YouTubeAPIKey)},
		{"connector-tokens", redactPairs(c.Tokens)},
		{"outbound-allow", allowed.String()},
		{"secret-key-previous", secret(c.SecretKeyPrevious)},
		{"audit-key", secret(c.AuditKey)}, {"audit-checkpoints", c.AuditCheckpoints},
		{"audit-checkpoint-every", c.AuditCheckpointEvery.String()},
		{"discover", strconv.FormatBool(c.Discover)}, {"discovery-mastodon", c.DiscoveryMastodon},
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-20s %s\n", r[0], r[1])
	}
	_, err = fmt.Fprint(env.Stdout, b.String())
	return err
}
