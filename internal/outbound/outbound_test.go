package outbound

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestParseAllow(t *testing.T) {
	a, err := ParseAllow(" 127.0.0.1, ::1 ,IdP.Internal., 10.2.3.4/16,")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.String(); got != "idp.internal,127.0.0.1,::1,10.2.0.0/16" {
		t.Errorf("String() = %q", got)
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "[::1]": true, "idp.internal": true, "IDP.internal.": true,
		"10.2.200.1": true, "10.3.0.1": false, "localhost": false, "127.0.0.2": false, "::ffff:127.0.0.1": true} {
		if a.Host(host) != want {
			t.Errorf("Host(%q) = %v, want %v", host, !want, want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "http://x", "a b", "user@host"} {
		if _, err := ParseAllow(bad); err == nil {
			t.Errorf("ParseAllow(%q) accepted", bad)
		}
	}
	var none *Allow
	if none.Host("127.0.0.1") || none.String() != "" {
		t.Error("a nil Allow allows something")
	}
}

func TestPublic(t *testing.T) {
	for ip, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::1111": true, "8.8.8.8": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "100.64.0.1": false, "100.127.255.254": false,
		"224.0.0.1": false, "ff02::1": false, "0.0.0.0": false, "::": false, "fd00::1": false,
		"::ffff:127.0.0.1": false, "::ffff:169.254.169.254": false, "255.255.255.255": false,
		"64:ff9b::7f00:1": false, "0.1.2.3": false,
	} {
		if got := Public(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Public(%s) = %v, want %v", ip, got, want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	allow, _ := ParseAllow("127.0.0.1,fake.test")
	for raw, ok := range map[string]bool{
		"https://mastodon.social/@unops":  true,
		"http://mastodon.social/@unops":   false,
		"https://169.254.169.254/latest":  false,
		"https://[::1]/x":                 false,
		"https://10.0.0.1/x":              false,
		"http://127.0.0.1:8080/@hq":       true,
		"http://fake.test/x":              true,
		"https://user:pw@mastodon.social": false,
		"javascript:alert(1)":             false,
		"file:///etc/passwd":              false,
		"/relative":                       false,
		"ftp://mastodon.social/":          false,
	} {
		_, err := CheckURL(raw, allow)
		if (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v, want ok=%v", raw, err, ok)
		}
		if err != nil && !errors.Is(err, ErrRefused) {
			t.Errorf("CheckURL(%q): %v does not wrap ErrRefused", raw, err)
		}
	}
}

func get(c *http.Client, url string) (string, error) {
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// TestClientRefusesLocal: the strict client reaches no local server, by IP
// or by a name that resolves to one, over https as well as http; with
// 127.0.0.1 allowed it does.
func TestClientRefusesLocal(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "inside") }))
	defer srv.Close()
	tlsCfg := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	tlsCfg.ServerName = "example.com" // the test certificate's name
	strict := NewClient(Options{TLS: tlsCfg})
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, u := range []string{srv.URL, "https://localhost" + port, strings.Replace(srv.URL, "https", "http", 1)} {
		if _, err := get(strict, u); !errors.Is(err, ErrRefused) {
			t.Errorf("strict client GET %s: %v, want ErrRefused", u, err)
		}
	}
	allow, _ := ParseAllow("127.0.0.1")
	c := NewClient(Options{Allow: allow, TLS: tlsCfg})
	if body, err := get(c, srv.URL); err != nil || body != "inside" {
		t.Fatalf("allowed 127.0.0.1: %q, %v", body, err)
	}
	// A name is checked by the address it resolves to: localhost is 127.0.0.1 here.
	if body, err := get(c, "https://localhost"+port); err != nil || body != "inside" {
		t.Fatalf("localhost with 127.0.0.1 allowed: %q, %v", body, err)
	}
}

// TestRedirects: each redirect is checked again, and at most 5 are followed.
func TestRedirects(t *testing.T) {
	hops := 0
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/by-name":
			http.Redirect(w, r, "http://localhost"+srv.URL[strings.LastIndex(srv.URL, ":"):]+"/ok", http.StatusFound)
		case "/loop":
			hops++
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/five":
			n := len(r.URL.Query().Get("n"))
			if n < 5 {
				http.Redirect(w, r, "/five?n="+strings.Repeat("x", n+1), http.StatusFound)
				return
			}
			io.WriteString(w, "ok")
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	allow, _ := ParseAllow("127.0.0.1")
	c := NewClient(Options{Allow: allow})
	if _, err := get(c, srv.URL+"/metadata"); !errors.Is(err, ErrRefused) {
		t.Errorf("redirect to the metadata address: %v, want ErrRefused", err)
	}
	if _, err := get(c, srv.URL+"/by-name"); !errors.Is(err, ErrRefused) {
		t.Errorf("redirect to http://localhost (not allowed by name): %v, want ErrRefused", err)
	}
	if _, err := get(c, srv.URL+"/loop"); !errors.Is(err, ErrRefused) || hops != MaxRedirects+1 {
		t.Errorf("redirect loop: %v after %d requests, want ErrRefused after %d", err, hops, MaxRedirects+1)
	}
	if body, err := get(c, srv.URL+"/five"); err != nil || body != "ok" {
		t.Errorf("five redirects: %q, %v; want them followed", body, err)
	}
}

func TestDialRefusesBeforeConnecting(t *testing.T) {
	d := &dialer{}
	_, err := d.dial(context.Background(), "tcp", "127.0.0.1:1")
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("dial 127.0.0.1: %v, want ErrRefused", err)
	}
}

// FuzzCheckURL: whatever the input, an accepted URL is https, or http to
// an allowed host, and never names a local address that is not allowed.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://mastodon.social/@x", "http://127.0.0.1:9/", "https://[::ffff:169.254.169.254]/",
		"https://0x7f.1/", "https://user@host/", "HTTPS://EXAMPLE.ORG", "https://2130706433/"} {
		f.Add(s)
	}
	allow, _ := ParseAllow("127.0.0.1")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := CheckURL(raw, allow)
		if err != nil {
			return
		}
		host := u.Hostname()
		if u.Scheme != "https" && !(u.Scheme == "http" && allow.Host(host)) {
			t.Fatalf("%q accepted with scheme %q", raw, u.Scheme)
		}
		if ip, err := netip.ParseAddr(host); err == nil && !Public(ip) && !allow.Host(host) {
			t.Fatalf("%q accepted with local address %s", raw, ip)
		}
	})
}
