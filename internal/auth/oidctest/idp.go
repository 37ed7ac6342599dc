// Package oidctest runs an OpenID Connect identity provider for tests: it
// publishes discovery and keys, "signs in" whichever user the test chose
// without asking, and issues RS256-signed ID tokens.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// User is whom the provider signs in next.
type User struct {
	Subject string
	Email   string
	Name    string
	Groups  []string
	// EmailVerified is the email_verified claim: nil sends true, and
	// OmitEmailVerified leaves the claim out.
	EmailVerified     *bool
	OmitEmailVerified bool
}

// IdP is a running test provider.
type IdP struct {
	*httptest.Server
	ClientID, ClientSecret string

	key    *rsa.PrivateKey
	signer jose.Signer

	mu    sync.Mutex
	user  User
	codes map[string]grant
}

type grant struct {
	user  User
	nonce string
}

// Start starts a provider for tb, failing tb when it cannot and closing
// it when tb ends.
func Start(tb testing.TB) *IdP {
	tb.Helper()
	idp, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(idp.Close)
	return idp
}

// New starts a provider; Close it when done.
func New() (*IdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "test-key"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	idp := &IdP{ClientID: "herald", ClientSecret: "test-secret", key: key, signer: signer, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", idp.discovery)
	mux.HandleFunc("GET /authorize", idp.authorize)
	mux.HandleFunc("POST /token", idp.token)
	mux.HandleFunc("GET /keys", idp.keys)
	idp.Server = httptest.NewServer(mux)
	return idp, nil
}

// SignInAs sets the user the next authorization signs in.
func (idp *IdP) SignInAs(u User) {
	idp.mu.Lock()
	idp.user = u
	idp.mu.Unlock()
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (idp *IdP) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{
		"issuer":                                idp.URL,
		"authorization_endpoint":                idp.URL + "/authorize",
		"token_endpoint":                        idp.URL + "/token",
		"jwks_uri":                              idp.URL + "/keys",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

func (idp *IdP) keys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &idp.key.PublicKey, KeyID: "test-key", Algorithm: "RS256", Use: "sig"}}})
}

// authorize signs the chosen user in at once and sends the browser back.
func (idp *IdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != idp.ClientID || q.Get("response_type") != "code" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	idp.mu.Lock()
	idp.codes[code] = grant{user: idp.user, nonce: q.Get("nonce")}
	idp.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	v := back.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (idp *IdP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != idp.ClientID || secret != idp.ClientSecret {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]string{"error": "invalid_client"})
		return
	}
	code := r.PostFormValue("code")
	idp.mu.Lock()
	g, ok := idp.codes[code]
	delete(idp.codes, code)
	idp.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": idp.URL, "sub": g.user.Subject, "aud": idp.ClientID,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": g.nonce,
		"email": g.user.Email, "email_verified": true, "name": g.user.Name, "groups": g.user.Groups,
	}
	if g.user.EmailVerified != nil {
		claims["email_verified"] = *g.user.EmailVerified
	}
	if g.user.OmitEmailVerified {
		delete(claims, "email_verified")
	}
	raw, err := jwt.Signed(idp.signer).Claims(claims).Serialize()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 300, "id_token": raw})
}
