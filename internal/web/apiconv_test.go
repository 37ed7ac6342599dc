package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func registerBody(handle string) string {
	return fmt.Sprintf(`{"platform":"instagram","handle":"%s","kind":"country-office","display_name":"UNOPS %s","office":"HQ","email":"comms@unops.org"}`, handle, handle)
}

func handles(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(it["handle"]))
	}
	return out
}

// TestAPIListCursors: pages of a list go on from where the last one ended
// whatever is inserted before, in every sort order; a cursor that was
// edited or belongs to other filters is refused; limits are checked.
func TestAPIListCursors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		admin := e.token(model.RoleAdmin)
		for _, sort := range []string{"handle", "-created", "name", "platform"} {
			path := "/api/v1/accounts?limit=3&sort=" + sort
			code, first := apiDo(t, e, "GET", path, admin, "")
			cursor, _ := first["next_cursor"].(string)
			if code != http.StatusOK || cursor == "" || len(first["items"].([]any)) != 3 {
				t.Fatalf("%s: first page %d %v", sort, code, first)
			}
			last := first["items"].([]any)[2].(map[string]any)["handle"]
			// New accounts that sort first and last by handle and name, and newest.
			for _, h := range []string{"@aaa" + strings.TrimPrefix(sort, "-"), "@zzz" + strings.TrimPrefix(sort, "-")} {
				if code, out := apiDo(t, e, "POST", "/api/v1/accounts", admin, registerBody(h)); code != http.StatusCreated {
					t.Fatalf("register %s: %d %v", h, code, out)
				}
			}
			now := handles(apiList(t, e, path, admin))
			i := slices.Index(now, fmt.Sprint(last))
			got := handles(apiList(t, e, path+"&cursor="+url.QueryEscape(cursor), admin))
			if i < 0 || !reflect.DeepEqual(got, now[i+1:]) {
				t.Errorf("%s: after inserts the pages after %v are %v, want %v", sort, last, got, now[i+1:])
			}
		}

		code, first := apiDo(t, e, "GET", "/api/v1/accounts?limit=2", admin, "")
		cursor := first["next_cursor"].(string)
		raw, _ := base64.RawURLEncoding.DecodeString(cursor)
		raw[len(raw)-2] ^= 1
		for name, path := range map[string]string{
			"edited":        "/api/v1/accounts?limit=2&cursor=" + base64.RawURLEncoding.EncodeToString(raw),
			"cut":           "/api/v1/accounts?limit=2&cursor=" + cursor[:len(cursor)-3],
			"other filters": "/api/v1/accounts?limit=2&kind=corporate&cursor=" + cursor,
			"other list":    "/api/v1/notifications?cursor=" + cursor,
			"limit 0":       "/api/v1/accounts?limit=0",
			"limit 201":     "/api/v1/accounts?limit=201",
		} {
			code, out := apiDo(t, e, "GET", path, admin, "")
			if code != http.StatusBadRequest || out["error"].(map[string]any)["code"] != "invalid" {
				t.Errorf("%s cursor: %d %v, want 400 invalid", name, code, out)
			}
		}
		if code != http.StatusOK {
			t.Fatal(code)
		}
		if code, out := apiDo(t, e, "GET", "/api/v1/accounts?limit=200", admin, ""); code != http.StatusOK || out["next_cursor"] != nil {
			t.Errorf("one page of everything: %d next_cursor %v, want null", code, out["next_cursor"])
		}
	})
}

// TestAPIIdempotencyKey: a repeated POST with the same key is answered
// from the first, at once or while the first runs, and runs once; another
// body with the key is 422; other tokens have their own keys.
func TestAPIIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		admin := e.token(model.RoleAdmin)
		post := func(token, key, body string) (int, http.Header, map[string]any) {
			t.Helper()
			return apiReq(t, e, "POST", "/api/v1/accounts", token, body, []string{"Idempotency-Key", key})
		}
		code, h1, first := post(admin, "k-1", registerBody("@idem1"))
		if code != http.StatusCreated || h1.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first: %d %v", code, first)
		}
		code, h2, again := post(admin, "k-1", registerBody("@idem1"))
		if code != http.StatusCreated || !reflect.DeepEqual(again, first) || h2.Get("Idempotent-Replayed") != "true" {
			t.Errorf("repeat: %d %v %v, want the first answer replayed", code, again, h2)
		}
		if code, _, out := post(admin, "k-1", registerBody("@idem2")); code != http.StatusUnprocessableEntity || out["error"] == nil {
			t.Errorf("same key, other body: %d %v, want 422", code, out)
		}
		// Without a key the same request runs again: the handle is taken.
		if code, out := apiDo(t, e, "POST", "/api/v1/accounts", admin, registerBody("@idem1")); code != http.StatusConflict {
			t.Errorf("without a key: %d %v, want 409", code, out)
		}
		// Another token's key is its own: it runs (and meets the duplicate).
		if code, _, out := post(e.token(model.RoleAdmin), "k-1", registerBody("@idem1")); code != http.StatusConflict {
			t.Errorf("another token, same key: %d %v, want 409", code, out)
		}
		if code, _, out := post(admin, strings.Repeat("x", 256), registerBody("@idem3")); code != http.StatusBadRequest {
			t.Errorf("a 256-character key: %d %v, want 400", code, out)
		}

		// Ten at once with one key: one account, ten equal answers.
		var wg sync.WaitGroup
		answers := make([]string, 10)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, _, out := post(admin, "k-race", registerBody("@idemrace"))
				answers[i] = fmt.Sprint(code, out)
			}()
		}
		wg.Wait()
		for i, a := range answers {
			if a != answers[0] || !strings.HasPrefix(a, "201 ") {
				t.Fatalf("concurrent answer %d: %s, answer 0: %s", i, a, answers[0])
			}
		}
		n := 0
		for _, h := range handles(apiList(t, e, "/api/v1/accounts?q=idemrace", admin)) {
			if h == "@idemrace" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("concurrent duplicates registered %d accounts, want 1", n)
		}
	})
}

// TestAPIRateLimitHeaders: every API answer says the limit, what is left
// and when the window ends; past the limit the answer is 429 in the error
// envelope with Retry-After.
func TestAPIRateLimitHeaders(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), func(c *Config, _ *Services) { c.APIRateLimit = 3 })
	tok := e.token(model.RoleStaff)
	for i, want := range []string{"2", "1", "0"} {
		code, h, out := apiReq(t, e, "GET", "/api/v1/me", tok, "", nil)
		if code != http.StatusOK || h.Get("RateLimit-Limit") != "3" || h.Get("RateLimit-Remaining") != want || h.Get("RateLimit-Reset") == "" {
			t.Fatalf("request %d: %d %v %v", i, code, h, out)
		}
	}
	code, h, out := apiReq(t, e, "GET", "/api/v1/me", tok, "", nil)
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" || out["error"].(map[string]any)["code"] != "throttled" {
		t.Errorf("over the limit: %d %v %v", code, h, out)
	}
	// Another token counts for itself.
	if code, _, _ := apiReq(t, e, "GET", "/api/v1/me", e.token(model.RoleStaff), "", nil); code != http.StatusOK {
		t.Errorf("another token: %d", code)
	}
}
