package web

import (
	"errors"
	"net/http"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
)

// statuses are the HTTP status of each error kind. The API's code is the
// kind's name, except too_many, which the API has always called throttled:
// the codes are a contract (docs/ARCHITECTURE.md).
var statuses = map[errs.Kind]int{
	errs.Invalid:          http.StatusBadRequest,
	errs.Unauthorized:     http.StatusUnauthorized,
	errs.Forbidden:        http.StatusForbidden,
	errs.NotFound:         http.StatusNotFound,
	errs.MethodNotAllowed: http.StatusMethodNotAllowed,
	errs.Conflict:         http.StatusConflict,
	errs.TooLarge:         http.StatusRequestEntityTooLarge,
	errs.Unsupported:      http.StatusUnsupportedMediaType,
	errs.Unprocessable:    http.StatusUnprocessableEntity,
	errs.TooMany:          http.StatusTooManyRequests,
	errs.Unavailable:      http.StatusServiceUnavailable,
	errs.Internal:         http.StatusInternalServerError,

	errs.PreconditionRequired: http.StatusPreconditionRequired,
	errs.PreconditionFailed:   http.StatusPreconditionFailed,
}

// httpStatus is the one place that maps an error's kind to the HTTP status
// and the API's error code, for pages and the API alike; an unknown kind is
// internal.
func httpStatus(k errs.Kind) (status int, code string) {
	status, ok := statuses[k]
	switch {
	case !ok:
		return http.StatusInternalServerError, string(errs.Internal)
	case k == errs.TooMany:
		return status, "throttled"
	}
	return status, string(k)
}

// apiError is what a person or client is shown of an error.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`

	kind   errs.Kind
	status int
}

// errorf is an error of kind made in web, with a message for the person.
func errorf(kind errs.Kind, key, format string, a ...any) *errs.Error {
	return errs.Errorf(kind, "web."+key, format, a...)
}

// size is a number of bytes, written in the reader's language (In).
type size int64

func (n size) String() string        { return n.In("en") }
func (n size) In(lang string) string { return i18n.Size(lang, int64(n)) }

// toAPIError turns any error into what may be shown, in lang: an
// *errs.Error keeps its message (translated by its key); anything else is
// unexpected and shows only a reference (the request id), its details go to
// the log (see problem).
func toAPIError(lang string, err error) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.Errorf(errs.TooLarge, "web.body_too_large", "the request body is larger than %s", size(mbe.Limit))
	}
	e := errs.Of(err)
	status, code := httpStatus(e.Kind)
	return &apiError{Code: code, Message: localize(lang, e), kind: e.Kind, status: status}
}

// problem is toAPIError for a request: an unexpected error is logged with
// the request id, and its message names that id as the reference.
func (s *Server) problem(r *http.Request, err error) *apiError {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal {
		s.log.ErrorContext(r.Context(), "internal error", "request_id", requestID(r), "err", err)
		ae.Message = tr(r, "error.internal_reference", requestID(r))
	}
	return ae
}

// writeAPIError writes err as {"error":{"code","message"}} with its status.
func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	ae := s.problem(r, err)
	writeJSON(w, ae.status, map[string]*apiError{"error": ae})
}

// pageError shows err on the HTML error page with the status the API would
// give it, so pages and API agree on what each error means.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	ae := s.problem(r, err)
	s.renderStatus(w, r, ae.status, pageTitleFor(r, ae.status), ae.Message)
}
