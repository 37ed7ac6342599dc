package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestServeDemoShowsHealth: the first start of herald serve --demo, on
// either database, shows health from a year of seeded activity: the admin's
// dashboard lists at-risk accounts with why, and an account page has its
// charts.
func TestServeDemoShowsHealth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		base, _, stop := startServe(t, storetest.URL(t, dialect), "--demo")
		defer stop()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		get := func(path string) string {
			t.Helper()
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
			return string(b)
		}
		csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get("/signin"))
		if csrf == nil {
			t.Fatal("no CSRF token on the sign-in page")
		}
		resp, err := c.PostForm(base+"/demo/signin", url.Values{"csrf": {csrf[1]}, "role": {"admin"}})
		if err != nil {
			t.Fatal(err)
		}
		dash, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		risk := regexp.MustCompile(`id="at-risk-link-(\d+)"`).FindStringSubmatch(string(dash))
		if resp.StatusCode != http.StatusOK || risk == nil || !strings.Contains(string(dash), `data-code="no-recent-posts"`) {
			t.Fatalf("the first dashboard shows no account at risk with its reason (%d):\n%s", resp.StatusCode, dash)
		}
		page := get("/accounts/" + risk[1])
		for _, want := range []string{`id="health-state"`, `id="chart-posts"`, "<svg"} {
			if !strings.Contains(page, want) {
				t.Errorf("the at-risk account's page lacks %s", want)
			}
		}
		healthy := 0
		for _, m := range regexp.MustCompile(`href="/accounts/(\d+)"`).FindAllStringSubmatch(get("/accounts?status=active"), -1) {
			if strings.Contains(get("/accounts/"+m[1]), `class="health health-healthy"`) {
				healthy++
			}
		}
		if healthy == 0 {
			t.Error("no active account's page shows it healthy")
		}
	})
}
