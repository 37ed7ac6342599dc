package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// RecordKey is the Bluesky record key of a draft version: a TID (13
// characters of base32-sortable: 53 bits of microseconds, 10 bits of clock
// id) whose time is the approval time and whose clock id comes from the
// draft id and version, so every retry names the same record.
func RecordKey(d model.StoredDraft) string {
	var t time.Time
	if d.ApprovedAt != nil {
		t = *d.ApprovedAt
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(d.ID))
	binary.BigEndian.PutUint64(b[8:], uint64(d.Version))
	h := sha256.Sum256(b[:])
	clock := uint64(binary.BigEndian.Uint16(h[:2]) & 0x3ff)
	v := (uint64(t.UnixMicro())&(1<<53-1))<<10 | clock
	out := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		out[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(out)
}

type bskySession struct {
	AccessJwt string `json:"accessJwt"`
	DID       string `json:"did"`
	Handle    string `json:"handle"`
}

const postCollection = "app.bsky.feed.post"

// bluesky opens a session with the app password, returns the record if a
// previous attempt created it, else uploads the images and creates it.
func (p *Publisher) bluesky(ctx context.Context, acc model.Account, d model.StoredDraft, images []review.Image, password string) (review.Result, error) {
	base, err := baseURL(p.cfg.BlueskyPDS, p.cfg.Allow)
	if err != nil {
		return review.Result{}, err
	}
	ident := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	req, err := jsonRequest(ctx, http.MethodPost, base+"/xrpc/com.atproto.server.createSession",
		map[string]string{"identifier": ident, "password": password})
	if err != nil {
		return review.Result{}, err
	}
	var sess bskySession
	if err := p.do(req, &sess); err != nil {
		return review.Result{}, err
	}
	if sess.DID == "" || sess.AccessJwt == "" {
		return review.Result{}, fmt.Errorf("publish: Bluesky session without a DID or token")
	}
	handle := sess.Handle
	if handle == "" {
		handle = ident
	}
	rkey := RecordKey(d)
	result := review.Result{URL: "https://bsky.app/profile/" + handle + "/post/" + rkey,
		ExternalID: "at://" + sess.DID + "/" + postCollection + "/" + rkey}
	q := url.Values{"repo": {sess.DID}, "collection": {postCollection}, "rkey": {rkey}}
	req, err = jsonRequest(ctx, http.MethodGet, base+"/xrpc/com.atproto.repo.getRecord?"+q.Encode(), nil)
	if err != nil {
		return review.Result{}, err
	}
	req.Header.Set("Authorization", "Bearer "+sess.AccessJwt)
	var he *HTTPError
	switch err := p.do(req, nil); {
	case err == nil:
		return result, nil // an earlier attempt posted it
	case !errors.As(err, &he) || (he.Status != http.StatusBadRequest && he.Status != http.StatusNotFound):
		return review.Result{}, err
	}
	record := map[string]any{"$type": postCollection, "text": d.Text,
		"createdAt": time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	if len(images) > 0 {
		var embedded []map[string]any
		for _, im := range images {
			blob, err := p.bskyUpload(ctx, base, sess.AccessJwt, im)
			if err != nil {
				return review.Result{}, err
			}
			embedded = append(embedded, map[string]any{"alt": "", "image": blob})
		}
		record["embed"] = map[string]any{"$type": "app.bsky.embed.images", "images": embedded}
	}
	req, err = jsonRequest(ctx, http.MethodPost, base+"/xrpc/com.atproto.repo.createRecord",
		map[string]any{"repo": sess.DID, "collection": postCollection, "rkey": rkey, "record": record})
	if err != nil {
		return review.Result{}, err
	}
	req.Header.Set("Authorization", "Bearer "+sess.AccessJwt)
	if err := p.do(req, nil); err != nil {
		return review.Result{}, err
	}
	return result, nil
}

// bskyUpload uploads one image blob and returns the blob reference.
func (p *Publisher) bskyUpload(ctx context.Context, base, jwt string, im review.Image) (any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/xrpc/com.atproto.repo.uploadBlob", bytes.NewReader(im.Data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", im.ContentType)
	req.Header.Set("Authorization", "Bearer "+jwt)
	var out struct {
		Blob any `json:"blob"`
	}
	if err := p.do(req, &out); err != nil {
		return nil, err
	}
	if out.Blob == nil {
		return nil, fmt.Errorf("publish: Bluesky upload without a blob")
	}
	return out.Blob, nil
}
