package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
)

// draftsView is the author's list of drafts.
type draftsView struct {
	Drafts   []model.StoredDraft
	Handles  map[int64]string
	Total    int
	Pager    pager
	CanWrite bool
}

const draftsPerPage = 50

func (s *Server) draftsPage(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	q := r.URL.Query()
	pg := pageParam(q)
	ds, total, err := s.review.Mine(r.Context(), u, "", draftsPerPage, (pg-1)*draftsPerPage)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := &draftsView{Drafts: ds, Total: total, Handles: map[int64]string{}, Pager: newPager("/drafts", q, pg, draftsPerPage, total)}
	for _, d := range ds {
		if _, ok := v.Handles[d.AccountID]; ok {
			continue
		}
		if a, err := s.registry.Account(r.Context(), d.AccountID); err == nil {
			v.Handles[d.AccountID] = a.Handle
		}
	}
	accs, err := s.writableAccounts(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.CanWrite = len(accs) > 0
	s.render(w, r, http.StatusOK, "drafts", page{Title: tr(r, "title.drafts"), Active: "/drafts", Data: v})
}

// writableAccounts lists the institutional accounts u may write drafts
// for: those listing u among their managers, or every one for an admin.
func (s *Server) writableAccounts(r *http.Request, u *model.User) ([]option, error) {
	var out []option
	for offset := 0; ; offset += 1000 {
		accs, total, err := s.registry.Accounts(r.Context(), store.AccountFilter{Sort: "handle", Statuses: review.DraftAccountStatuses, Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, a := range accs {
			if a.Kind == model.KindPersonal || (u.Role != model.RoleAdmin && !a.ManagedBy(u)) {
				continue
			}
			label := tr(r, "common.on_platform", a.Handle, a.Platform) + " (" + enum(pageLang(r), "kind", a.Kind) + ")"
			if a.Status != model.StatusActive {
				label += ", " + enum(pageLang(r), "status", a.Status)
			}
			out = append(out, option{Value: strconv.FormatInt(a.ID, 10), Label: label})
		}
		if offset+len(accs) >= total || len(accs) == 0 {
			return out, nil
		}
	}
}

// draftFormView is the draft editor, new or existing.
type draftFormView struct {
	Heading, Action, Submit string
	Warnings                []review.Warning
	ID                      int64 // 0 for a new draft
	Version                 int
	Account                 string // the account id (a select for a new draft)
	AccountLabel            string
	Accounts                []option
	Text                    string
	Checklist               []checklistRow
	Images                  []imageView
	Error                   string
	Report                  *model.Report
	Highlighted             any
	Findings                []findingView
	Counts                  string
}

func (s *Server) showDraftForm(w http.ResponseWriter, r *http.Request, status int, v *draftFormView) {
	if v.Text != "" && v.Account != "" {
		if id, err := strconv.ParseInt(v.Account, 10, 64); err == nil {
			if rep, err := s.review.Preview(r.Context(), state(r).user, id, v.Text); err == nil {
				v.Report = &rep
				v.Highlighted = highlight(pageLang(r), v.Text, rep.Findings)
				v.Findings, v.Counts = s.findingViews(pageLang(r), v.Text, rep.Findings)
			}
		}
	}
	s.render(w, r, status, "draft_form", page{Title: v.Heading, Active: "/drafts", Data: v})
}

// formChecklist reads the ticked items of the editor.
func formChecklist(r *http.Request) []string {
	r.ParseForm()
	return r.PostForm["checklist"]
}

func (s *Server) draftNewPage(w http.ResponseWriter, r *http.Request) {
	accs, err := s.writableAccounts(r, state(r).user)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &draftFormView{Heading: tr(r, "title.new_draft"), Action: "/drafts/new", Submit: tr(r, "form.save_draft"), Accounts: accs,
		Account: r.URL.Query().Get("account"), Checklist: checklistRows(pageLang(r), s.checker.Pack().Checklist, nil)}
	if v.Account == "" && len(accs) > 0 {
		v.Account = accs[0].Value
	}
	s.showDraftForm(w, r, http.StatusOK, v)
}

func (s *Server) draftCreate(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	accs, err := s.writableAccounts(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ticks := formChecklist(r)
	v := &draftFormView{Heading: tr(r, "title.new_draft"), Action: "/drafts/new", Submit: tr(r, "form.save_draft"), Accounts: accs,
		Account: r.PostFormValue("account"), Text: r.PostFormValue("text"), Checklist: checklistRows(pageLang(r), s.checker.Pack().Checklist, ticks)}
	id, err := strconv.ParseInt(v.Account, 10, 64)
	if err != nil {
		v.Error = tr(r, "drafts.choose_account")
		s.showDraftForm(w, r, http.StatusBadRequest, v)
		return
	}
	dv, err := s.review.Create(r.Context(), actor(r), u, review.DraftInput{AccountID: id, Text: v.Text, Checklist: ticks})
	if err != nil {
		s.formError(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/drafts/"+strconv.FormatInt(dv.Draft.ID, 10)+"/edit", http.StatusSeeOther)
}

// formError shows the editor again with a message a person can act on.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, v *draftFormView, err error) {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal || ae.kind == errs.NotFound {
		s.pageError(w, r, err)
		return
	}
	v.Error = ae.Message
	s.showDraftForm(w, r, ae.status, v)
}

// editForm is the editor for an existing draft, as stored.
func (s *Server) editForm(r *http.Request, dv *review.DraftView) *draftFormView {
	d := dv.Draft
	v := &draftFormView{Heading: tr(r, "title.edit_draft", dv.Account.Handle), Action: "/drafts/" + strconv.FormatInt(d.ID, 10) + "/edit",
		Submit: tr(r, "form.save_draft"), ID: d.ID, Version: d.Version, Account: strconv.FormatInt(d.AccountID, 10),
		AccountLabel: tr(r, "common.on_platform", dv.Account.Handle, dv.Account.Platform), Text: d.Text, Checklist: checklistRows(pageLang(r), dv.Checklist, d.Checklist),
		Warnings: s.review.Warnings(dv.Account)}
	for i, im := range d.Images {
		iv := imageView{DraftImage: im, N: i + 1}
		iv.Findings, _ = s.findingViews(pageLang(r), "", im.Findings)
		v.Images = append(v.Images, iv)
	}
	return v
}

// editableDraft loads the path's draft for its editor.
func (s *Server) editableDraft(r *http.Request) (*review.DraftView, error) {
	_, dv, err := s.loadDraft(r)
	if err != nil {
		return nil, err
	}
	if !dv.CanEdit {
		return nil, errorf(errs.Forbidden, "you_may_not_edit", "you may not edit this draft while it is %s", dv.Draft.Status)
	}
	return dv, nil
}

func (s *Server) draftEditPage(w http.ResponseWriter, r *http.Request) {
	dv, err := s.editableDraft(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showDraftForm(w, r, http.StatusOK, s.editForm(r, dv))
}

func (s *Server) draftEdit(w http.ResponseWriter, r *http.Request) {
	dv, err := s.editableDraft(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ticks := formChecklist(r)
	v := s.editForm(r, dv)
	v.Text, v.Checklist = r.PostFormValue("text"), checklistRows(pageLang(r), dv.Checklist, ticks)
	if _, err := s.review.Edit(r.Context(), actor(r), state(r).user, dv.Draft.ID, formVersion(r),
		review.DraftInput{Text: v.Text, Checklist: ticks}); err != nil {
		s.formError(w, r, v, err)
		return
	}
	to := "/drafts/" + strconv.FormatInt(dv.Draft.ID, 10)
	if v.Text != dv.Draft.Text {
		// The review service cleared the ticks given for the old text.
		to += "?ticks=reset"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) draftSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.review.Submit(r.Context(), actor(r), state(r).user, id)
	}
	if err == nil {
		http.Redirect(w, r, "/drafts/"+strconv.FormatInt(id, 10)+"?sent=1", http.StatusSeeOther)
		return
	}
	s.afterAction(w, r, id, err, nil)
}

// draftPreview answers the editor's live check: length, limit, findings,
// and the text with its findings marked (escaped by highlight).
func (s *Server) draftPreview(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("text")
	if postTooLong(text) {
		s.writeAPIError(w, r, errorf(errs.Invalid, "the_post_is_longer", "the post is longer than %d characters", maxPostChars))
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("account"), 10, 64)
	if err != nil {
		s.writeAPIError(w, r, errorf(errs.Invalid, "choose_an_account", "choose an account"))
		return
	}
	rep, err := s.review.Preview(r.Context(), state(r).user, id, text)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	s.metrics.checks.Inc()
	fvs, counts := s.findingViews(pageLang(r), text, rep.Findings)
	if fvs == nil {
		fvs = []findingView{}
	}
	lang := pageLang(r)
	summary := i18n.T(lang, "draft_form.no_findings")
	switch {
	case len(fvs) > 0:
		summary = i18n.T(lang, "live.summary", i18n.N(lang, "plural.finding", len(fvs)), counts)
	case strings.TrimSpace(text) == "":
		summary = i18n.T(lang, "draft_form.type_the_post_to_see")
	}
	writeJSON(w, http.StatusOK, map[string]any{"platform": rep.Platform.Name, "length": rep.Platform.Length,
		"limit": rep.Platform.Limit, "findings": fvs, "html": string(highlight(pageLang(r), text, rep.Findings)),
		"counter": counterText(lang, rep.Platform, len(fvs)), "summary_text": summary})
}
