package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/store"
)

func TestCheckProfileURL(t *testing.T) {
	allow, _ := outbound.ParseAllow("127.0.0.1")
	for _, tc := range []struct {
		platform, handleKey, url string
		ok                       bool
	}{
		{"mastodon", "unops@mastodon.social", "https://mastodon.social/@unops", true},
		{"mastodon", "unops@mastodon.social", "https://evil.example/@unops", false}, // weakness 2: token sent there
		{"mastodon", "unops@mastodon.social", "http://mastodon.social/@unops", false},
		{"mastodon", "unops@127.0.0.1", "http://127.0.0.1:3000/@unops", true},
		{"mastodon", "unops@169.254.169.254", "https://169.254.169.254/@unops", false},
		{"x", "unops", "https://x.com/unops", true},
		{"x", "unops", "https://x.com.evil.example/unops", false},
		{"x", "unops", "https://10.0.0.8/unops", false},
		{"x", "unops", "javascript:alert(1)", false},
		{"bluesky", "unops.org", "https://bsky.app/profile/unops.org", true},
		{"x", "unops", "", true},
	} {
		err := CheckProfileURL(tc.platform, tc.handleKey, tc.url, allow)
		if (err == nil) != tc.ok {
			t.Errorf("CheckProfileURL(%s, %s, %q) = %v, want ok=%v", tc.platform, tc.handleKey, tc.url, err, tc.ok)
		}
	}
}

// TestRequestRefusesForeignProfileURL: the SSRF and token-leak reports'
// inputs are refused at entry, on the service, whatever the front door.
func TestRequestRefusesForeignProfileURL(t *testing.T) {
	f := newFixture(t, store.SQLite)
	for _, url := range []string{"https://evil.example/@unops", "http://169.254.169.254/latest/meta-data/", "https://127.0.0.1/@unops"} {
		acc := haitiRequest()
		acc.Platform, acc.Handle, acc.ProfileURL = "mastodon", "@unops@mastodon.social", url
		if _, err := f.svc.Request(context.Background(), f.managerA, f.manager, acc, ""); !errs.Is(err, errs.Invalid) {
			t.Errorf("request with profile URL %s: %v, want ErrInvalid", url, err)
		}
	}
}

// TestImportNamesProfileURLProblem: an imported row whose profile URL is
// refused is reported against profile_url.
func TestImportNamesProfileURLProblem(t *testing.T) {
	f := newFixture(t, store.SQLite)
	csv := "platform,handle,profile_url,display_name,kind,office\n" +
		"mastodon,@unops@mastodon.social,https://evil.example/@unops,UNOPS,corporate,HQ\n"
	pv, err := f.svc.PreviewImport(context.Background(), strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range pv.Problems {
		found = found || (p.Field == "profile_url" && strings.Contains(p.Message, "instance"))
	}
	if !found {
		t.Fatalf("problems %+v: want one on profile_url", pv.Problems)
	}
}
