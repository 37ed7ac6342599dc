package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// Error codes of the API's JSON errors.
const (
	codeInvalid          = "invalid"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeConflict         = "conflict"
	codeTooLarge         = "too_large"
	codeUnsupported      = "unsupported_media_type"
	codeThrottled        = "throttled"
	codeInternal         = "internal"
	codeUnavailable      = "unavailable"
	codeUnprocessable    = "unprocessable"
)

// statusOf is the one place that maps error codes to HTTP statuses.
var statusOf = map[string]int{
	codeInvalid:          http.StatusBadRequest,
	codeUnauthorized:     http.StatusUnauthorized,
	codeForbidden:        http.StatusForbidden,
	codeNotFound:         http.StatusNotFound,
	codeMethodNotAllowed: http.StatusMethodNotAllowed,
	codeConflict:         http.StatusConflict,
	codeTooLarge:         http.StatusRequestEntityTooLarge,
	codeUnsupported:      http.StatusUnsupportedMediaType,
	codeThrottled:        http.StatusTooManyRequests,
	codeInternal:         http.StatusInternalServerError,
	codeUnavailable:      http.StatusServiceUnavailable,
	codeUnprocessable:    http.StatusUnprocessableEntity,
}

// apiError is an error with a code and a message fit to show a client.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, a ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, a...)}
}

// toAPIError turns any error into one a client may see: store errors get
// their codes, anything unexpected becomes "Internal error." (the details go
// to the log only).
func toAPIError(err error) *apiError {
	var ae *apiError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &mbe):
		return errorf(codeTooLarge, "the request body is larger than %d bytes", mbe.Limit)
	case reviewError(err) != nil:
		return reviewError(err)
	case errors.Is(err, store.ErrNotFound):
		return errorf(codeNotFound, "not found")
	case errors.Is(err, store.ErrConflict):
		return errorf(codeConflict, "that already exists")
	case errors.Is(err, registry.ErrSelfDecision), errors.Is(err, registry.ErrForbidden):
		return errorf(codeForbidden, "%v", err)
	case errors.Is(err, registry.ErrBadTransition):
		return errorf(codeConflict, "%v", err)
	case errors.Is(err, registry.ErrReasonRequired), errors.Is(err, registry.ErrBadHandle),
		errors.Is(err, store.ErrInvalid), errors.As(err, new(*registry.ImportError)),
		errors.Is(err, monitor.ErrChecklist):
		// These messages are written for the person who sent the data.
		return errorf(codeInvalid, "%v", err)
	}
	return errorf(codeInternal, "Internal error.")
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeAPIError writes err as {"error":{"code","message"}} with its status.
func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if ae.Code == codeInternal {
		s.log.ErrorContext(r.Context(), "internal error", "request_id", requestID(r), "err", err)
	}
	writeJSON(w, statusOf[ae.Code], map[string]*apiError{"error": ae})
}

// pageError shows err on the HTML error page with the status the API would
// give it, so pages and API agree on what each error means.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if ae.Code == codeInternal {
		s.fail(w, r, err)
		return
	}
	status := statusOf[ae.Code]
	s.renderStatus(w, r, status, pageTitleFor(status), ae.Message)
}
