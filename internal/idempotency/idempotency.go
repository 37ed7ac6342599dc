// Package idempotency holds the API's Idempotency-Key rule (docs/API.md):
// a POST that a token sends with a key runs once; its answer is kept for
// store.IdempotencyWindow and given again to a repeat of the same request
// (method, path, query and body). The same key with another request is
// refused; a repeat while the first still runs waits for its answer, up to
// Wait, then is refused as running. Server errors are not kept, so the
// request may be tried again. Web records and replays the HTTP answer;
// the rule and the store calls live here.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/store"
)

// MaxKey is the longest key accepted, in bytes.
const MaxKey = 255

// The refusals of Begin; callers compare with errors.Is.
var (
	ErrReused = errs.E(errs.Unprocessable, "idempotency.key_reused",
		"this Idempotency-Key was sent in the last 24 hours with another request; use a new key for a new request")
	ErrRunning = errs.E(errs.Conflict, "idempotency.key_running",
		"a request with this Idempotency-Key is still running; send it again in a moment for its answer")
)

// Service keeps the tokens' keys and answers.
type Service struct {
	Store *store.Store
	Now   func() time.Time // nil: time.Now
	Wait  time.Duration    // how long a repeat waits for the first answer; 0: 10 s
	Poll  time.Duration    // how often it looks; 0: 50 ms
}

// CheckKey refuses a key that is not 1 to MaxKey visible ASCII characters.
func CheckKey(key string) error {
	if key == "" || len(key) > MaxKey || strings.ContainsFunc(key, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
		return errs.Errorf(errs.Invalid, "idempotency.key_form",
			"Idempotency-Key must be 1 to %d visible ASCII characters, e.g. a UUID", MaxKey)
	}
	return nil
}

// Fingerprint names a request: its method, path with query, and body.
func Fingerprint(method, requestURI string, body []byte) string {
	sum := sha256.New()
	sum.Write([]byte(method + " " + requestURI + "\n"))
	sum.Write(body)
	return hex.EncodeToString(sum.Sum(nil))
}

// Begin claims key for the token's request named by fingerprint. It
// returns nil, nil when this request is to run (then Keep or Release its
// answer), the earlier answer when this is a repeat, ErrReused or
// ErrRunning when it must be refused, or the store's error.
func (s *Service) Begin(ctx context.Context, tokenID int64, key, fingerprint string) (*store.IdempotentAnswer, error) {
	wait, poll := s.Wait, s.Poll
	if wait <= 0 {
		wait = 10 * time.Second
	}
	if poll <= 0 {
		poll = 50 * time.Millisecond
	}
	prev, err := s.Store.ClaimIdempotencyKey(ctx, tokenID, key, fingerprint, s.now())
	for deadline := time.Now().Add(wait); err == nil && running(prev, fingerprint) && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(poll):
		}
		if prev, err = s.Store.IdempotentAnswerOf(ctx, tokenID, key); errs.Is(err, errs.NotFound) {
			// The first request failed and let the key go: this one runs.
			prev, err = s.Store.ClaimIdempotencyKey(ctx, tokenID, key, fingerprint, s.now())
		}
	}
	switch {
	case err != nil || prev == nil:
		return nil, err
	case prev.Fingerprint != fingerprint:
		return nil, ErrReused
	case prev.Status == 0:
		return nil, ErrRunning
	}
	return prev, nil
}

// running reports whether prev is the same request, still without an answer.
func running(prev *store.IdempotentAnswer, fingerprint string) bool {
	return prev != nil && prev.Status == 0 && prev.Fingerprint == fingerprint
}

// Keep stores the answer of the request that claimed key.
func (s *Service) Keep(ctx context.Context, tokenID int64, key string, status int, contentType string, body []byte) error {
	return s.Store.SaveIdempotentAnswer(ctx, tokenID, key, status, contentType, body)
}

// Release lets key go after its request failed on our side.
func (s *Service) Release(ctx context.Context, tokenID int64, key string) error {
	return s.Store.ReleaseIdempotencyKey(ctx, tokenID, key)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
