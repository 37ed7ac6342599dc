package web

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestOpenAPIInStep: every /api/v1 route of the table has an operation in
// openapi.json, and every operation a route.
func TestOpenAPIInStep(t *testing.T) {
	e := newTestEnv(t, nil)
	code, doc := apiDo(t, e, "GET", "/api/v1/openapi.json", "", "")
	if code != 200 || doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi.json: %d, version %v, want 3.1.0", code, doc["openapi"])
	}
	documented := map[string]bool{}
	for path, ops := range doc["paths"].(map[string]any) {
		for method := range ops.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, rt := range e.srv.routes {
		if rt.isAPI() {
			routed[rt.pattern] = true
			if !documented[rt.pattern] {
				t.Errorf("route %q (routes.go) has no operation in internal/web/openapi.json: add one", rt.pattern)
			}
		}
	}
	for op := range documented {
		if !routed[op] {
			t.Errorf("openapi.json documents %q, which routes.go does not serve: remove it or add the route", op)
		}
	}
}

// apiExample is how TestOpenAPIResponses calls one route: the body to
// send (JSON unless contentType says otherwise), and headers.
type apiExample struct {
	body, contentType string
	header            []string
}

// TestOpenAPIResponses drives every /api/v1 route of the table with real
// requests against a real server, on SQLite and PostgreSQL, and validates
// each answer (status, declared headers, body) against openapi.json with
// libopenapi-validator. Each route is called with the example below, or
// with an empty JSON object; ids are those of real records. A route added
// to routes.go is driven at once; give it an example that reaches its
// success answer.
func TestOpenAPIResponses(t *testing.T) {
	spec, err := files.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("openapi.json is not valid OpenAPI 3.1: %s: %s", e.Message, e.Reason)
		}
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		admin, manager, reviewer := w.token(model.RoleAdmin), w.token(model.RoleManager), w.token(model.RoleReviewer)
		create := func(token, path, body string) string {
			t.Helper()
			code, out := apiDo(t, w.testEnv, "POST", path, token, body)
			if code >= 300 {
				t.Fatalf("POST %s: %d %v", path, code, out)
			}
			return fmt.Sprint(out["id"])
		}
		draft := create(manager, "/api/v1/drafts", fmt.Sprintf(`{"account_id":%d,"text":%q,"checklist":%s}`, w.hq.ID, cleanText, w.ticks()))
		request := create(manager, "/api/v1/account-requests", strings.Replace(spanishRequest, "}", `,"acknowledgement":"test"}`, 1))
		advice := create(manager, "/api/v1/advice", `{"question":"May we post this photo?","kind":"personal"}`)
		_, h, _ := apiReq(t, w.testEnv, "GET", "/api/v1/drafts/"+draft, manager, "", nil)
		draftETag := h.Get("ETag")
		_, h, _ = apiReq(t, w.testEnv, "GET", "/api/v1/review-settings", admin, "", nil)
		settingsETag := h.Get("ETag")

		ids := map[string]string{"drafts": draft, "account-requests": request, "advice": advice, "accounts": fmt.Sprint(w.hq.ID)}
		examples := map[string]apiExample{
			"POST /api/v1/checks":                         {body: `{"text":"Hello from Juba","platform":"x","account":{"kind":"corporate"}}`},
			"POST /api/v1/accounts":                       {body: registerBody("@openapi_check")},
			"POST /api/v1/account-requests":               {body: strings.Replace(spanishRequest, "@UNOPS_es_news", "@UNOPS_es_oas", 1)},
			"POST /api/v1/drafts":                         {body: fmt.Sprintf(`{"account_id":%d,"text":%q}`, w.hq.ID, cleanText)},
			"PUT /api/v1/drafts/{id}":                     {body: fmt.Sprintf(`{"text":%q,"checklist":%s}`, cleanText, w.ticks()), header: []string{"If-Match", draftETag}},
			"PATCH /api/v1/review-settings":               {body: `{}`, header: []string{"If-Match", settingsETag}},
			"POST /api/v1/advice":                         {body: `{"question":"Can we name the contractor?","kind":"personal"}`},
			"POST /api/v1/reports":                        {body: `{"platform":"x","handle":"@UN0PS_fake","reason":"Looks like ours"}`},
			"POST /api/v1/account-requests/{id}/decision": {body: `{"decision":"approve","comment":"Fits the strategy."}`},
			"POST /api/v1/drafts/{id}/decision":           {body: `{"decision":"request-changes","comment":"Shorter, please.","version":1}`},
			"POST /api/v1/tokens":                         {body: `{"name":"openapi","scope":"read-only"}`},
			"POST /api/v1/webhooks":                       {body: `{"url":"https://hooks.example.org/herald"}`},
			"POST /api/v1/users":                          {body: `{"email":"oas@unops.org","name":"OAS","role":"staff"}`},
		}
		// Reads first, then changes, deletions last, so that reads see the records.
		routes := slices.Clone(w.srv.routes)
		order := map[string]int{"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
		slices.SortStableFunc(routes, func(a, b route) int {
			ma, _, _ := strings.Cut(a.pattern, " ")
			mb, _, _ := strings.Cut(b.pattern, " ")
			return order[ma] - order[mb]
		})
		for _, rt := range routes {
			if !rt.isAPI() {
				continue
			}
			method, path, _ := strings.Cut(rt.pattern, " ")
			room := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
			id := ids[room]
			if id == "" {
				id = "999999"
			}
			path = strings.NewReplacer("{id}", id, "{delivery}", "999999", "{image}", "none").Replace(path)
			ex, ok := examples[rt.pattern]
			if !ok && method != "GET" && method != "DELETE" {
				ex.body = "{}"
			}
			token := admin
			if strings.HasPrefix(rt.pattern, "POST /api/v1/drafts/{id}/decision") {
				token = reviewer
			}
			req, _ := http.NewRequest(method, w.ts.URL+path, strings.NewReader(ex.body))
			req.Header.Set("Authorization", "Bearer "+token)
			if ex.body != "" {
				req.Header.Set("Content-Type", cmp.Or(ex.contentType, "application/json"))
			}
			for i := 0; i+1 < len(ex.header); i += 2 {
				req.Header.Set(ex.header[i], ex.header[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			if ok, verrs := v.ValidateHttpResponse(req, resp); !ok {
				for _, e := range verrs {
					t.Errorf("%s (%s): answer %d does not match openapi.json: %s: %s %v\n%.300s", rt.pattern, path, resp.StatusCode, e.Message, e.Reason, e.SchemaValidationErrors, body)
				}
			}
			if resp.StatusCode >= 500 {
				t.Errorf("%s (%s): %d %s", rt.pattern, path, resp.StatusCode, body)
			}
		}
	})
}
