package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"golang.org/x/oauth2"
)

// OIDCConfig configures single sign-on with an OpenID Connect provider.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string // https://herald.example.org/auth/oidc/callback
	// RoleClaim names the ID token claim whose values map to roles
	// (default "groups"); it may be a string or a list of strings.
	RoleClaim string
	// RoleMap maps claim values to roles; when several values map, the most
	// powerful role wins.
	RoleMap map[string]model.Role
	// DefaultRole is given when no claim value maps; empty refuses sign-in.
	DefaultRole model.Role
}

// Enabled reports whether single sign-on is configured.
func (c OIDCConfig) Enabled() bool { return c.Issuer != "" }

// ParseRoleMap reads "value=role,value=role" (the form flags and
// environment variables take).
func ParseRoleMap(s string) (map[string]model.Role, error) {
	m := map[string]model.Role{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		value, role, ok := strings.Cut(pair, "=")
		r := model.Role(strings.TrimSpace(role))
		if !ok || strings.TrimSpace(value) == "" || !r.Valid() {
			return nil, fmt.Errorf("role map entry %q: want claim-value=role with role one of admin, reviewer, manager, staff, auditor", pair)
		}
		m[strings.TrimSpace(value)] = r
	}
	return m, nil
}

// OIDC signs users in through an OpenID Connect provider.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client
}

// Identity is who the provider says signed in.
type Identity struct {
	Subject string // "issuer|sub", the stable key Herald links users by
	Email   string
	Name    string
	Role    model.Role
}

// NewOIDC fetches the provider's discovery document. client (nil for
// outbound's guarded client, which reaches only public https servers) is
// used for discovery, keys and the code exchange.
func NewOIDC(ctx context.Context, cfg OIDCConfig, client *http.Client) (*OIDC, error) {
	if cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: client id and redirect URL are required")
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "groups"
	}
	if cfg.DefaultRole != "" && !cfg.DefaultRole.Valid() {
		return nil, fmt.Errorf("oidc: unknown default role %q", cfg.DefaultRole)
	}
	if client == nil {
		client = outbound.NewClient(outbound.Options{})
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discovery at %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		cfg: cfg,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			RedirectURL:  cfg.RedirectURL,
			Endpoint:     provider.Endpoint(),
			Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
		},
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		client:   client,
	}, nil
}

// AuthCodeURL is where the browser goes to sign in.
func (o *OIDC) AuthCodeURL(state, nonce string) string {
	return o.oauth.AuthCodeURL(state, oidc.Nonce(nonce))
}

// Exchange trades the callback's code for a verified ID token and reads
// the identity from it; nonce must be the one given to AuthCodeURL.
func (o *OIDC) Exchange(ctx context.Context, code, nonce string) (*Identity, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, o.client)
	tok, err := o.oauth.Exchange(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("oidc: code exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, errors.New("oidc: the provider returned no ID token")
	}
	idt, err := o.verifier.Verify(oidc.ClientContext(ctx, o.client), raw)
	if err != nil {
		return nil, fmt.Errorf("oidc: %w", err)
	}
	if idt.Nonce != nonce {
		return nil, errors.New("oidc: the ID token's nonce does not match this sign-in")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("oidc: reading claims: %w", err)
	}
	id := &Identity{Subject: idt.Issuer + "|" + idt.Subject}
	id.Email, _ = claims["email"].(string)
	id.Name, _ = claims["name"].(string)
	if id.Email == "" {
		return nil, errors.New("oidc: the ID token carries no email claim")
	}
	// Only a verified address may find a local user: a provider that lets
	// anyone type an address would otherwise sign them in as its owner.
	// The claim must be present and true (some providers send "true").
	if v := claims["email_verified"]; v != true && v != "true" {
		return nil, errors.New("oidc: the provider does not say it verified this e-mail address (email_verified)")
	}
	if id.Name == "" {
		id.Name = id.Email
	}
	id.Role = o.role(claims[o.cfg.RoleClaim])
	if id.Role == "" {
		return nil, fmt.Errorf("oidc: no role for %s: none of its %q values is mapped", id.Email, o.cfg.RoleClaim)
	}
	return id, nil
}

// role maps a claim (string or list) to the most powerful mapped role.
func (o *OIDC) role(claim any) model.Role {
	var values []string
	switch v := claim.(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	best := -1
	for _, v := range values {
		r, ok := o.cfg.RoleMap[v]
		if !ok {
			continue
		}
		for i, x := range model.Roles {
			if x == r && (best < 0 || i < best) {
				best = i
			}
		}
	}
	if best < 0 {
		return o.cfg.DefaultRole
	}
	return model.Roles[best]
}
