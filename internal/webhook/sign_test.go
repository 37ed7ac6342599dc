package webhook

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The signing example of the Standard Webhooks reference libraries' tests
// (the specification itself publishes none): a fact to check against.
const (
	vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorUnix   = 1614265330
	vectorBody   = `{"test": 2432232314}`
	vectorSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

	vectorUnixText = "1614265330"
	testNowText    = "1764892800"
)

var testNow = time.Unix(1764892800, 0)

func TestSignVector(t *testing.T) {
	got, err := Sign(vectorSecret, vectorID, time.Unix(vectorUnix, 0), []byte(vectorBody))
	if err != nil {
		t.Fatal(err)
	}
	if got != vectorSig {
		t.Fatalf("Sign = %s, want %s", got, vectorSig)
	}
	// The secret without its prefix is the same key.
	if got2, _ := Sign(strings.TrimPrefix(vectorSecret, SecretPrefix), vectorID, time.Unix(vectorUnix, 0), []byte(vectorBody)); got2 != got {
		t.Fatalf("Sign without prefix = %s", got2)
	}
}

func vectorHeader(sig string, unix int64) http.Header {
	h := http.Header{}
	h.Set(HeaderID, vectorID)
	h.Set(HeaderTimestamp, strconv.FormatInt(unix, 10))
	h.Set(HeaderSignature, sig)
	return h
}

func TestVerify(t *testing.T) {
	at := time.Unix(vectorUnix, 0)
	tol := 5 * time.Minute
	other := "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
	cases := []struct {
		name string
		h    http.Header
		body string
		now  time.Time
		want error
	}{
		{"valid", vectorHeader(vectorSig, vectorUnix), vectorBody, at, nil},
		{"valid among others", vectorHeader("v1a,xyz "+other+" "+vectorSig, vectorUnix), vectorBody, at.Add(tol), nil},
		{"tampered body", vectorHeader(vectorSig, vectorUnix), `{"test": 2432232315}`, at, ErrNoMatch},
		{"tampered timestamp", vectorHeader(vectorSig, vectorUnix+1), vectorBody, at, ErrNoMatch},
		{"wrong signature", vectorHeader(other, vectorUnix), vectorBody, at, ErrNoMatch},
		{"other version only", vectorHeader("v2,"+strings.TrimPrefix(vectorSig, "v1,"), vectorUnix), vectorBody, at, ErrNoMatch},
		{"too old", vectorHeader(vectorSig, vectorUnix), vectorBody, at.Add(tol + time.Second), ErrBadTimestamp},
		{"too new", vectorHeader(vectorSig, vectorUnix), vectorBody, at.Add(-tol - time.Second), ErrBadTimestamp},
		{"timestamp not a number", vectorHeader(vectorSig, vectorUnix), vectorBody, at, ErrBadTimestamp},
		{"no id", vectorHeader(vectorSig, vectorUnix), vectorBody, at, ErrMissingHeader},
	}
	cases[8].h.Set(HeaderTimestamp, "16142653a0")
	cases[9].h.Del(HeaderID)
	for _, c := range cases {
		err := Verify(vectorSecret, c.h, []byte(c.body), c.now, tol)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	// A different id signs differently.
	h := vectorHeader(vectorSig, vectorUnix)
	h.Set(HeaderID, vectorID+"x")
	if err := Verify(vectorSecret, h, []byte(vectorBody), at, tol); !errors.Is(err, ErrNoMatch) {
		t.Errorf("tampered id: %v", err)
	}
	if err := Verify("whsec_!!", vectorHeader(vectorSig, vectorUnix), []byte(vectorBody), at, tol); !errors.Is(err, ErrBadSecret) {
		t.Errorf("bad secret: %v", err)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewSecret()
	if a == b || !strings.HasPrefix(a, SecretPrefix) {
		t.Fatalf("secrets %q, %q", a, b)
	}
	key, err := decodeSecret(a)
	if err != nil || len(key) != secretBytes {
		t.Fatalf("decoded %d bytes, %v", len(key), err)
	}
	// A signature made with a new secret verifies with it and not with another.
	now := time.Now()
	sig, _ := Sign(a, "msg_1", now, []byte("{}"))
	h := http.Header{}
	h.Set(HeaderID, "msg_1")
	h.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	h.Set(HeaderSignature, sig)
	if err := Verify(a, h, []byte("{}"), now, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := Verify(b, h, []byte("{}"), now, time.Minute); !errors.Is(err, ErrNoMatch) {
		t.Fatalf("other secret: %v", err)
	}
}
