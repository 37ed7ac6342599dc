// Package webhook tells other systems what happened in Herald, following
// the Standard Webhooks specification (standardwebhooks.com): each message
// is POSTed as JSON {"type", "timestamp", "data"} with the headers
// webhook-id, webhook-timestamp and webhook-signature, the signature being
// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" under the
// endpoint's secret ("whsec_" and the base64 of 32 random bytes, shown once).
//
// The messages are written by the store in the transaction of the change
// they report; this package registers endpoints, signs, delivers with
// retries, logs every attempt, disables endpoints that keep failing and
// redelivers on request.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of the specification.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix marks a symmetric signing secret.
const SecretPrefix = "whsec_"

// secretBytes is the length of the secrets Herald makes (the specification
// asks for 24 to 64).
const secretBytes = 32

// Verification errors.
var (
	ErrMissingHeader = errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature header")
	ErrBadTimestamp  = errors.New("webhook: timestamp outside the tolerance")
	ErrNoMatch       = errors.New("webhook: no signature matches")
	ErrBadSecret     = errors.New("webhook: the secret is not whsec_ and base64")
)

// NewSecret returns a new signing secret: "whsec_" and base64 of 32 random bytes.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// decodeSecret returns the key bytes of a secret, with or without its prefix.
func decodeSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || len(key) == 0 {
		return nil, ErrBadSecret
	}
	return key, nil
}

// Sign returns the webhook-signature value ("v1,<base64>") of body sent as
// message id at time ts.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body)), nil
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(strconv.FormatInt(unix, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a received webhook as a receiver must: the three headers
// present, the timestamp within tolerance of now (either way), and one of
// the space-separated "v1," signatures equal, in constant time, to the
// HMAC of "id.timestamp.body". Signatures of other versions are skipped.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := decodeSecret(secret)
	if err != nil {
		return err
	}
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return ErrMissingHeader
	}
	unix, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not a Unix time", ErrBadTimestamp, tsText)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return ErrBadTimestamp
	}
	want := mac(key, id, unix, body)
	for _, sig := range strings.Fields(sigs) {
		version, value, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrNoMatch
}
