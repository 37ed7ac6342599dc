package publish

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/review"
)

// MastodonInstance is the base URL of the instance an account's token
// belongs to: the instance named by its handle (@user@instance), over https
// (http only when its profile URL says so and the host is allowed). A
// profile URL on another host is refused: the token must never be sent to
// a server other than the one that issued it.
func MastodonInstance(acc model.Account, allow *outbound.Allow) (string, error) {
	handle := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	user, instance, ok := strings.Cut(handle, "@")
	if !ok || user == "" || instance == "" || strings.ContainsAny(instance, "/?#@\\ ") {
		return "", fmt.Errorf("publish: Mastodon handle %q does not name its instance (@user@instance)", acc.Handle)
	}
	scheme := "https"
	if acc.ProfileURL != "" {
		u, err := outbound.CheckURL(acc.ProfileURL, allow)
		if err != nil {
			return "", fmt.Errorf("publish: profile URL: %w", err)
		}
		if !strings.EqualFold(u.Host, instance) {
			return "", fmt.Errorf("publish: the profile URL's host %s is not the handle's instance %s; the token is not sent", u.Host, instance)
		}
		scheme = u.Scheme
	}
	return baseURL(scheme+"://"+strings.ToLower(instance), allow)
}

// IdempotencyKey is the Mastodon Idempotency-Key for a draft version: the
// same for every retry, so the instance returns the first status.
func IdempotencyKey(d model.StoredDraft) string {
	return fmt.Sprintf("herald-draft-%d-v%d", d.ID, d.Version)
}

type mastoMedia struct {
	ID  string  `json:"id"`
	URL *string `json:"url"`
}

type mastoStatus struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	URI string `json:"uri"`
}

// mastodon uploads the images, then posts the status with the
// Idempotency-Key, on the instance of the account's handle.
func (p *Publisher) mastodon(ctx context.Context, acc model.Account, d model.StoredDraft, images []review.Image, token string) (review.Result, error) {
	base, err := MastodonInstance(acc, p.cfg.Allow)
	if err != nil {
		return review.Result{}, err
	}
	var ids []string
	for _, im := range images {
		id, err := p.mastoUpload(ctx, base, token, im)
		if err != nil {
			return review.Result{}, err
		}
		ids = append(ids, id)
	}
	body := map[string]any{"status": d.Text}
	if len(ids) > 0 {
		body["media_ids"] = ids
	}
	req, err := jsonRequest(ctx, http.MethodPost, base+"/api/v1/statuses", body)
	if err != nil {
		return review.Result{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", IdempotencyKey(d))
	var st mastoStatus
	if err := p.do(req, &st); err != nil {
		return review.Result{}, err
	}
	if st.ID == "" {
		return review.Result{}, fmt.Errorf("publish: the instance answered without a status id")
	}
	u := st.URL
	if u == "" {
		u = st.URI
	}
	return review.Result{URL: u, ExternalID: st.ID}, nil
}

// mastoUpload posts one image to /api/v2/media and waits while the
// instance processes it (202 and a null url).
func (p *Publisher) mastoUpload(ctx context.Context, base, token string, im review.Image) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="image"`)
	h.Set("Content-Type", im.ContentType)
	part, err := w.CreatePart(h)
	if err != nil {
		return "", err
	}
	part.Write(im.Data)
	w.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v2/media", &buf)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	var m mastoMedia
	if err := p.do(req, &m); err != nil {
		return "", err
	}
	deadline := time.Now().Add(p.cfg.MediaWait)
	for m.URL == nil {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("publish: media %s still processing after %s", m.ID, p.cfg.MediaWait)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(time.Second):
		}
		req, err := jsonRequest(ctx, http.MethodGet, base+"/api/v1/media/"+m.ID, nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		if err := p.do(req, &m); err != nil {
			return "", err
		}
	}
	return m.ID, nil
}
