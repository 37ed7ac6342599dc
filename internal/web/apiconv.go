package web

// The API's conventions, the same on every /api/v1 route (docs/API.md):
// lists with keyset cursors, ETag and If-Match on single resources,
// Idempotency-Key on POST, and rate-limit headers. guard applies the last
// two; handlers call readList/writeList and writeEntity/ifMatch.

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/idempotency"
	"github.com/herald-gov/herald/internal/store"
)

// Page sizes of every list.
const (
	listDefault = 50
	listMax     = 200
)

// listReq is a list request's page: Limit and the store key to start after.
type listReq struct {
	store.Page
	scope string // the route and filters its cursors belong to
}

// readList reads ?limit= (1 to listMax, default listDefault) and ?cursor=,
// which must be one this list gave with the same filters.
func readList(r *http.Request) (listReq, error) {
	q := r.URL.Query()
	lr := listReq{Page: store.Page{Limit: listDefault}, scope: cursorScope(state(r).pattern, q)}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > listMax {
			return lr, errorf(errs.Invalid, "list_limit", "limit must be a whole number from 1 to %d", listMax)
		}
		lr.Limit = n
	}
	if c := q.Get("cursor"); c != "" {
		key, ok := openCursor(lr.scope, c)
		if !ok {
			return lr, errorf(errs.Invalid, "list_cursor", "the cursor is not one this list gave with these filters; start again without it")
		}
		lr.After = key
	}
	return lr, nil
}

// writeList answers {"items": [...], "next_cursor": ...}: items holds up
// to Limit+1 rows read after the cursor; the extra one says another page
// follows, whose cursor is the store key of the last row shown, key(i) for
// items[i].
func writeList[T any](w http.ResponseWriter, lr listReq, items []T, key func(i int) string) {
	out := struct {
		Items      []T     `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}{Items: items}
	if len(items) > lr.Limit {
		out.Items = items[:lr.Limit]
		c := sealCursor(lr.scope, key(lr.Limit-1))
		out.NextCursor = &c
	}
	if out.Items == nil {
		out.Items = []T{}
	}
	writeJSON(w, http.StatusOK, out)
}

// writeRows answers rows as writeList does, each turned into its API form
// by to; key(i) is the store key of rows[i].
func writeRows[T, U any](w http.ResponseWriter, lr listReq, rows []T, to func(*T) U, key func(i int) string) {
	items := make([]U, len(rows))
	for i := range rows {
		items[i] = to(&rows[i])
	}
	writeList(w, lr, items, key)
}

// cursorScope names a list and its filters: every query parameter but the
// page's own.
func cursorScope(pattern string, q url.Values) string {
	var b strings.Builder
	b.WriteString(pattern)
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "cursor" && k != "limit" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + strings.Join(q[k], "\x01"))
	}
	return b.String()
}

// A cursor is base64url of a check (8 bytes of SHA-256 over the scope and
// the key) and the store's key. The check refuses cursors that were edited,
// cut, or come from another list or filters; it is not a secret, and need
// not be: a key only says where a page starts, and every page is filtered
// by the asker's permissions.
func sealCursor(scope, key string) string {
	sum := sha256.Sum256([]byte(scope + "\x00" + key))
	return base64.RawURLEncoding.EncodeToString(append(sum[:8], key...))
}

func openCursor(scope, cursor string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) <= 8 {
		return "", false
	}
	key := string(raw[8:])
	sum := sha256.Sum256([]byte(scope + "\x00" + key))
	return key, bytes.Equal(raw[:8], sum[:8])
}

// entityResult answers err as every API error is answered, or else v in
// its API form, to(v), with its ETag.
func entityResult[T, U any](s *Server, w http.ResponseWriter, r *http.Request, v T, err error, to func(T) U) {
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeEntity(w, http.StatusOK, to(v))
}

// writeEntity answers a single resource with its ETag: a strong validator
// over the JSON written, so any change to what the asker sees changes it.
func writeEntity(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own response types always marshal
	}
	body = append(body, '\n')
	w.Header().Set("ETag", etagOf(body))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// entityTag is the ETag writeEntity gives v.
func entityTag(v any) string {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return etagOf(append(body, '\n'))
}

// ifMatch refuses an update (PATCH, PUT) unless If-Match names the current
// representation, v (as the asker would GET it): 428 without the header,
// 412 when the resource changed since. "*" is not enough: the point is to
// know what one changes.
func ifMatch(r *http.Request, v any) error {
	h := r.Header.Get("If-Match")
	if h == "" {
		return errorf(errs.PreconditionRequired, "if_match_required",
			"send If-Match with the ETag of your last GET of this resource, so an update cannot undo someone else's")
	}
	current := entityTag(v)
	for _, t := range strings.Split(h, ",") {
		if strings.TrimSpace(t) == current {
			return nil
		}
	}
	return errorf(errs.PreconditionFailed, "if_match_stale",
		"this resource changed since the ETag you sent; GET it again, then send your change with its new ETag")
}

// idempotent runs next under the request's Idempotency-Key, if any
// (the rule is internal/idempotency's); a request without a key, or
// without a token, runs as it is.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	key := r.Header.Get("Idempotency-Key")
	st := state(r)
	if key == "" || r.Method != http.MethodPost || st.token == nil {
		next(w, r)
		return
	}
	if err := idempotency.CheckKey(key); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	prev, err := s.idem.Begin(r.Context(), st.token.ID, key, idempotency.Fingerprint(r.Method, r.URL.RequestURI(), body))
	switch {
	case r.Context().Err() != nil:
		return
	case errors.Is(err, idempotency.ErrRunning):
		w.Header().Set("Retry-After", "1")
		s.writeAPIError(w, r, err)
	case err != nil:
		s.writeAPIError(w, r, err)
	case prev == nil:
		s.runIdempotent(w, r, key, next)
	default:
		w.Header().Set("Idempotent-Replayed", "true")
		if prev.ContentType != "" {
			w.Header().Set("Content-Type", prev.ContentType)
		}
		w.WriteHeader(prev.Status)
		w.Write(prev.Body)
	}
}

// runIdempotent runs the request that claimed key and keeps its answer,
// or lets the key go when it failed on our side.
func (s *Server) runIdempotent(w http.ResponseWriter, r *http.Request, key string, next http.HandlerFunc) {
	tokenID := state(r).token.ID
	rec := &answerRecorder{ResponseWriter: w, status: http.StatusOK}
	kept := false
	defer func() {
		if kept {
			return
		}
		// A panic or a server error: the client may try the key again.
		if err := s.idem.Release(r.Context(), tokenID, key); err != nil {
			s.log.ErrorContext(r.Context(), "release idempotency key", "request_id", requestID(r), "err", err)
		}
	}()
	next(rec, r)
	if rec.status >= 500 {
		return
	}
	if err := s.idem.Keep(r.Context(), tokenID, key, rec.status, rec.Header().Get("Content-Type"), rec.body.Bytes()); err != nil {
		s.log.ErrorContext(r.Context(), "keep idempotent answer", "request_id", requestID(r), "err", err)
		return
	}
	kept = true
}

// answerRecorder passes an answer through and keeps a copy.
type answerRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(code int) {
	if !a.wrote {
		a.status, a.wrote = code, true
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	a.wrote = true
	a.body.Write(b)
	return a.ResponseWriter.Write(b)
}

func (a *answerRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// apiRateLimit counts an API request against its token (or, without one,
// its address) and sets the rate-limit headers of
// draft-ietf-httpapi-ratelimit-headers-07 (RateLimit-Limit,
// RateLimit-Remaining, RateLimit-Reset in seconds); false means it was
// refused with 429 and Retry-After.
func (s *Server) apiRateLimit(w http.ResponseWriter, r *http.Request) bool {
	st := state(r)
	key := "addr:" + st.addr
	if st.token != nil {
		key = "token:" + strconv.FormatInt(st.token.ID, 10)
	}
	ok, remaining, reset := s.apiRL.take(key)
	secs := strconv.Itoa(int(math.Ceil(reset.Seconds())))
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(s.apiRL.n))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", secs)
	if !ok {
		h.Set("Retry-After", secs)
		s.writeAPIError(w, r, errorf(errs.TooMany, "api_rate_limit",
			"more than %d API requests in a minute; retry after %s seconds", s.apiRL.n, secs))
	}
	return ok
}
