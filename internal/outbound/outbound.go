// Package outbound is the one HTTP client for every request Herald makes to
// another server: connectors, publishing, single sign-on discovery and
// whatever fetches next. It exists so that a URL someone typed into Herald
// (a profile URL, a Mastodon instance, a redirect a platform sends) cannot
// make the server reach its own network.
//
// The dialer, not the URL check, refuses loopback, private, link-local,
// CGNAT, multicast and unspecified addresses: it resolves the name itself
// and connects only to an address it has checked, so redirects and DNS
// rebinding are covered too. Plain http is refused, and at most 5
// redirects are followed, each checked again. An operator allows named
// destinations (a local identity provider, a test fake) with an Allow list.
package outbound

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"syscall"
	"time"
)

// ErrRefused wraps every refusal, so callers can tell it from a network failure.
var ErrRefused = errors.New("outbound: destination refused")

// MaxRedirects is the number of redirects a request may follow.
const MaxRedirects = 5

// Allow lists destinations that may be reached though they are local, and
// over plain http: host names (exact, lower case) and IP prefixes.
type Allow struct {
	hosts map[string]bool
	nets  []netip.Prefix
}

// ParseAllow reads HERALD_OUTBOUND_ALLOW: comma-separated host names, IP
// addresses and CIDR prefixes ("127.0.0.1,::1", "idp.internal,10.2.0.0/16").
func ParseAllow(s string) (*Allow, error) {
	a := &Allow{hosts: map[string]bool{}}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.ToLower(strings.TrimSpace(item))
		switch {
		case item == "":
		case strings.Contains(item, "/"):
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("outbound allow list: %q is not a CIDR prefix", item)
			}
			a.nets = append(a.nets, p.Masked())
		default:
			if ip, err := netip.ParseAddr(strings.Trim(item, "[]")); err == nil {
				a.nets = append(a.nets, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
				continue
			}
			if strings.ContainsAny(item, ":/?#@ ") {
				return nil, fmt.Errorf("outbound allow list: %q is not a host name, IP address or CIDR prefix", item)
			}
			a.hosts[strings.TrimSuffix(item, ".")] = true
		}
	}
	return a, nil
}

// String lists the allowed destinations in the form ParseAllow reads.
func (a *Allow) String() string {
	if a == nil {
		return ""
	}
	var out []string
	for h := range a.hosts {
		out = append(out, h)
	}
	sort.Strings(out)
	for _, p := range a.nets {
		if p.IsSingleIP() {
			out = append(out, p.Addr().String())
		} else {
			out = append(out, p.String())
		}
	}
	return strings.Join(out, ",")
}

// Host reports whether host (a name or an IP literal, without port) is
// allowed by name or address.
func (a *Allow) Host(host string) bool {
	if a == nil {
		return false
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if a.hosts[host] {
		return true
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return a.ip(ip)
	}
	return false
}

func (a *Allow) ip(ip netip.Addr) bool {
	if a == nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range a.nets {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// cgnat and the other ranges netip has no method for.
var blockedNets = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network"
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),   // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b::/96"),  // NAT64: would reach any IPv4 address
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// Public reports whether ip is an address on the public internet: not
// loopback, private, link-local, CGNAT, multicast, unspecified or reserved.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range blockedNets {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// CheckURL validates a URL Herald will fetch or store for fetching later
// (a profile URL at entry): absolute, https (http only to an allowed host),
// no user info, and a host that is not an IP address outside the public
// internet unless allowed. Names are checked again when dialled.
func CheckURL(raw string, allow *Allow) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w: %q is not an absolute URL", ErrRefused, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: a URL with a user name or password", ErrRefused)
	}
	host := u.Hostname()
	switch u.Scheme {
	case "https":
	case "http":
		if !allow.Host(host) {
			return nil, fmt.Errorf("%w: %s must use https", ErrRefused, u.Host)
		}
	default:
		return nil, fmt.Errorf("%w: scheme %q (want https)", ErrRefused, u.Scheme)
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil && !Public(ip) && !allow.ip(ip) {
		return nil, fmt.Errorf("%w: %s is not a public address", ErrRefused, host)
	}
	return u, nil
}

// Options configure a client; zero fields take defaults.
type Options struct {
	Allow   *Allow
	Timeout time.Duration // whole request, redirects included; default 30 s
	// TLS, when set, replaces the default TLS settings (a private CA's roots).
	TLS *tls.Config
}

// NewClient returns the guarded client. It uses no proxy from the
// environment: a proxy would make the connection, and the checks with it.
func NewClient(o Options) *http.Client {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	d := &dialer{allow: o.Allow, d: net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}}
	d.d.ControlContext = d.control
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       o.TLS,
	}
	return &http.Client{
		Transport: &guard{allow: o.Allow, next: tr},
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrRefused, MaxRedirects)
			}
			return nil // guard checks the new URL when it is sent
		},
	}
}

// guard checks every request's URL, the first and each redirect's.
type guard struct {
	allow *Allow
	next  http.RoundTripper
}

func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, err := CheckURL(req.URL.String(), g.allow); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return g.next.RoundTrip(req)
}

type dialer struct {
	allow *Allow
	d     net.Dialer
}

// dial resolves the host itself and connects to the first address that is
// public or allowed; an allowed host name may resolve to anything.
func (d *dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if d.allow.Host(host) {
		return d.d.DialContext(withAllowed(ctx), network, addr)
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	var lastErr error = fmt.Errorf("%w: %s resolves to no public address", ErrRefused, host)
	for _, ip := range ips {
		if !Public(ip) && !d.allow.ip(ip) {
			continue
		}
		c, err := d.d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

type allowedKey struct{}

func withAllowed(ctx context.Context) context.Context {
	return context.WithValue(ctx, allowedKey{}, true)
}

// control checks the address actually connected to, after every
// resolution: the last line of defence.
func (d *dialer) control(ctx context.Context, network, address string, _ syscall.RawConn) error {
	if ctx.Value(allowedKey{}) != nil {
		return nil // an allowed host name, which may resolve to a local address
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: cannot read address %q", ErrRefused, address)
	}
	if Public(ip) || d.allow.ip(ip) {
		return nil
	}
	return fmt.Errorf("%w: %s is not a public address", ErrRefused, ip)
}
