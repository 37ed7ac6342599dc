package web

import (
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

// apiReviewSettings is what the review page's admin part shows: the route
// of each account kind, the office leads, how long an approval lasts and
// how long a step may wait.
type apiReviewSettings struct {
	Routes                map[string][]model.ReviewStep `json:"routes"`
	OfficeLeads           map[string][]string           `json:"office_leads"`
	ApprovalLifetimeHours int                           `json:"approval_lifetime_hours"`
	ServiceLevels         map[string]int                `json:"service_levels"`
}

func (s *Server) apiReviewSettings(w http.ResponseWriter, r *http.Request) {
	v, err := s.reviewSettingsDoc(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeEntity(w, http.StatusOK, v)
}

func (s *Server) reviewSettingsDoc(r *http.Request) (*apiReviewSettings, error) {
	ctx := r.Context()
	routes, err := s.review.Routes(ctx)
	if err != nil {
		return nil, err
	}
	leads, err := s.review.OfficeLeads(ctx)
	if err != nil {
		return nil, err
	}
	ttl, err := s.review.ApprovalTTL(ctx)
	if err != nil {
		return nil, err
	}
	sla, err := s.review.ServiceLevels(ctx)
	if err != nil {
		return nil, err
	}
	v := &apiReviewSettings{Routes: map[string][]model.ReviewStep{}, OfficeLeads: leads,
		ApprovalLifetimeHours: int(ttl / time.Hour), ServiceLevels: sla}
	for k, rt := range routes {
		v.Routes[k] = rt.Steps
	}
	return v, nil
}

// apiPatchReviewSettings changes the settings the body names and leaves
// the others; every part is checked before any is stored. If-Match must
// name the settings as last read.
func (s *Server) apiPatchReviewSettings(w http.ResponseWriter, r *http.Request) {
	cur, err := s.reviewSettingsDoc(r)
	if err == nil {
		err = ifMatch(r, cur)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	var in struct {
		Routes                map[string][]model.ReviewStep `json:"routes"`
		OfficeLeads           map[string][]string           `json:"office_leads"`
		ApprovalLifetimeHours *int                          `json:"approval_lifetime_hours"`
		ServiceLevels         map[string]int                `json:"service_levels"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	p := review.SettingsPatch{OfficeLeads: in.OfficeLeads, ServiceLevels: in.ServiceLevels}
	for _, kind := range slices.Sorted(maps.Keys(in.Routes)) {
		p.Routes = append(p.Routes, model.ReviewRoute{Kind: kind, Steps: in.Routes[kind]})
	}
	if h := in.ApprovalLifetimeHours; h != nil {
		d := time.Duration(*h) * time.Hour
		if *h < 1 || *h > 90*24 {
			s.writeAPIError(w, r, errorf(errs.Invalid, "approval_lifetime_hours", "approval_lifetime_hours: an approval lasts a whole number of hours from 1 to %d (90 days)", 90*24))
			return
		}
		p.ApprovalTTL = &d
	}
	if err := s.review.UpdateSettings(r.Context(), actor(r), state(r).user, p); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	s.apiReviewSettings(w, r)
}
