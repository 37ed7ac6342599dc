package review

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// Setting keys in store.ReviewSetting.
const (
	keyRoute   = "route:"        // + account kind → JSON []model.ReviewStep
	keyTTL     = "approval_ttl"  // JSON duration string, e.g. "72h0m0s"
	keyLeads   = "office_leads:" // + office → JSON []string of e-mails
	defaultTTL = 72 * time.Hour
)

// defaultRoutes: corporate accounts are reviewed by the Communications
// Group; office and project accounts by the office's lead, then, when the
// lead asks for it, by the Communications Group.
func defaultRoutes() map[string]model.ReviewRoute {
	office := []model.ReviewStep{{Who: model.ReviewerOfficeLead}, {Who: model.ReviewerCommunications, Optional: true}}
	return map[string]model.ReviewRoute{
		model.KindCorporate:     {Kind: model.KindCorporate, Steps: []model.ReviewStep{{Who: model.ReviewerCommunications}}},
		model.KindCountryOffice: {Kind: model.KindCountryOffice, Steps: office},
		model.KindProject:       {Kind: model.KindProject, Steps: office},
	}
}

func requireAdmin(u *model.User) error {
	if u == nil || u.Role != model.RoleAdmin {
		return errs.Errorf(errs.Forbidden, "draft.only_admins_change_review", "only admins change review settings")
	}
	return nil
}

// Routes returns the review route of every account kind, defaults filled.
func (s *Service) Routes(ctx context.Context) (map[string]model.ReviewRoute, error) {
	out := defaultRoutes()
	stored, err := s.Store.ReviewSettings(ctx, keyRoute)
	if err != nil {
		return nil, err
	}
	for k, v := range stored {
		kind := strings.TrimPrefix(k, keyRoute)
		var steps []model.ReviewStep
		if err := json.Unmarshal([]byte(v), &steps); err != nil {
			return nil, fmt.Errorf("review: setting %s: %w", k, err)
		}
		out[kind] = model.ReviewRoute{Kind: kind, Steps: steps}
	}
	return out, nil
}

func (s *Service) route(ctx context.Context, kind string) ([]model.ReviewStep, error) {
	routes, err := s.Routes(ctx)
	if err != nil {
		return nil, err
	}
	r, ok := routes[kind]
	if !ok {
		return nil, invalid("review.no_route", "no review route for account kind %q", kind)
	}
	return r.Steps, nil
}

// SetRoute stores the route for one account kind (admin).
func (s *Service) SetRoute(ctx context.Context, a model.Actor, u *model.User, r model.ReviewRoute) error {
	return s.UpdateSettings(ctx, a, u, SettingsPatch{Routes: []model.ReviewRoute{r}})
}

func checkRoute(r model.ReviewRoute) error {
	if _, ok := defaultRoutes()[r.Kind]; !ok {
		return invalid("review.unknown_kind", "unknown account kind %q", r.Kind)
	}
	if len(r.Steps) == 0 || r.Steps[0].Optional {
		return invalid("review.first_step", "a route needs a first step that is not optional")
	}
	for _, st := range r.Steps {
		if st.Who != model.ReviewerOfficeLead && st.Who != model.ReviewerCommunications {
			return invalid("review.step_who", "a step is taken by %q or %q, not %q", model.ReviewerOfficeLead, model.ReviewerCommunications, st.Who)
		}
	}
	return nil
}

// ApprovalTTL is how long an approval stays valid.
func (s *Service) ApprovalTTL(ctx context.Context) (time.Duration, error) {
	v, err := s.Store.ReviewSetting(ctx, keyTTL)
	if errs.Is(err, errs.NotFound) {
		return defaultTTL, nil
	} else if err != nil {
		return 0, err
	}
	var text string
	if err := json.Unmarshal([]byte(v), &text); err != nil {
		return 0, fmt.Errorf("review: setting %s: %w", keyTTL, err)
	}
	return time.ParseDuration(text)
}

// SetApprovalTTL sets how long approvals stay valid (admin; 1 minute to 90 days).
func (s *Service) SetApprovalTTL(ctx context.Context, a model.Actor, u *model.User, d time.Duration) error {
	return s.UpdateSettings(ctx, a, u, SettingsPatch{ApprovalTTL: &d})
}

func checkTTL(d time.Duration) error {
	if d < time.Minute || d > 90*24*time.Hour {
		return invalid("review.approval_ttl", "an approval lasts between 1 minute and 90 days, not %s", d)
	}
	return nil
}

// OfficeLeads returns the lead e-mails of every office that has any.
func (s *Service) OfficeLeads(ctx context.Context) (map[string][]string, error) {
	stored, err := s.Store.ReviewSettings(ctx, keyLeads)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for k, v := range stored {
		var emails []string
		if err := json.Unmarshal([]byte(v), &emails); err != nil {
			return nil, fmt.Errorf("review: setting %s: %w", k, err)
		}
		if len(emails) > 0 {
			out[strings.TrimPrefix(k, keyLeads)] = emails
		}
	}
	return out, nil
}

func (s *Service) officeLeads(ctx context.Context, office string) ([]string, error) {
	v, err := s.Store.ReviewSetting(ctx, keyLeads+office)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var emails []string
	if err := json.Unmarshal([]byte(v), &emails); err != nil {
		return nil, fmt.Errorf("review: setting %s%s: %w", keyLeads, office, err)
	}
	return emails, nil
}

// SetOfficeLeads sets who leads an office (admin): the users who take the
// office-lead review step for the office's accounts. Empty clears it.
func (s *Service) SetOfficeLeads(ctx context.Context, a model.Actor, u *model.User, office string, emails []string) error {
	return s.UpdateSettings(ctx, a, u, SettingsPatch{OfficeLeads: map[string][]string{office: emails}})
}

// cleanLeads checks an office's lead e-mails against the users, lowercased
// and without blanks.
func (s *Service) cleanLeads(ctx context.Context, office string, emails []string) (string, []string, error) {
	office = strings.TrimSpace(office)
	if office == "" {
		return "", nil, invalid("review.office_required", "an office is required")
	}
	clean := []string{}
	for _, e := range emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if _, err := s.Store.UserByEmail(ctx, e); errs.Is(err, errs.NotFound) {
			return "", nil, errs.Errorf(errs.Invalid, "draft.lead_unknown", "no Herald user has the e-mail address %s: add them under Users first, then make them a lead", e)
		} else if err != nil {
			return "", nil, fmt.Errorf("office lead %s: %w", e, err)
		}
		clean = append(clean, e)
	}
	return office, clean, nil
}

// SettingsPatch is a change to several review settings at once; nil and
// empty fields are left as they are.
type SettingsPatch struct {
	Routes        []model.ReviewRoute
	OfficeLeads   map[string][]string // office → lead e-mails; none clears them
	ApprovalTTL   *time.Duration
	ServiceLevels map[string]int // account kind → hours
}

// UpdateSettings checks every part of p, then stores them (admin): a
// refused part leaves every setting as it was.
func (s *Service) UpdateSettings(ctx context.Context, a model.Actor, u *model.User, p SettingsPatch) error {
	if err := requireAdmin(u); err != nil {
		return err
	}
	writes := map[string]string{}
	for _, r := range p.Routes {
		if err := checkRoute(r); err != nil {
			return err
		}
		b, _ := json.Marshal(r.Steps)
		writes[keyRoute+r.Kind] = string(b)
	}
	for office, emails := range p.OfficeLeads {
		office, clean, err := s.cleanLeads(ctx, office, emails)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(clean)
		writes[keyLeads+office] = string(b)
	}
	if p.ApprovalTTL != nil {
		if err := checkTTL(*p.ApprovalTTL); err != nil {
			return err
		}
		b, _ := json.Marshal(p.ApprovalTTL.String())
		writes[keyTTL] = string(b)
	}
	for kind, hours := range p.ServiceLevels {
		if err := checkSLA(kind, hours); err != nil {
			return err
		}
		writes[keySLA+kind] = strconv.Itoa(hours)
	}
	for _, k := range slices.Sorted(maps.Keys(writes)) {
		if err := s.Store.SetReviewSetting(ctx, a, k, writes[k]); err != nil {
			return err
		}
	}
	return nil
}
