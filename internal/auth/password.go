// Package auth holds what sign-in needs and nothing of HTTP: password
// hashing, random tokens, roles and their permissions, login throttling and
// OpenID Connect single sign-on.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (RFC 9106's second recommended option, memory-constrained).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLen is the shortest password accepted when a user sets one.
const MinPasswordLen = 12

// oneTimePrefix marks a hash whose password must be changed at the next
// sign-in (the first-run admin's printed password).
const oneTimePrefix = "!"

var (
	// ErrBadHash is returned for a stored hash that is not an argon2id PHC string.
	ErrBadHash = errors.New("auth: stored password hash is not a valid argon2id PHC string")
	b64        = base64.RawStdEncoding
)

// ErrBusy is returned when no hashing slot frees up in time: the server is
// hashing as many passwords as its memory allows. Its message is shown.
var ErrBusy = errors.New("the server is busy; try again in a few seconds")

// hashSlots bounds how many argon2id computations run at once (each takes
// 64 MiB), so a flood of sign-ins queues briefly and is then refused
// instead of growing the process without limit. hashWait is how long a
// computation waits for a slot.
var (
	hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	hashWait  = 5 * time.Second
)

// idKey computes argon2id under a slot.
func idKey(ctx context.Context, password, salt []byte, t, m uint32, p uint8, n uint32) ([]byte, error) {
	timer := time.NewTimer(hashWait)
	defer timer.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, t, m, p, n), nil
}

// HashPassword returns password's argon2id hash as a PHC string:
// $argon2id$v=19$m=65536,t=3,p=2$SALT$KEY.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := idKey(context.Background(), []byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// OneTime marks hash as a one-time password: it signs in once and must then
// be changed (see MustChange).
func OneTime(hash string) string { return oneTimePrefix + hash }

// NewOneTimePassword returns a random password and its hash marked one-time:
// the user signs in with it once and must then choose their own. The first
// administrator, herald user add and the users page all make them here.
func NewOneTimePassword() (password, hash string, err error) {
	password = NewPassword()
	hash, err = HashPassword(password)
	if err != nil {
		return "", "", err
	}
	return password, OneTime(hash), nil
}

// MustChange reports whether hash is a one-time password's.
func MustChange(hash string) bool { return strings.HasPrefix(hash, oneTimePrefix) }

// VerifyPassword reports whether password matches the PHC string hash,
// comparing in constant time. It reads the parameters from the hash, so
// hashes made with older parameters keep working.
func VerifyPassword(hash, password string) (bool, error) {
	return VerifyPasswordContext(context.Background(), hash, password)
}

// VerifyPasswordContext is VerifyPassword that gives up when ctx ends
// while waiting for a hashing slot, and returns ErrBusy after a few seconds.
func VerifyPasswordContext(ctx context.Context, hash, password string) (bool, error) {
	hash = strings.TrimPrefix(hash, oneTimePrefix)
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || t == 0 || p == 0 || m == 0 || m > 1<<22 || t > 100 {
		return false, ErrBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, ErrBadHash
	}
	got, err := idKey(ctx, []byte(password), salt, t, m, p, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// SpendVerifyTime costs what VerifyPasswordContext costs for a hash of
// today's parameters, so that an unknown e-mail takes as long as a wrong
// password; it returns only ErrBusy or ctx's error.
func SpendVerifyTime(ctx context.Context, password string) error {
	_, err := idKey(ctx, []byte(password), make([]byte, argonSaltLen), argonTime, argonMemory, argonThreads, argonKeyLen)
	return err
}
