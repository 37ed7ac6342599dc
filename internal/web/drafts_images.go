package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

func (s *Server) draftImageUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	f, hdr, err := r.FormFile("image")
	if errors.Is(err, http.ErrMissingFile) {
		s.afterImage(w, r, id, errorf(errs.Invalid, "choose_a_jpeg_or", "choose a JPEG or PNG file to upload"))
		return
	} else if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.afterImage(w, r, id, err)
			return
		}
		s.afterImage(w, r, id, errorf(errs.Invalid, "upload_unreadable", "the upload could not be read: send the form again"))
		return
	}
	defer f.Close()
	_, err = s.review.AddImage(r.Context(), actor(r), state(r).user, id, hdr.Filename, f)
	s.afterImage(w, r, id, err)
}

// afterImage goes back to the editor, which shows the images; a refusal is
// shown on the editor too.
func (s *Server) afterImage(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if err == nil {
		http.Redirect(w, r, "/drafts/"+strconv.FormatInt(id, 10)+"/edit#images", http.StatusSeeOther)
		return
	}
	dv, gerr := s.review.Get(r.Context(), state(r).user, id)
	if gerr != nil {
		s.pageError(w, r, gerr)
		return
	}
	s.formError(w, r, s.editForm(r, dv), err)
}

func (s *Server) draftImagePeople(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	shows := r.PostFormValue("shows_people") != ""
	var c *model.Consent
	if shows && (strings.TrimSpace(r.PostFormValue("given_by")) != "" || strings.TrimSpace(r.PostFormValue("recorded")) != "") {
		c = &model.Consent{GivenBy: r.PostFormValue("given_by"), Recorded: r.PostFormValue("recorded")}
	}
	_, err = s.review.SetImagePeople(r.Context(), actor(r), state(r).user, id, r.PathValue("image"), shows, c)
	s.afterImage(w, r, id, err)
}

func (s *Server) draftImageRemove(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.afterImage(w, r, id, s.review.RemoveImage(r.Context(), actor(r), state(r).user, id, r.PathValue("image")))
}

// draftImage serves the stripped copy of an image to those who may see
// the draft: never from a static folder, typed by its content, never
// sniffed into something else by the browser, shown inline under a name
// that cannot break the header.
func (s *Server) draftImage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	data, _, err := s.review.ImageData(r.Context(), state(r).user, id, r.PathValue("image"))
	if err != nil {
		ae := toAPIError(state(r).lang, err)
		if ae.kind == errs.Internal {
			s.fail(w, r, err)
			return
		}
		s.renderStatus(w, r, ae.status, pageTitleFor(r, ae.status), ae.Message)
		return
	}
	writeImage(w, r, data)
}

// apiDraftImage is a draft's image, as the API gives it to a token.
func (s *Server) apiDraftImage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var data []byte
	if err == nil {
		data, _, err = s.review.ImageData(r.Context(), state(r).user, id, r.PathValue("image"))
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeImage(w, r, data)
}

// writeImage answers a stored image, inline only when it is a JPEG or PNG,
// in a sandbox.
func writeImage(w http.ResponseWriter, r *http.Request, data []byte) {
	ct := http.DetectContentType(data)
	name := "image"
	switch ct {
	case "image/jpeg":
		name += ".jpg"
	case "image/png":
		name += ".png"
	default:
		// Only JPEG and PNG are stored; anything else is not shown inline.
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": safeFileName(r.PathValue("image"), name)}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// safeFileName builds a download name from the image id (hex, chosen by
// the server) and the extension; any other character is dropped.
func safeFileName(id, fallback string) string {
	var b strings.Builder
	for _, c := range id {
		if (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 || b.Len() > 64 {
		return fallback
	}
	return b.String() + strings.TrimPrefix(fallback, "image")
}
