package monitor

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

const keySize = 32 // AES-256

// ParseKey reads a secret key given as 64 hex digits or as base64 of 32
// bytes (`openssl rand -base64 32`). "" gives a nil key: credentials off.
// The error never repeats the value.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == keySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == keySize {
			return b, nil
		}
	}
	return nil, errors.New("the secret key must be 32 bytes written as 64 hex digits or in base64 (openssl rand -base64 32)")
}

// credentialAAD binds a ciphertext to its row, so a secret copied to
// another platform or account does not decrypt there.
func credentialAAD(platform string, accountID int64) []byte {
	return fmt.Appendf(nil, "herald-credential-v1\x00%s\x00%d", platform, accountID)
}

func (m *Monitor) aead() (cipher.AEAD, error) {
	if m.o.SecretKey == nil {
		return nil, ErrNoSecretKey
	}
	block, err := aes.NewCipher(m.o.SecretKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts a token as nonce || AES-GCM ciphertext.
func (m *Monitor) seal(platform string, accountID int64, token string) ([]byte, error) {
	g, err := m.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, []byte(token), credentialAAD(platform, accountID)), nil
}

// open decrypts a stored credential with the current key or, failing
// that, one of the previous keys (a rotation under way).
func (m *Monitor) open(platform string, accountID int64, sealed []byte) (string, error) {
	if m.o.SecretKey == nil {
		return "", ErrNoSecretKey
	}
	for _, key := range append([][]byte{m.o.SecretKey}, m.o.PreviousKeys...) {
		if plain, err := openWith(key, platform, accountID, sealed); err == nil {
			return plain, nil
		} else if errors.Is(err, errTruncated) {
			return "", err
		}
	}
	return "", errors.New("stored credential does not decrypt with the configured secret key (nor a previous one)")
}

var errTruncated = errors.New("stored credential is truncated")

func openWith(key []byte, platform string, accountID int64, sealed []byte) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(sealed) < g.NonceSize() {
		return "", errTruncated
	}
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], credentialAAD(platform, accountID))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// ParseKeys reads the previous secret keys: comma-separated, each as
// ParseKey reads it. The error never repeats a value.
func ParseKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for i, item := range strings.Split(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		k, err := ParseKey(item)
		if err != nil {
			return nil, fmt.Errorf("previous key %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// RotateCredentials re-encrypts every stored credential under the current
// secret key, reading each with the current or a previous key; after it,
// the previous keys can be dropped. All or nothing, audited once.
func (m *Monitor) RotateCredentials(ctx context.Context, a model.Actor) (int, error) {
	if m.o.SecretKey == nil {
		return 0, ErrNoSecretKey
	}
	return m.st.RotateCredentials(ctx, a, func(platform string, accountID int64, sealed []byte) ([]byte, error) {
		plain, err := m.open(platform, accountID, sealed)
		if err != nil {
			return nil, err
		}
		return m.seal(platform, accountID, plain)
	})
}

// SetCredential stores a connector token encrypted; accountID 0 sets it for
// every account of the platform; an empty token deletes it. The token is
// never logged, audited or returned.
func (m *Monitor) SetCredential(ctx context.Context, a model.Actor, platform string, accountID int64, token string) error {
	platform = strings.ToLower(strings.TrimSpace(platform))
	if platform == "" {
		return errs.E(errs.Invalid, "credential.platform", "a credential needs a platform")
	}
	if token == "" {
		return m.st.DeleteCredential(ctx, a, platform, accountID)
	}
	sealed, err := m.seal(platform, accountID, token)
	if err != nil {
		return err
	}
	return m.st.SetCredential(ctx, a, platform, accountID, sealed)
}

// CredentialsEnabled reports whether a secret key is configured, without
// which no credential can be stored or read.
func (m *Monitor) CredentialsEnabled() bool { return m.o.SecretKey != nil }

// CredentialSet reports whether a credential is stored.
func (m *Monitor) CredentialSet(ctx context.Context, platform string, accountID int64) (bool, error) {
	_, err := m.st.Credential(ctx, platform, accountID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// Credentials lists the stored credentials without their values.
func (m *Monitor) Credentials(ctx context.Context) ([]store.CredentialInfo, error) {
	return m.st.Credentials(ctx)
}

// Credential decrypts the token publishing sends for acc: on Mastodon and
// Bluesky the account's own only, since such a token belongs to one user on
// one server and a platform-wide one would be sent to whatever instance an
// account names; elsewhere the account's own, else its platform's. "" when
// none is set.
func (m *Monitor) Credential(ctx context.Context, acc model.Account) (string, error) {
	if accountBound(acc.Platform) {
		sealed, err := m.st.Credential(ctx, acc.Platform, acc.ID)
		if errs.Is(err, errs.NotFound) || acc.ID == 0 {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return m.open(acc.Platform, acc.ID, sealed)
	}
	return m.credential(ctx, acc)
}

// AccountBound reports whether the platform's tokens belong to one account
// (they publish as it), so a connection test checks whose they are.
func (m *Monitor) AccountBound(platform string) bool { return accountBound(platform) }

// accountBound reports whether the platform's tokens belong to one account
// on one server, so that a platform-wide one is never used to publish.
func accountBound(platform string) bool { return platform == "mastodon" || platform == "bluesky" }

// credential decrypts the account's own token, else the platform's; "" when
// neither is set.
func (m *Monitor) credential(ctx context.Context, acc model.Account) (string, error) {
	for _, id := range []int64{acc.ID, 0} {
		sealed, err := m.st.Credential(ctx, acc.Platform, id)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		return m.open(acc.Platform, id, sealed)
	}
	return "", nil
}

// tokenFor is the connectors' TokenFor: the token loaded for the fetch in flight.
func (m *Monitor) tokenFor(acc model.Account) string {
	if t, ok := m.tokens.Load(acc.ID); ok {
		return t.(string)
	}
	return ""
}
