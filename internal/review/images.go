package review

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/media"
	"github.com/herald-gov/herald/internal/model"
)

const defaultMaxImage = 10 << 20

// imageDir is where stripped copies live: DataDir/images, outside any web root.
func (s *Service) imageDir() string {
	dir := s.DataDir
	if dir == "" {
		dir = "herald-data"
	}
	return filepath.Join(dir, "images")
}

// imagePath is the file of an image id; ids are hex we made, checked again
// here so no stored value can name another path.
func (s *Service) imagePath(id string) (string, error) {
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return "", errs.Errorf(errs.NotFound, "not_found", "not found")
	}
	return filepath.Join(s.imageDir(), id), nil
}

// imageFindings turns Inspect's result into findings on image index i:
// a position is an error (3.4(g)), other metadata advice. Both are removed
// from the copy that is published.
func imageFindings(info media.Info, i int) []model.Finding {
	out := []model.Finding{}
	idx := i
	if info.GPS != nil {
		out = append(out, model.Finding{Rule: "image.gps", Clause: "3.4(g)", Severity: model.SeverityError, Image: &idx,
			Message: fmt.Sprintf("The photo records where it was taken (%.4f, %.4f); the published copy has it removed.", info.GPS.Lat, info.GPS.Lon)})
	}
	var other []string
	if info.Camera != "" {
		other = append(other, "camera "+info.Camera)
	}
	for _, x := range []struct {
		on   bool
		name string
	}{{info.EXIF, "EXIF"}, {info.XMP, "XMP"}, {info.IPTC, "IPTC"}} {
		if x.on {
			other = append(other, x.name)
		}
	}
	other = append(other, info.Other...)
	if len(other) > 0 {
		out = append(out, model.Finding{Rule: "image.metadata", Clause: "3.4(g)", Severity: model.SeverityAdvice, Image: &idx,
			Message: "The photo carries metadata (" + strings.Join(other, ", ") + "); the published copy has it removed."})
	}
	return out
}

// cleanName keeps a displayable file name: no path, no control characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	for len(name) > 200 {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// AddImage attaches a JPEG or PNG (by content) to an editable draft. Only
// the stripped copy is kept. Attaching is an edit: the version moves on.
func (s *Service) AddImage(ctx context.Context, a model.Actor, u *model.User, draftID int64, name string, r io.Reader) (*model.DraftImage, error) {
	d, acc, err := s.load(ctx, u, draftID)
	if err != nil {
		return nil, err
	}
	if !canEdit(u, d, acc) {
		return nil, editRefused(u, d, acc, "draft.only_the_author_adds", "only the author adds images")
	}
	limit := s.MaxImageBytes
	if limit <= 0 {
		limit = defaultMaxImage
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("review: reading the upload: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, ErrImageTooLarge.With("draft.image_over", "the image is larger than %d MB", limit>>20)
	}
	ct := http.DetectContentType(data)
	if ct != "image/jpeg" && ct != "image/png" {
		return nil, fmt.Errorf("%w (this looks like %s)", ErrImageType, ct)
	}
	info, err := media.Inspect(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImageType, err)
	}
	clean, err := media.Strip(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImageType, err)
	}
	b := make([]byte, 16)
	rand.Read(b)
	im := &model.DraftImage{ID: hex.EncodeToString(b), Name: cleanName(name), Format: info.Format,
		Size: int64(len(clean)), Findings: imageFindings(info, len(d.Images)), UploadedBy: u.ID, UploadedAt: s.now()}
	path, _ := s.imagePath(im.ID)
	if err := writeFile(path, clean); err != nil {
		return nil, err
	}
	fromV, fromS := d.Version, d.Status
	notes, err := s.edited(ctx, d, acc, u)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	c := changeOf(d, acc, "draft.image", fmt.Sprintf("added image %s (%s, %d bytes stripped)", im.ID, im.Format, im.Size),
		model.DraftEvent{Version: d.Version, Kind: model.DraftEventImage, ActorID: u.ID, ActorEmail: u.Email, Comment: "added " + im.Name})
	c.FromVersion, c.FromStatus, c.AddImage, c.Notify = fromV, fromS, im, notes
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		os.Remove(path)
		return nil, err
	}
	s.wake()
	return im, nil
}

// writeFile writes data to path through a temporary file, readable by the
// server only.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("review: image directory: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("review: writing image: %w", err)
	}
	return os.Rename(tmp, path)
}

func findImage(d *model.StoredDraft, imageID string) (*model.DraftImage, error) {
	for i := range d.Images {
		if d.Images[i].ID == imageID {
			return &d.Images[i], nil
		}
	}
	return nil, errs.Errorf(errs.NotFound, "not_found", "not found")
}

// SetImagePeople records whether an image shows people and, if so, the
// consent attestation (who gave it, how it is recorded). An edit.
func (s *Service) SetImagePeople(ctx context.Context, a model.Actor, u *model.User, draftID int64, imageID string, showsPeople bool, consent *model.Consent) (*model.DraftImage, error) {
	d, acc, err := s.load(ctx, u, draftID)
	if err != nil {
		return nil, err
	}
	if !canEdit(u, d, acc) {
		return nil, editRefused(u, d, acc, "draft.only_the_author_attests", "only the author attests consent")
	}
	im, err := findImage(d, imageID)
	if err != nil {
		return nil, err
	}
	im.ShowsPeople, im.Consent = showsPeople, nil
	if showsPeople && consent != nil {
		c := *consent
		c.GivenBy, c.Recorded = strings.TrimSpace(c.GivenBy), strings.TrimSpace(c.Recorded)
		if c.GivenBy == "" || c.Recorded == "" {
			return nil, invalid("draft.consent_incomplete", "consent needs who gave it and how it is recorded")
		}
		c.AttestedBy, c.AttestedAt = u.ID, s.now().UTC()
		im.Consent = &c
	}
	fromV, fromS := d.Version, d.Status
	notes, err := s.edited(ctx, d, acc, u)
	if err != nil {
		return nil, err
	}
	what := "shows no people"
	if showsPeople {
		what = "shows people, consent not attested"
		if im.Consent != nil {
			what = fmt.Sprintf("shows people; consent by %s, recorded %s", im.Consent.GivenBy, im.Consent.Recorded)
		}
	}
	c := changeOf(d, acc, "draft.image", "image "+im.ID+" "+what,
		model.DraftEvent{Version: d.Version, Kind: model.DraftEventImage, ActorID: u.ID, ActorEmail: u.Email, Comment: im.Name + " " + what})
	c.FromVersion, c.FromStatus, c.SetImage, c.Notify = fromV, fromS, im, notes
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		return nil, err
	}
	s.wake()
	return im, nil
}

// RemoveImage detaches an image and deletes its file. An edit.
func (s *Service) RemoveImage(ctx context.Context, a model.Actor, u *model.User, draftID int64, imageID string) error {
	d, acc, err := s.load(ctx, u, draftID)
	if err != nil {
		return err
	}
	if !canEdit(u, d, acc) {
		return editRefused(u, d, acc, "draft.only_the_author_removes", "only the author removes images")
	}
	im, err := findImage(d, imageID)
	if err != nil {
		return err
	}
	fromV, fromS := d.Version, d.Status
	notes, err := s.edited(ctx, d, acc, u)
	if err != nil {
		return err
	}
	c := changeOf(d, acc, "draft.image", "removed image "+im.ID,
		model.DraftEvent{Version: d.Version, Kind: model.DraftEventImage, ActorID: u.ID, ActorEmail: u.Email, Comment: "removed " + im.Name})
	c.FromVersion, c.FromStatus, c.DropImage, c.Notify = fromV, fromS, im.ID, notes
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		return err
	}
	s.wake()
	path, err := s.imagePath(im.ID)
	if err == nil {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("review: removing image file: %w", err)
		}
	}
	return nil
}

// ImageData returns the stripped copy of an image to a user who may see the draft.
func (s *Service) ImageData(ctx context.Context, u *model.User, draftID int64, imageID string) ([]byte, string, error) {
	d, _, err := s.load(ctx, u, draftID)
	if err != nil {
		return nil, "", err
	}
	im, err := findImage(d, imageID)
	if err != nil {
		return nil, "", err
	}
	return s.readImage(im)
}

func (s *Service) readImage(im *model.DraftImage) ([]byte, string, error) {
	path, err := s.imagePath(im.ID)
	if err != nil {
		return nil, "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("review: image %s: %w", im.ID, err)
	}
	return data, "image/" + im.Format, nil
}
