package webhook

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzVerify: whatever the headers and body, Verify does not panic, and it
// accepts a message only when one v1 entry is the body's true signature.
func FuzzVerify(f *testing.F) {
	f.Add(vectorID, strconv.Itoa(vectorUnix), vectorSig, vectorBody)
	f.Add(vectorID, strconv.Itoa(vectorUnix), "v1a,x  v1,"+vectorSig[3:]+" v1,", vectorBody)
	f.Add("msg.1", "-1", "v1,,", "")
	f.Add(vectorID, "99999999999999999999", "v1,\x00\xff", "{")
	f.Fuzz(func(t *testing.T, id, ts, sig, body string) {
		h := http.Header{}
		h.Set(HeaderID, id)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		now := time.Unix(vectorUnix, 0)
		if err := Verify(vectorSecret, h, []byte(body), now, time.Hour); err == nil {
			unix, _ := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
			want, _ := Sign(vectorSecret, h.Get(HeaderID), time.Unix(unix, 0), []byte(body))
			found := false
			// base64 decoding skips CR and LF, so an entry may carry them.
			for _, s := range strings.Fields(h.Get(HeaderSignature)) {
				found = found || strings.NewReplacer("\r", "", "\n", "").Replace(s) == want
			}
			if !found {
				t.Fatalf("accepted %q for id %q ts %q body %q without its signature %s", sig, id, ts, body, want)
			}
		}
	})
}
