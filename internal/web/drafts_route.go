package web

import (
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

// stepRow is one step of a draft's review route as the draft page lists it:
// who takes it, whether it runs, and who approved it in the current round.
type stepRow struct {
	N        int
	Who      string // "the office's lead", "the Communications Group"
	Optional bool
	State    string // approved | current | to-come | not-asked (an optional step nobody asked for) | not-reached
	By       string // the approver's e-mail, when approved
	At       time.Time
	Version  int
	Override bool
}

// stepLabel is the catalog key that names who takes a step.
func stepLabel(who string) string {
	if who == model.ReviewerOfficeLead {
		return "review.step.office_lead"
	}
	return "review.step.communications"
}

// runs reports whether step n (1-based) of route is taken in the draft's
// review: a required step always, an optional one once asked for or reached.
func runs(route []model.ReviewStep, d model.StoredDraft, n int) bool {
	return !route[n-1].Optional || d.Escalated || (d.Step != 0 && n <= d.Step)
}

// routeSteps lists the draft's route with the approvals of the current
// round (since it was last sent for review): who approved which step.
func routeSteps(dv *review.DraftView) []stepRow {
	d := dv.Draft
	round := 0 // events of the current round start here
	for i, ev := range dv.Events {
		if ev.Kind == model.DraftEventSubmit {
			round = i
		}
	}
	approvals := map[int]model.DraftEvent{}
	for _, ev := range dv.Events[round:] {
		if ev.Kind == model.DraftEventApprove {
			approvals[ev.Step] = ev
		}
	}
	rows := make([]stepRow, 0, len(dv.Route))
	for i, st := range dv.Route {
		n := i + 1
		row := stepRow{N: n, Who: stepLabel(st.Who), Optional: st.Optional}
		ev, approved := approvals[n]
		switch {
		case approved && (d.Status == model.DraftInReview || d.Status == model.DraftApproved || d.Status == model.DraftPublished):
			row.State, row.By, row.At, row.Version, row.Override = "approved", ev.ActorEmail, ev.At, ev.Version, ev.Override
		case d.Status == model.DraftInReview && n == d.Step:
			row.State = "current"
		case d.Status == model.DraftInReview && n > d.Step && runs(dv.Route, d, n):
			row.State = "to-come"
		case st.Optional && !d.Escalated:
			row.State = "not-asked"
		default:
			row.State = "not-reached"
		}
		rows = append(rows, row)
	}
	return rows
}

// reviewStepLabel tells where an in-review draft stands: its step of the
// steps that will really run, and the optional step that runs only when
// asked for.
func reviewStepLabel(lang string, dv *review.DraftView) string {
	d := dv.Draft
	total := 0
	var optional []string
	for i, st := range dv.Route {
		if runs(dv.Route, d, i+1) {
			total++
		} else {
			optional = append(optional, i18n.T(lang, stepLabel(st.Who)))
		}
	}
	label := i18n.T(lang, "draft.step_of", d.Step, total, i18n.T(lang, stepLabel(d.StepWho)))
	if len(optional) > 0 {
		label += i18n.T(lang, "draft.then_optional", strings.Join(optional, i18n.T(lang, "draft.and")))
	}
	return label
}

// escalation is the optional step that follows the current one, which the
// approver may ask for; "" when there is none.
func escalation(dv *review.DraftView) string {
	d := dv.Draft
	if d.Status != model.DraftInReview || d.Escalated || d.Step < 1 || d.Step >= len(dv.Route) {
		return ""
	}
	if next := dv.Route[d.Step]; next.Optional {
		return stepLabel(next.Who)
	}
	return ""
}
