package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
)

// Public reports of suspicious accounts (issue 16): a form on /verify and
// /registry and POST /api/v1/reports. Each lands in the triage queue through
// registry.Service.ReportAccount, which scores, deduplicates and counts it.
// Instead of a CAPTCHA the form has a honeypot field ("website") that people
// never see: a report that fills it gets the same answer and is dropped.

// maxReportContact bounds the optional contact (bytes).
const maxReportContact = 200

// reportInput is a public report, from the form or the API.
type reportInput struct {
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
	URL      string `json:"url"`
	Note     string `json:"note"`
	Contact  string `json:"contact"`
	Website  string `json:"website"` // the honeypot
}

// reportForm is the report form's state on /verify and /registry.
type reportForm struct {
	Platforms        []string
	Platform, Handle string
	Note, Contact    string // Contact: shown again only to its reporter, after a refusal
	Sent             bool
	Error            string
	CSRF, From       string // the page's token; "verify" or "registry"
}

// reportAllowed applies the per-address limit on reports; when it refuses
// it has set Retry-After.
func (s *Server) reportAllowed(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.reportRL.allow(state(r).addr)
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	return ok
}

// report files in; a filled honeypot is dropped without a word. The
// contact goes with the note to the audit trail, which only signed-in
// auditors read; it is never shown on a public page.
func (s *Server) report(r *http.Request, in reportInput) error {
	if strings.TrimSpace(in.Website) != "" {
		s.log.Info("report dropped: honeypot filled", "addr", state(r).addr)
		return nil
	}
	target := strings.TrimSpace(in.Handle)
	if target == "" {
		target = strings.TrimSpace(in.URL)
	}
	platform := strings.TrimSpace(in.Platform)
	if platform == "" {
		platform = platformFromURL(target)
	}
	if platform == "" || target == "" {
		return errorf(errs.Invalid, "give_the_platform_and", "give the platform and the handle, or paste the profile's URL")
	}
	note := strings.TrimSpace(in.Note)
	if c := strings.TrimSpace(in.Contact); c != "" {
		if len(c) > maxReportContact {
			return errorf(errs.Invalid, "the_contact_is_too_long", "the contact is too long: at most %d characters", maxReportContact)
		}
		note += "\n(contact: " + c + ")"
	}
	_, err := s.registry.ReportAccount(r.Context(), platform, target, note)
	return err
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	if !s.reportAllowed(w, r) {
		s.writeAPIError(w, r, errorf(errs.TooMany, "too_many_requests_from", "too many requests from this address; retry after %s seconds", w.Header().Get("Retry-After")))
		return
	}
	var in reportInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	if err := s.report(r, in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "received"})
}

// reportPage takes the form of /verify or /registry (field "from") and
// shows that page again with the outcome.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	rf := reportForm{Platforms: s.platforms(), Platform: r.PostFormValue("platform"),
		Handle: r.PostFormValue("handle"), Note: r.PostFormValue("note"), Contact: r.PostFormValue("contact")}
	status := http.StatusOK
	if !s.reportAllowed(w, r) {
		rf.Error, status = tr(r, "error.too_many_reports"), http.StatusTooManyRequests
	} else {
		err := s.report(r, reportInput{Platform: rf.Platform, Handle: rf.Handle, Note: rf.Note,
			Contact: rf.Contact, Website: r.PostFormValue("website")})
		switch {
		case err == nil:
			rf = reportForm{Platforms: rf.Platforms, Sent: true}
		case errs.Is(err, errs.Invalid):
			ae := toAPIError(state(r).lang, err)
			rf.Error, status = ae.Message, ae.status
		default:
			s.fail(w, r, err)
			return
		}
	}
	rf.CSRF = state(r).csrf
	if r.PostFormValue("from") == "registry" {
		rf.From = "registry"
		s.showRegistry(w, r, status, rf)
		return
	}
	rf.From = "verify"
	s.render(w, r, status, "verify", page{Title: tr(r, "title.verify"), Active: "/verify",
		Data: verifyView{Org: s.orgName(), Platforms: s.platforms(), Report: rf}})
}
