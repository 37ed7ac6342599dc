package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// reviewKinds are the account kinds whose drafts are reviewed.
var reviewKinds = []string{model.KindCorporate, model.KindCountryOffice, model.KindProject}

// maxRouteSteps is how many steps the route form offers per kind.
const maxRouteSteps = 3

// stepChoices are what a step of the route form may be: who takes it and
// whether it runs only when asked for. "" leaves the step out. Labels are
// catalog keys.
var stepChoices = []option{
	{Value: "", Label: "review.step.none"},
	{Value: model.ReviewerOfficeLead, Label: "review.step.office_lead"},
	{Value: model.ReviewerOfficeLead + ":optional", Label: "review.step.office_lead_optional"},
	{Value: model.ReviewerCommunications, Label: "review.step.communications"},
	{Value: model.ReviewerCommunications + ":optional", Label: "review.step.communications_optional"},
}

// reviewSettings is the review page's admin part beside the service
// levels: the route of each account kind, the office leads and how long an
// approval lasts.
type reviewSettings struct {
	Routes   []routeForm
	Choices  []option
	Leads    []officeLeads
	Offices  []string // offices of the registry, for the leads form
	TTLHours int
}

type routeForm struct {
	Kind  string
	Steps []string // one choice value per form step, maxRouteSteps long
}

type officeLeads struct {
	Office string
	Emails string
}

// reviewSettingsFor gathers the admin settings for the review page; nil
// for those who may not change them.
func (s *Server) reviewSettingsFor(r *http.Request) (*reviewSettings, error) {
	if !auth.Allowed(state(r).user.Role, auth.ReviewSettings) {
		return nil, nil
	}
	ctx := r.Context()
	v := &reviewSettings{Choices: stepChoices}
	routes, err := s.review.Routes(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range reviewKinds {
		f := routeForm{Kind: k, Steps: make([]string, maxRouteSteps)}
		for i, st := range routes[k].Steps {
			if i < maxRouteSteps {
				f.Steps[i] = st.Who
				if st.Optional {
					f.Steps[i] += ":optional"
				}
			}
		}
		v.Routes = append(v.Routes, f)
	}
	leads, err := s.review.OfficeLeads(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.monitor.Counts(ctx)
	if err != nil {
		return nil, err
	}
	offices := map[string]bool{}
	for o := range counts.ByOffice {
		offices[o] = o != ""
	}
	for o := range leads {
		offices[o] = true
	}
	for o, ok := range offices {
		if ok {
			v.Offices = append(v.Offices, o)
		}
	}
	slices.Sort(v.Offices)
	for _, o := range v.Offices {
		if emails := leads[o]; len(emails) > 0 {
			v.Leads = append(v.Leads, officeLeads{Office: o, Emails: strings.Join(emails, ", ")})
		}
	}
	ttl, err := s.review.ApprovalTTL(ctx)
	if err != nil {
		return nil, err
	}
	v.TTLHours = int(ttl / time.Hour)
	return v, nil
}

// savedNotice says which review setting was just saved.
func savedNotice(r *http.Request, what string) string {
	switch what {
	case "routes":
		return tr(r, "review.saved.routes")
	case "leads":
		return tr(r, "review.saved.leads")
	case "ttl":
		return tr(r, "review.saved.ttl")
	case "sla":
		return tr(r, "review.saved.sla")
	}
	return ""
}

// setReviewRoute stores the route of one account kind from the form's
// steps, in order, empty steps left out.
func (s *Server) setReviewRoute(w http.ResponseWriter, r *http.Request) {
	kind := r.PostFormValue("kind")
	route := model.ReviewRoute{Kind: kind}
	for i := 1; i <= maxRouteSteps; i++ {
		v := r.PostFormValue("step" + strconv.Itoa(i))
		if v == "" {
			continue
		}
		who, opt, _ := strings.Cut(v, ":")
		if !slices.ContainsFunc(stepChoices, func(c option) bool { return c.Value == v }) {
			s.pageError(w, r, errorf(errs.Invalid, "review_step", "step %d must be the office's lead or the Communications Group, optional or not", i))
			return
		}
		route.Steps = append(route.Steps, model.ReviewStep{Who: who, Optional: opt == "optional"})
	}
	if err := s.review.SetRoute(r.Context(), actor(r), state(r).user, route); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/review?saved=routes#review-settings", http.StatusSeeOther)
}

// setOfficeLeads stores the leads of one office: e-mails separated by
// commas, spaces or lines; none clears them.
func (s *Server) setOfficeLeads(w http.ResponseWriter, r *http.Request) {
	emails := strings.FieldsFunc(r.PostFormValue("emails"), func(c rune) bool {
		return c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
	})
	if err := s.review.SetOfficeLeads(r.Context(), actor(r), state(r).user, r.PostFormValue("office"), emails); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/review?saved=leads#review-settings", http.StatusSeeOther)
}

// setApprovalTTL stores how many hours an approval lasts.
func (s *Server) setApprovalTTL(w http.ResponseWriter, r *http.Request) {
	h, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("hours")))
	if err != nil || h < 1 || h > 90*24 {
		s.pageError(w, r, errorf(errs.Invalid, "approval_hours", "an approval lasts a whole number of hours from 1 to %d (90 days)", 90*24))
		return
	}
	if err := s.review.SetApprovalTTL(r.Context(), actor(r), state(r).user, time.Duration(h)*time.Hour); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/review?saved=ttl#review-settings", http.StatusSeeOther)
}
