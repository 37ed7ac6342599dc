package publish

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

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
// Idempotency-Key. The instance is the account's profile URL's host.
func (p *Publisher) mastodon(ctx context.Context, acc model.Account, d model.StoredDraft, images []review.Image, token string) (review.Result, error) {
	base, err := baseURL(acc.ProfileURL)
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
