// Package errs is Herald's one error vocabulary. Domain packages and the
// store return *Error values; internal/web maps their Kind to an HTTP status
// in one function and shows their Message. An error that is not an *Error
// is unexpected: it is logged with the request id and the person sees only a
// reference.
//
// Message is written for the person who sees it: no package prefix, no
// driver text. Key names the message for translations (it stays the same
// when the English wording changes); Args are the values the message was
// formatted with, in order. Err is the cause, for the log only.
package errs

import (
	"errors"
	"fmt"
)

// Kind says what went wrong, in terms the caller can act on.
type Kind string

// The kinds. The last three describe the form of a request rather than its
// meaning; they are here so that web has one mapping for everything.
const (
	Invalid       Kind = "invalid"       // bad input: fix it and send again
	NotFound      Kind = "not_found"     // no such thing, or one the asker may not see
	Conflict      Kind = "conflict"      // the state does not allow it (duplicate, stale version, refused transition)
	Forbidden     Kind = "forbidden"     // the asker may not do this
	Unauthorized  Kind = "unauthorized"  // the asker is not signed in
	Unprocessable Kind = "unprocessable" // well formed but incomplete (checklist, consent)
	TooMany       Kind = "too_many"      // throttled: try again later
	Unavailable   Kind = "unavailable"   // a platform or service is down or refused
	Internal      Kind = "internal"      // a bug or an outage: details in the log only

	TooLarge         Kind = "too_large"              // a body or file over its limit
	Unsupported      Kind = "unsupported_media_type" // a file of a type not accepted
	MethodNotAllowed Kind = "method_not_allowed"     // the path exists, the method does not

	PreconditionRequired Kind = "precondition_required" // an update without If-Match
	PreconditionFailed   Kind = "precondition_failed"   // an update whose If-Match is stale
)

// Error is an error fit to show a person.
type Error struct {
	Kind    Kind
	Key     string // the message's key for translations, e.g. "draft.stale"
	Message string // for the person who sees it
	Args    []any  // the values Message was formatted with
	Err     error  // the cause, for the log; never shown
}

// Error is the message, with the cause after it for the log.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E returns an error of kind with a fixed message; packages keep the ones
// callers test for as variables (errors.Is compares them by identity).
func E(kind Kind, key, msg string) *Error {
	return &Error{Kind: kind, Key: key, Message: msg}
}

// Errorf returns an error of kind whose message is formatted from args.
func Errorf(kind Kind, key, format string, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Message: fmt.Sprintf(format, args...), Args: args}
}

// Wrap returns an error of kind that shows msg and keeps cause for the log.
func Wrap(kind Kind, key, msg string, cause error) *Error {
	return &Error{Kind: kind, Key: key, Message: msg, Err: cause}
}

// KindOf is the kind of the outermost *Error in err's chain; Internal when
// there is none, "" for nil.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is of kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// Of returns the outermost *Error in err's chain; an error without one
// becomes an Internal error that shows nothing of it.
func Of(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Internal, Key: "internal", Message: "Something went wrong.", Err: err}
}

// With returns an error of e's kind that says more: its own key and
// message, and e as its cause, so errors.Is(err, e) still holds.
func (e *Error) With(key, format string, args ...any) *Error {
	return &Error{Kind: e.Kind, Key: key, Message: fmt.Sprintf(format, args...), Args: args, Err: e}
}
