package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// reqState is what the middleware learns about a request; handlers read it
// through state(r).
type reqState struct {
	id      string
	pattern string
	addr    string
	secure  bool
	user    *model.User
	session *model.Session
	token   *model.APIToken
	csrf    string // the token forms must carry
	lang    string // the language of the answer (lang.go)
}

type stateKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{}
}

func requestID(r *http.Request) string { return state(r).id }

// actor is who acts in this request, for the audit trail.
func actor(r *http.Request) model.Actor {
	st := state(r)
	if st.user == nil {
		return model.Actor{Email: "anonymous", Addr: st.addr}
	}
	return model.Actor{UserID: st.user.ID, Email: st.user.Email, Addr: st.addr}
}

const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// validRequestID accepts a client's X-Request-Id only if it is short and
// plain, so it cannot forge log lines.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (sr *statusRecorder) WriteHeader(code int) {
	if !sr.wrote {
		sr.status, sr.wrote = code, true
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Write(b []byte) (int, error) {
	sr.wrote = true
	return sr.ResponseWriter.Write(b)
}

func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

// outer wraps every request: request id, security headers, panic recovery,
// metrics and the request log (path without query, never a cookie or token).
func (s *Server) outer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		st := &reqState{id: id, addr: s.clientAddr(r), secure: s.secure(r)}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		h := w.Header()
		h.Set("X-Request-Id", id)
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if st.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if !rec.wrote {
					s.fail(rec, r, errors.New("panic"))
				}
			}
			pattern := st.pattern
			if pattern == "" {
				pattern = "unmatched"
			}
			d := time.Since(start)
			s.metrics.observe(pattern, rec.status, d)
			attrs := []any{"request_id", id, "method", r.Method, "path", r.URL.Path, "route", pattern,
				"status", rec.status, "duration_ms", float64(d.Microseconds()) / 1000, "addr", st.addr}
			if st.user != nil {
				attrs = append(attrs, "user_id", st.user.ID)
			}
			s.log.InfoContext(r.Context(), "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// headerRecorder captures what ServeMux would answer for an unmatched request.
type headerRecorder struct {
	h      http.Header
	status int
}

func (hr *headerRecorder) Header() http.Header         { return hr.h }
func (hr *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (hr *headerRecorder) WriteHeader(code int)        { hr.status = code }

// unmatched answers requests no route matches in the application's own
// format: JSON errors under /api/, the HTML error page elsewhere.
func (s *Server) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		hr := &headerRecorder{h: http.Header{}, status: http.StatusNotFound}
		h.ServeHTTP(hr, r)
		if allow := hr.h.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		kind := errs.NotFound
		if hr.status == http.StatusMethodNotAllowed {
			kind = errs.MethodNotAllowed
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			state(r).lang = s.defaultLang(r)
			if allow := w.Header().Get("Allow"); kind == errs.MethodNotAllowed && allow != "" {
				s.writeAPIError(w, r, errorf(kind, "method_not_allowed", "%s is not allowed on %s; use %s", r.Method, r.URL.Path, allow))
				return
			}
			s.writeAPIError(w, r, errorf(kind, "no_route", "no such route: %s %s", r.Method, r.URL.Path))
			return
		}
		s.loadSession(w, r, state(r))
		state(r).lang = s.chooseLang(w, r)
		status, _ := httpStatus(kind)
		s.renderStatus(w, r, status, pageTitleFor(r, status), "")
	})
}

// guard runs a route: it authenticates, checks the route's permission and,
// for forms, the CSRF token, then calls the handler.
func (s *Server) guard(rt route) http.Handler {
	api := rt.isAPI()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		st.pattern = rt.pattern
		r.Body = http.MaxBytesReader(w, r.Body, max(s.cfg.MaxBodyBytes, rt.maxBody))
		if api {
			st.lang = s.defaultLang(r)
			err := s.authenticateBearer(r, st)
			if !s.apiRateLimit(w, r) {
				return
			}
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="herald"`)
				s.writeAPIError(w, r, err)
				return
			}
		} else {
			s.loadSession(w, r, st)
			st.lang = s.chooseLang(w, r)
		}
		if rt.perm != auth.Public {
			if st.user == nil {
				if api {
					w.Header().Set("WWW-Authenticate", `Bearer realm="herald"`)
					s.writeAPIError(w, r, errorf(errs.Unauthorized, "sign_in_first_send", "sign in first: send Authorization: Bearer TOKEN"))
					return
				}
				next := ""
				if r.Method == http.MethodGet {
					next = "?next=" + url.QueryEscape(r.URL.RequestURI())
				}
				http.Redirect(w, r, "/signin"+next, http.StatusSeeOther)
				return
			}
			if st.token != nil && auth.Allowed(st.user.Role, rt.perm) && !auth.ScopeAllows(st.token.Scope, rt.perm, r.Method) {
				s.writeAPIError(w, r, errorf(errs.Forbidden, "token_scope", "this token's scope (%s) does not allow this; use a token with a wider scope", st.token.Scope))
				return
			}
			if !auth.Allowed(st.user.Role, rt.perm) {
				if api {
					s.writeAPIError(w, r, errorf(errs.Forbidden, "your_role_may_not", "your role (%s) may not do this", st.user.Role))
				} else {
					s.renderStatus(w, r, http.StatusForbidden, pageTitleFor(r, http.StatusForbidden),
						tr(r, "error.role_no_access", tr(r, "role."+string(st.user.Role))))
				}
				return
			}
			if auth.MustChange(st.user.PasswordHash) && !passwordChangeRoute[rt.pattern] {
				if api {
					s.writeAPIError(w, r, errMustChange)
					return
				}
				http.Redirect(w, r, "/settings", http.StatusSeeOther)
				return
			}
		}
		if api {
			s.idempotent(w, r, rt.handler)
			return
		}
		if unsafeMethod(r.Method) {
			if err := s.checkCSRF(r, st); err != nil {
				s.renderStatus(w, r, http.StatusForbidden, tr(r, "error.form_refused"), message(r, err))
				return
			}
		}
		rt.handler(w, r)
	})
}

// errMustChange refuses the API to a user whose one-time password is not
// changed yet: the token would otherwise outlive the rule the web UI keeps.
var errMustChange = errs.E(errs.Forbidden, "password.must_change",
	"Change your password first: sign in on the web and set a new one on the Settings page.")

// passwordChangeRoute are the routes a user whose password must change may use.
var passwordChangeRoute = map[string]bool{
	"GET /settings": true, "POST /settings/password": true, "POST /signout": true,
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// authenticateBearer reads an API token; no Authorization header leaves the
// request anonymous. The token and its user are read from the database on
// every request, so a revocation, a disabled user or a new role applies at
// once on every instance. Its last use is written at most once a minute.
func (s *Server) authenticateBearer(r *http.Request, st *reqState) error {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errorf(errs.Unauthorized, "the_authorization_header_must", "the Authorization header must be \"Bearer TOKEN\"")
	}
	t, u, err := s.store.TokenByHash(r.Context(), auth.HashToken(strings.TrimSpace(token)))
	if errs.Is(err, errs.NotFound) {
		return errorf(errs.Unauthorized, "the_api_token_is", "the API token is unknown or revoked")
	}
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return errorf(errs.Unauthorized, "token_expired", "the API token expired at %s; create a new one", t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	st.user, st.token = u, t
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= time.Minute {
		if err := s.store.TouchToken(r.Context(), t.ID, now); err != nil {
			s.log.WarnContext(r.Context(), "touch token", "request_id", st.id, "err", err)
		}
	}
	return nil
}

// checkCSRF refuses cross-site form posts: the browser's Sec-Fetch-Site and
// Origin must say same origin, and the form (or X-CSRF-Token header) must
// carry the session's token (before sign-in: the csrf cookie's).
func (s *Server) checkCSRF(r *http.Request, st *reqState) error {
	refused := errorf(errs.Forbidden, "form_refused", "this form was refused because it did not come from this site or has expired; reload the page and try again")
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return refused
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != r.Host {
			return refused
		}
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	if st.csrf == "" || subtle.ConstantTimeCompare([]byte(got), []byte(st.csrf)) != 1 {
		return refused
	}
	return nil
}

// clientAddr is the client's IP address: the connection's, or with
// TrustProxy the last X-Forwarded-For entry (the one our proxy added).
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secure reports whether the client reached us over TLS.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
