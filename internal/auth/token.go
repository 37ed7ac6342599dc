package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns 32 random bytes, URL-safe base64: session cookies, API
// tokens, CSRF tokens, OIDC state and nonce.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand never fails on supported platforms (Go 1.24+ crashes instead).
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the store keeps of a session or API token: hex SHA-256.
// A plain hash suffices: the tokens carry 256 random bits.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// APITokenPrefix starts every API token, so a leaked one is recognizable.
const APITokenPrefix = "hrld_"

// NewAPIToken returns a fresh API token.
func NewAPIToken() string { return APITokenPrefix + NewToken() }

// NewPassword returns a random one-time password of 20 URL-safe characters.
func NewPassword() string { return NewToken()[:20] }
