package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static templates openapi.json
var files embed.FS

// assets serves the embedded static files under content-hashed names
// (app.css → app.3f2a1b9c.css), so they can be cached for a year.
type assets struct {
	byHashed map[string]asset // hashed name → file
	hashed   map[string]string
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{byHashed: map[string]asset{}, hashed: map[string]string{}}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		body, err := files.ReadFile("static/" + e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.hashed[e.Name()] = name
		a.byHashed[name] = asset{body: body, contentType: mime.TypeByExtension(ext)}
	}
	return a, nil
}

// url is the hashed URL of a static file; an unknown name is a template bug.
func (a *assets) url(name string) (string, error) {
	h, ok := a.hashed[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + h, nil
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.byHashed[r.PathValue("file")]
	if !ok {
		s.renderStatus(w, r, http.StatusNotFound, pageTitleFor(r, http.StatusNotFound), "")
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
