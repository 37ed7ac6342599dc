package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
)

// checklistRow is one pack checklist item and whether the author ticked it.
type checklistRow struct {
	ID, Clause, Text string
	Ticked           bool
}

// checklistRows are items in lang, each ticked or not.
func checklistRows(lang string, items []policy.ChecklistItem, ticked []string) []checklistRow {
	on := map[string]bool{}
	for _, id := range ticked {
		on[id] = true
	}
	rows := make([]checklistRow, 0, len(items))
	for _, it := range items {
		rows = append(rows, checklistRow{ID: it.ID, Clause: it.Clause, Text: it.Text.In(lang), Ticked: on[it.ID]})
	}
	return rows
}

// eventView is one line of a draft's timeline.
type eventView struct {
	model.DraftEvent
	Label string
	Quote string // the text a comment is anchored to, when it still matches
}

// eventLabels name the timeline's events by catalog key.
var eventLabels = map[string]string{
	model.DraftEventCreate: "event.create", model.DraftEventEdit: "event.edit", model.DraftEventSubmit: "event.submit",
	model.DraftEventComment: "event.comment", model.DraftEventApprove: "event.approve", model.DraftEventRequestChanges: "event.request_changes",
	model.DraftEventReject: "event.reject", model.DraftEventRecheck: "event.recheck",
	model.DraftEventImage: "event.image", model.DraftEventPublish: "event.publish",
}

// draftView is what the draft page (the author's and the reviewer's) shows.
type draftView struct {
	*review.DraftView
	Own                bool
	Highlighted        template.HTML
	Findings           []findingView
	Counts             string
	HasErrors          bool
	Checklist          []checklistRow
	Images             []imageView
	Timeline           []eventView
	Error              string
	Decision, Comment  string
	Override           bool
	CanComment         bool
	Copy               bool // show the text to copy out (platforms without a connector)
	Sent               bool
	StepLabel, Expires string
	Steps              []stepRow // the review route, who approved which step
	EscalateTo         string    // the optional next step the approver may ask for
	Diff               *versionDiff
	TicksReset         bool // the last edit changed the text and cleared the checklist
	Warnings           []review.Warning
}

// imageView is an image with its findings, numbered for the page.
type imageView struct {
	model.DraftImage
	N        int
	Findings []findingView
}

func (s *Server) newDraftView(r *http.Request, dv *review.DraftView) *draftView {
	u := state(r).user
	d := dv.Draft
	v := &draftView{DraftView: dv, Own: d.AuthorID == u.ID,
		CanComment: auth.Allowed(u.Role, auth.DraftsComment) && d.Status != model.DraftPublished,
		Copy:       dv.CanMarkPublished && !dv.CanPublish, Checklist: checklistRows(pageLang(r), dv.Checklist, d.Checklist),
		Warnings: s.review.Warnings(dv.Account)}
	if d.Report != nil {
		v.Highlighted = highlight(pageLang(r), d.Text, d.Report.Findings)
		v.Findings, v.Counts = s.findingViews(pageLang(r), d.Text, d.Report.Findings)
		v.HasErrors = d.Report.HasErrors()
	} else {
		v.Highlighted = highlight(pageLang(r), d.Text, nil)
	}
	for i, im := range d.Images {
		iv := imageView{DraftImage: im, N: i + 1}
		iv.Findings, _ = s.findingViews(pageLang(r), "", im.Findings)
		v.Images = append(v.Images, iv)
	}
	for _, ev := range dv.Events {
		e := eventView{DraftEvent: ev, Label: eventLabels[ev.Kind]}
		if ev.Kind == model.DraftEventApprove && ev.Override {
			e.Label = "event.approve_override"
		}
		if ev.Start != nil && ev.End != nil && ev.Version == d.Version && *ev.Start < *ev.End && *ev.End <= len(d.Text) {
			e.Quote = d.Text[*ev.Start:*ev.End]
		}
		v.Timeline = append(v.Timeline, e)
	}
	if d.Status == model.DraftInReview {
		v.StepLabel = reviewStepLabel(pageLang(r), dv)
	}
	v.Steps, v.EscalateTo = routeSteps(dv), escalation(dv)
	if dv.ExpiresAt != nil {
		v.Expires = dv.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return v
}

func (s *Server) showDraft(w http.ResponseWriter, r *http.Request, status int, v *draftView) {
	title := tr(r, "title.draft", v.Account.Handle)
	s.render(w, r, status, "draft", page{Title: title, Active: draftNav(state(r).user, v), Data: v})
}

// draftNav marks Review for a reviewer's look at someone's draft, Drafts otherwise.
func draftNav(u *model.User, v *draftView) string {
	if !v.Own && auth.Allowed(u.Role, auth.DraftsReview) {
		return "Review"
	}
	return "Drafts"
}

// loadDraft reads the path's draft for the signed-in user.
func (s *Server) loadDraft(r *http.Request) (int64, *review.DraftView, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	dv, err := s.review.Get(r.Context(), state(r).user, id)
	return id, dv, err
}

func (s *Server) draftPage(w http.ResponseWriter, r *http.Request) {
	_, dv, err := s.loadDraft(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := s.newDraftView(r, dv)
	v.Sent = r.URL.Query().Get("sent") != ""
	v.TicksReset = r.URL.Query().Get("ticks") == "reset" && len(dv.Draft.Checklist) == 0
	if v.Diff, err = s.draftDiff(r, dv); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showDraft(w, r, http.StatusOK, v)
}

// afterAction goes back to the draft page on success; on an error a
// person can act on, it shows the page again with the message.
func (s *Server) afterAction(w http.ResponseWriter, r *http.Request, id int64, err error, keep func(*draftView)) {
	if err == nil {
		http.Redirect(w, r, "/drafts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	ae := toAPIError(state(r).lang, err)
	switch ae.kind {
	case errs.Invalid, errs.Forbidden, errs.Conflict, errs.Unprocessable, errs.TooLarge, errs.Unsupported, errs.Unavailable:
	default:
		s.pageError(w, r, err)
		return
	}
	dv, gerr := s.review.Get(r.Context(), state(r).user, id)
	if gerr != nil {
		s.pageError(w, r, gerr)
		return
	}
	v := s.newDraftView(r, dv)
	v.Error = ae.Message
	if keep != nil {
		keep(v)
	}
	s.showDraft(w, r, ae.status, v)
}

func formVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostFormValue("version"))
	return n
}

func (s *Server) draftDecide(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	dec := review.Decision{Decision: r.PostFormValue("decision"), Comment: strings.TrimSpace(r.PostFormValue("comment")),
		Override: r.PostFormValue("override") != "", Version: formVersion(r), Escalate: r.PostFormValue("escalate") != ""}
	if dec.Version == 0 {
		// The form always carries the version it showed; without it a
		// decision could land on text the reviewer never saw.
		err = errorf(errs.Invalid, "the_form_lacks_the", "the form lacks the version you reviewed; reload the page")
	} else {
		_, err = s.review.Decide(r.Context(), actor(r), state(r).user, id, dec)
	}
	s.afterAction(w, r, id, err, func(v *draftView) { v.Decision, v.Comment, v.Override = dec.Decision, dec.Comment, dec.Override })
}

func (s *Server) draftComment(w http.ResponseWriter, r *http.Request) {
	id, dv, err := s.loadDraft(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	body := strings.TrimSpace(r.PostFormValue("body"))
	var start, end *int
	if q := r.PostFormValue("quote"); strings.TrimSpace(q) != "" {
		i := strings.Index(dv.Draft.Text, q)
		if i < 0 {
			s.afterAction(w, r, id, errorf(errs.Invalid, "the_quoted_words_are", "the quoted words are not in the draft's text"), nil)
			return
		}
		j := i + len(q)
		start, end = &i, &j
	}
	_, err = s.review.Comment(r.Context(), actor(r), state(r).user, id, body, start, end)
	s.afterAction(w, r, id, err, nil)
}

func (s *Server) draftPublish(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.review.Publish(r.Context(), actor(r), state(r).user, id)
	}
	s.afterAction(w, r, id, err, nil)
}

func (s *Server) draftMarkPublished(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.review.MarkPublished(r.Context(), actor(r), state(r).user, id, strings.TrimSpace(r.PostFormValue("post_url")))
	}
	s.afterAction(w, r, id, err, nil)
}

// queueView is the review queue page.
type queueView struct {
	Items    []queueRow
	Total    int
	Accounts []option
	Clauses  []option
	Account  string
	Office   string
	Clause   string
	Pager    pager
	// ServiceLevels are the hours a step may wait, per account kind, for
	// admins to change (notifications.go).
	ServiceLevels []serviceLevel
	Settings      *reviewSettings // routes, office leads, approval lifetime (admins)
}

type queueRow struct {
	review.QueueItem
	Waiting string
}

const queuePerPage = 50

// waiting says how long a draft has waited, in the largest sensible unit.
func waiting(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

func (s *Server) reviewQueuePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := pageParam(q)
	v := &queueView{Account: q.Get("account"), Office: strings.TrimSpace(q.Get("office")), Clause: q.Get("clause")}
	f := review.QueueFilter{Office: v.Office, Clause: v.Clause, Limit: queuePerPage, Offset: (pg - 1) * queuePerPage}
	if v.Account != "" {
		id, err := strconv.ParseInt(v.Account, 10, 64)
		if err != nil {
			s.renderStatus(w, r, http.StatusBadRequest, tr(r, "error.bad_filter"), tr(r, "review.filter_account_number"))
			return
		}
		f.AccountID = id
	}
	items, total, err := s.review.Queue(r.Context(), state(r).user, f)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Total = total
	for _, it := range items {
		v.Items = append(v.Items, queueRow{QueueItem: it, Waiting: waiting(it.Waiting)})
	}
	accs, _, err := s.registry.Accounts(r.Context(), store.AccountFilter{Sort: "handle", Limit: 500, Statuses: review.DraftAccountStatuses})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range accs {
		if a.Kind != model.KindPersonal {
			v.Accounts = append(v.Accounts, option{Value: strconv.FormatInt(a.ID, 10), Label: tr(r, "common.on_platform", a.Handle, a.Platform)})
		}
	}
	for _, c := range s.checker.Pack().Clauses {
		v.Clauses = append(v.Clauses, option{Value: c.ID, Label: c.ID + " " + c.Title.In(pageLang(r))})
	}
	if v.ServiceLevels, err = s.serviceLevels(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Settings, err = s.reviewSettingsFor(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Pager = newPager("/review", q, pg, queuePerPage, total)
	s.render(w, r, http.StatusOK, "review_queue", page{Title: tr(r, "title.review_queue"), Active: "/review", Notice: savedNotice(r, q.Get("saved")), Data: v})
}
