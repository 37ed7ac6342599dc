package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/review"
)

// fakePDS keeps records by rkey; createRecord on an existing key fails, as
// a PDS does, and a lost reply can be simulated.
type fakePDS struct {
	mu       sync.Mutex
	records  map[string]map[string]any
	creates  int
	blobs    int
	loseNext bool
}

func (f *fakePDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path != "/xrpc/com.atproto.server.createSession" && r.Header.Get("Authorization") != "Bearer jwt" {
		http.Error(w, `{"error":"AuthRequired"}`, 401)
		return
	}
	switch r.URL.Path {
	case "/xrpc/com.atproto.server.createSession":
		var in map[string]string
		json.NewDecoder(r.Body).Decode(&in)
		if in["identifier"] != "office.bsky.social" || in["password"] != "app-pass" {
			http.Error(w, `{"error":"AuthenticationRequired"}`, 401)
			return
		}
		fmt.Fprint(w, `{"accessJwt":"jwt","did":"did:plc:abc","handle":"office.bsky.social"}`)
	case "/xrpc/com.atproto.repo.getRecord":
		if _, ok := f.records[r.URL.Query().Get("rkey")]; !ok {
			http.Error(w, `{"error":"RecordNotFound"}`, 400)
			return
		}
		fmt.Fprint(w, `{"uri":"at://x","value":{}}`)
	case "/xrpc/com.atproto.repo.uploadBlob":
		f.blobs++
		fmt.Fprintf(w, `{"blob":{"$type":"blob","ref":{"$link":"b%d"},"mimeType":%q,"size":1}}`, f.blobs, r.Header.Get("Content-Type"))
	case "/xrpc/com.atproto.repo.createRecord":
		var in struct {
			Rkey   string         `json:"rkey"`
			Record map[string]any `json:"record"`
		}
		json.NewDecoder(r.Body).Decode(&in)
		if _, ok := f.records[in.Rkey]; ok {
			http.Error(w, `{"error":"InvalidRequest","message":"record already exists"}`, 400)
			return
		}
		f.records[in.Rkey] = in.Record
		f.creates++
		if f.loseNext {
			f.loseNext = false
			http.Error(w, "gateway timeout", 504)
			return
		}
		fmt.Fprint(w, `{"uri":"at://did:plc:abc/app.bsky.feed.post/x","cid":"c"}`)
	default:
		http.NotFound(w, r)
	}
}

func TestBlueskyRetryPostsOnce(t *testing.T) {
	pds := &fakePDS{records: map[string]map[string]any{}, loseNext: true}
	srv := httptest.NewServer(pds)
	defer srv.Close()
	p := New(Config{BlueskyPDS: srv.URL, Allow: loopback, Credentials: CredentialsFunc(func(context.Context, model.Account) (string, error) { return "app-pass", nil })})
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	acc := model.Account{Platform: "bluesky", Handle: "@office.bsky.social"}
	d := model.StoredDraft{ID: 7, Version: 3, Text: "Hello", ApprovedAt: &at}
	imgs := []review.Image{{Name: "a.png", ContentType: "image/png", Data: []byte("png")}}
	if _, err := p.Publish(context.Background(), acc, d, imgs); err == nil {
		t.Fatal("lost reply not reported")
	}
	res, err := p.Publish(context.Background(), acc, d, imgs)
	if err != nil {
		t.Fatal(err)
	}
	if pds.creates != 1 || len(pds.records) != 1 {
		t.Fatalf("creates %d records %d", pds.creates, len(pds.records))
	}
	rkey := RecordKey(d)
	if res.URL != "https://bsky.app/profile/office.bsky.social/post/"+rkey || pds.records[rkey]["text"] != "Hello" {
		t.Fatalf("result %+v records %v", res, pds.records)
	}
	if pds.records[rkey]["embed"] == nil {
		t.Error("image not embedded")
	}
}

// loopback allows the local test servers.
var loopback, _ = outbound.ParseAllow("127.0.0.1,::1")

func TestRecordKey(t *testing.T) {
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	d := model.StoredDraft{ID: 7, Version: 3, ApprovedAt: &at}
	k := RecordKey(d)
	if len(k) != 13 || RecordKey(d) != k {
		t.Fatalf("key %q", k)
	}
	if k[0] > 'j' { // the top bit of a TID is 0
		t.Errorf("first character %q", k[0])
	}
	for _, o := range []model.StoredDraft{{ID: 8, Version: 3, ApprovedAt: &at}, {ID: 7, Version: 4, ApprovedAt: &at}} {
		if RecordKey(o) == k {
			t.Errorf("draft %d v%d shares key %s", o.ID, o.Version, k)
		}
	}
	if IdempotencyKey(d) != "herald-draft-7-v3" {
		t.Error(IdempotencyKey(d))
	}
}

func TestBaseURL(t *testing.T) {
	for raw, ok := range map[string]bool{"https://mastodon.social/@x": true, "http://127.0.0.1:9/@x": true,
		"http://localhost/": false, "http://mastodon.social/@x": false, "": false, "ftp://x/": false,
		"https://169.254.169.254/": false} {
		if _, err := baseURL(raw, loopback); (err == nil) != ok {
			t.Errorf("%q: %v", raw, err)
		}
	}
}
