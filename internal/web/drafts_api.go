package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
)

// apiDraftHead is what a draft and a draft in a list both begin with.
type apiDraftHead struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"account_id"`
	Platform  string `json:"platform"`
	Status    string `json:"status"`
	Version   int    `json:"version"`
	Step      int    `json:"step,omitempty"`
	StepWho   string `json:"step_who,omitempty"`
	Text      string `json:"text"`
}

func toAPIDraftHead(d *model.StoredDraft) apiDraftHead {
	return apiDraftHead{ID: d.ID, AccountID: d.AccountID, Platform: d.Platform, Status: d.Status, Version: d.Version,
		Step: d.Step, StepWho: d.StepWho, Text: d.Text}
}

// apiDraft is a draft as the API answers it (issue 6's field names).
type apiDraft struct {
	apiDraftHead
	Checklist       []string          `json:"checklist"`
	Report          *model.Report     `json:"report"`
	Images          []apiImage        `json:"images"`
	ApprovedVersion int               `json:"approved_version,omitempty"`
	ExpiresAt       *time.Time        `json:"approval_expires_at,omitempty"`
	PublishedURL    string            `json:"published_url,omitempty"`
	Events          []apiDraftEvent   `json:"events"`
	Can             map[string]bool   `json:"can"`
	Diff            *model.ReportDiff `json:"recheck_diff,omitempty"`
}

type apiImage struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Format      string          `json:"format"`
	Size        int64           `json:"size"`
	Findings    []model.Finding `json:"findings"`
	ShowsPeople bool            `json:"shows_people"`
	Consent     *model.Consent  `json:"consent,omitempty"`
	URL         string          `json:"url"`
}

type apiDraftEvent struct {
	Kind     string    `json:"kind"`
	Version  int       `json:"version"`
	Step     int       `json:"step,omitempty"`
	Actor    string    `json:"actor"`
	Comment  string    `json:"comment,omitempty"`
	Start    *int      `json:"start,omitempty"`
	End      *int      `json:"end,omitempty"`
	Override bool      `json:"override,omitempty"`
	At       time.Time `json:"at"`
}

func toAPIDraft(dv *review.DraftView) apiDraft {
	d := dv.Draft
	out := apiDraft{apiDraftHead: toAPIDraftHead(&d), Checklist: d.Checklist, Report: d.Report, Images: []apiImage{},
		ApprovedVersion: d.ApprovedVersion, ExpiresAt: dv.ExpiresAt, PublishedURL: d.PublishedURL, Diff: d.Diff,
		Events: []apiDraftEvent{}, Can: map[string]bool{"edit": dv.CanEdit, "submit": dv.CanSubmit, "decide": dv.CanDecide,
			"publish": dv.CanPublish, "mark_published": dv.CanMarkPublished}}
	if out.Checklist == nil {
		out.Checklist = []string{}
	}
	for _, im := range d.Images {
		fs := im.Findings
		if fs == nil {
			fs = []model.Finding{}
		}
		out.Images = append(out.Images, apiImage{ID: im.ID, Name: im.Name, Format: im.Format, Size: im.Size, Findings: fs,
			ShowsPeople: im.ShowsPeople, Consent: im.Consent, URL: fmt.Sprintf("/api/v1/drafts/%d/images/%s", d.ID, im.ID)})
	}
	for _, ev := range dv.Events {
		out.Events = append(out.Events, toAPIDraftEvent(ev))
	}
	return out
}

func toAPIDraftEvent(ev model.DraftEvent) apiDraftEvent {
	return apiDraftEvent{Kind: ev.Kind, Version: ev.Version, Step: ev.Step, Actor: ev.ActorEmail,
		Comment: ev.Comment, Start: ev.Start, End: ev.End, Override: ev.Override, At: ev.At.UTC()}
}

// apiImageIn is an image sent with a new draft: its file name and its
// bytes in standard base64.
type apiImageIn struct {
	Name string `json:"name"`
	Data string `json:"data"`
}

func (s *Server) apiDraftCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AccountID int64        `json:"account_id"`
		Text      string       `json:"text"`
		Checklist []string     `json:"checklist"`
		Images    []apiImageIn `json:"images"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	if in.AccountID == 0 {
		s.writeAPIError(w, r, errorf(errs.Invalid, "account_id_required", "account_id is required: the id of the registry account the draft is for (GET /api/v1/accounts)"))
		return
	}
	// Decode every image before anything is stored, so bad base64 leaves nothing behind.
	images := make([][]byte, len(in.Images))
	for i, im := range in.Images {
		b, err := base64.StdEncoding.DecodeString(im.Data)
		if err != nil {
			s.writeAPIError(w, r, errorf(errs.Invalid, "images_data_is_not", "images[%d].data is not standard base64", i))
			return
		}
		images[i] = b
	}
	u := state(r).user
	dv, err := s.review.Create(r.Context(), actor(r), u, review.DraftInput{AccountID: in.AccountID, Text: in.Text, Checklist: in.Checklist})
	if errs.Is(err, errs.NotFound) { // the only thing Create looks up before storing
		err = errorf(errs.NotFound, "no_account_in_the", "no account %d in the registry", in.AccountID)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	for i, b := range images {
		if _, err := s.review.AddImage(r.Context(), actor(r), u, dv.Draft.ID, in.Images[i].Name, bytes.NewReader(b)); err != nil {
			e := errs.Of(err)
			if e.Kind != errs.Internal {
				refused := errs.Errorf(e.Kind, "web.draft_image_refused", "draft %d was saved, but images[%d] was refused: %s",
					dv.Draft.ID, i, localize(state(r).lang, e))
				refused.Err, err = err, refused
			}
			s.writeAPIError(w, r, err)
			return
		}
	}
	if len(images) > 0 {
		if dv, err = s.review.Get(r.Context(), u, dv.Draft.ID); err != nil {
			s.writeAPIError(w, r, err)
			return
		}
	}
	writeEntity(w, http.StatusCreated, toAPIDraft(dv))
}

// draftResult answers a draft action with the draft as it is now, and its
// ETag.
func (s *Server) draftResult(w http.ResponseWriter, r *http.Request, dv *review.DraftView, err error) {
	entityResult(s, w, r, dv, err, toAPIDraft)
}

func (s *Server) apiDraftGet(w http.ResponseWriter, r *http.Request) {
	_, dv, err := s.loadDraft(r)
	s.draftResult(w, r, dv, err)
}

// apiDraftEdit replaces a draft's text and checklist; If-Match must name
// the draft as the editor last read it, and the edit applies to that
// version only.
func (s *Server) apiDraftEdit(w http.ResponseWriter, r *http.Request) {
	id, dv, err := s.loadDraft(r)
	if err == nil {
		err = ifMatch(r, toAPIDraft(dv))
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	var in struct {
		Text      string   `json:"text"`
		Checklist []string `json:"checklist"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	dv, err = s.review.Edit(r.Context(), actor(r), state(r).user, id, dv.Draft.Version, review.DraftInput{Text: in.Text, Checklist: in.Checklist, Reticked: true})
	s.draftResult(w, r, dv, err)
}

func (s *Server) apiDraftSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	dv, err := s.review.Submit(r.Context(), actor(r), state(r).user, id)
	s.draftResult(w, r, dv, err)
}

func (s *Server) apiDraftDecide(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
		Override bool   `json:"override"`
		Version  int    `json:"version"`
		Escalate bool   `json:"escalate"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	dv, err := s.review.Decide(r.Context(), actor(r), state(r).user, id, review.Decision{Decision: in.Decision,
		Comment: strings.TrimSpace(in.Comment), Override: in.Override, Version: in.Version, Escalate: in.Escalate})
	s.draftResult(w, r, dv, err)
}

// apiDraftPublish posts an approved draft through its platform's
// connector, or, given the post's url, records that it was posted by hand.
func (s *Server) apiDraftPublish(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	var in struct {
		URL string `json:"url"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			s.writeAPIError(w, r, err)
			return
		}
	}
	var dv *review.DraftView
	if u := strings.TrimSpace(in.URL); u != "" {
		dv, err = s.review.MarkPublished(r.Context(), actor(r), state(r).user, id, u)
	} else {
		dv, err = s.review.Publish(r.Context(), actor(r), state(r).user, id)
	}
	s.draftResult(w, r, dv, err)
}

// apiDraftMarkPublished records that an approved draft was posted by hand,
// at the post's url.
func (s *Server) apiDraftMarkPublished(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL string `json:"url"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	dv, err := s.review.MarkPublished(r.Context(), actor(r), state(r).user, id, strings.TrimSpace(in.URL))
	s.draftResult(w, r, dv, err)
}

// apiDraftVersions lists the texts of a draft's versions, oldest first.
func (s *Server) apiDraftVersions(w http.ResponseWriter, r *http.Request) {
	id, lr, err := idAndList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	vs, err := s.review.Versions(r.Context(), state(r).user, id)
	if err == nil {
		vs, err = pageOf(lr, vs, func(v store.DraftVersion) int64 { return int64(v.Version) })
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	type version struct {
		Version int    `json:"version"`
		Text    string `json:"text"`
	}
	writeRows(w, lr, vs, func(v *store.DraftVersion) version {
		return version{v.Version, v.Text}
	}, func(i int) string { return store.IDKey(int64(vs[i].Version)) })
}

// apiDraftComments lists a draft's comments, oldest first.
func (s *Server) apiDraftComments(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	_, dv, err := s.loadDraft(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	var comments []model.DraftEvent
	for _, ev := range dv.Events {
		if ev.Kind == model.DraftEventComment {
			comments = append(comments, ev)
		}
	}
	if comments, err = pageOf(lr, comments, func(ev model.DraftEvent) int64 { return ev.ID }); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, comments, func(ev *model.DraftEvent) apiDraftEvent { return toAPIDraftEvent(*ev) }, func(i int) string { return store.IDKey(comments[i].ID) })
}

// apiDraftComment comments on a draft, anchored to the byte range
// [start, end) of its current text when both are given.
func (s *Server) apiDraftComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body  string `json:"body"`
		Start *int   `json:"start"`
		End   *int   `json:"end"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	ev, err := s.review.Comment(r.Context(), actor(r), state(r).user, id, strings.TrimSpace(in.Body), in.Start, in.End)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIDraftEvent(*ev))
}

// apiDraftImages lists a draft's images with their findings, all at once
// (a draft holds a few), in upload order.
func (s *Server) apiDraftImages(w http.ResponseWriter, r *http.Request) {
	_, dv, err := s.loadDraft(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": toAPIDraft(dv).Images, "next_cursor": nil})
}

// apiDraftImageUpload adds the image of a multipart form's "image" field
// to a draft and answers the draft, with the image's findings.
func (s *Server) apiDraftImageUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	f, hdr, err := r.FormFile("image")
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		s.writeAPIError(w, r, err)
		return
	case err != nil:
		s.writeAPIError(w, r, errorf(errs.Invalid, "send_the_image_as", "send the image as the \"image\" field of a multipart/form-data body"))
		return
	}
	defer f.Close()
	if _, err := s.review.AddImage(r.Context(), actor(r), state(r).user, id, hdr.Filename, f); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	dv, err := s.review.Get(r.Context(), state(r).user, id)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIDraft(dv))
}

// apiDraftSummary is a draft in a list: enough to pick it, GET it for the rest.
type apiDraftSummary struct {
	apiDraftHead
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	PublishedURL string     `json:"published_url,omitempty"`
}

func toAPIDraftSummary(d *model.StoredDraft) apiDraftSummary {
	return apiDraftSummary{apiDraftHead: toAPIDraftHead(d), CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		SubmittedAt: utcPtr(d.SubmittedAt), PublishedURL: d.PublishedURL}
}

// apiDrafts lists the caller's drafts, newest first, as the Drafts page does.
func (s *Server) apiDrafts(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	ds, _, err := s.review.Mine(r.Context(), state(r).user, lr.After, lr.Limit+1, 0)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, ds, toAPIDraftSummary, func(i int) string { return store.IDKey(ds[i].ID) })
}

// apiQueueItem is a draft waiting for the caller's decision.
type apiQueueItem struct {
	apiDraftSummary
	Handle         string `json:"handle"`
	Office         string `json:"office"`
	Kind           string `json:"kind"`
	Errors         int    `json:"errors"`
	Warnings       int    `json:"warnings"`
	WaitingSeconds int64  `json:"waiting_seconds"`
}

// apiReviewQueue lists the drafts waiting for the caller's decision, oldest
// submission first, with the review queue page's filters (account, office,
// clause).
func (s *Server) apiReviewQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	f := review.QueueFilter{Office: strings.TrimSpace(q.Get("office")), Clause: q.Get("clause"), Limit: lr.Limit + 1, After: lr.After}
	if v := q.Get("account"); v != "" {
		if f.AccountID, err = strconv.ParseInt(v, 10, 64); err != nil {
			s.writeAPIError(w, r, errorf(errs.Invalid, "account_filter_number", "the account filter must be an account number"))
			return
		}
	}
	queue, _, err := s.review.Queue(r.Context(), state(r).user, f)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, queue, func(it *review.QueueItem) apiQueueItem {
		return apiQueueItem{apiDraftSummary: toAPIDraftSummary(&it.Draft), Handle: it.Handle, Office: it.Office, Kind: it.Kind,
			Errors: it.Errors, Warnings: it.Warnings, WaitingSeconds: int64(it.Waiting.Seconds())}
	}, func(i int) string { return store.QueueKey(queue[i].Draft) })
}
