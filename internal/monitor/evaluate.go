package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/store"
)

// EvalSummary counts one evaluation run.
type EvalSummary struct {
	Evaluated, Healthy, AtRisk, Unknown int
	Transitions                         map[string]int // "active→at-risk": n
}

// evalPage is how many accounts are read and their results written at once.
const evalPage = 500

// ErrNotMonitored is returned by EvaluateAccount for an account whose
// status is not watched under 4.6 (requested, rejected, closed, ...).
var ErrNotMonitored = errors.New("the account is not monitored: only active, at-risk and closure-proposed accounts are evaluated")

// Evaluate judges every active, at-risk and closure-proposed account as of
// asOf, stores the results and moves accounts along health.Next: to at risk
// (managers and admins notified), back to active, or to a closure proposal
// once the grace period has passed (notified again). Each status change goes
// through the store's TransitionAccount: history, audit and notices together.
func (m *Monitor) Evaluate(ctx context.Context, asOf time.Time) (EvalSummary, error) {
	asOf = asOf.UTC()
	sum := EvalSummary{Transitions: map[string]int{}}
	var admins []model.User
	adminsRead := false
	var after int64
	for {
		accs, err := m.st.MonitoredAccounts(ctx, after, evalPage)
		if err != nil {
			return sum, err
		}
		if len(accs) == 0 {
			return sum, nil
		}
		after = accs[len(accs)-1].ID
		if err := m.evaluate(ctx, accs, asOf, &sum, &admins, &adminsRead); err != nil {
			return sum, err
		}
	}
}

// EvaluateAccount judges one account now ("evaluate now"), as the daily
// evaluation would, and applies its status change; it returns the stored
// result. ErrNotMonitored when the account's status is not watched.
func (m *Monitor) EvaluateAccount(ctx context.Context, accountID int64, asOf time.Time) (*HealthRecord, EvalSummary, error) {
	sum := EvalSummary{Transitions: map[string]int{}}
	acc, err := m.st.Account(ctx, accountID)
	if err != nil {
		return nil, sum, err
	}
	switch acc.Status {
	case model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed:
	default:
		return nil, sum, fmt.Errorf("account %d (%s): %w", acc.ID, acc.Status, ErrNotMonitored)
	}
	var admins []model.User
	read := false
	if err := m.evaluate(ctx, []model.Account{*acc}, asOf.UTC(), &sum, &admins, &read); err != nil {
		return nil, sum, err
	}
	rec, err := m.Health(ctx, accountID)
	return rec, sum, err
}

// evaluate judges a page of accounts, stores their results and applies
// their transitions, counting into sum. The admins (notified of every
// transition) are read once, at the first transition.
func (m *Monitor) evaluate(ctx context.Context, accs []model.Account, asOf time.Time, sum *EvalSummary, admins *[]model.User, adminsRead *bool) error {
	p := m.o.Pack.Parameters.Health
	window := max(90, p.EngagementDays)
	rows := make([]store.HealthRow, 0, len(accs))
	type move struct {
		acc      model.Account
		to, why  string
		result   health.Result
		atRiskAt *time.Time
	}
	var moves []move
	results, sinces, err := m.judge(ctx, accs, asOf, window)
	if err != nil {
		return err
	}
	for i, acc := range accs {
		res, since := results[i], sinces[i]
		sum.Evaluated++
		switch res.State {
		case health.StateAtRisk:
			sum.AtRisk++
		case health.StateUnknown:
			sum.Unknown++
		default:
			sum.Healthy++
		}
		to, why := health.Next(acc.Status, res, since, p, asOf)
		// The grace clock runs from the move to at risk; it is kept
		// while the account stays at risk or proposed for closure.
		var keep *time.Time
		switch {
		case to == model.StatusAtRisk && acc.Status == model.StatusActive:
			keep = &asOf
		case to == model.StatusAtRisk || to == model.StatusClosureProposed:
			keep = &since
		}
		row, err := healthRow(acc.ID, res, keep)
		if err != nil {
			return err
		}
		rows = append(rows, row)
		if to != acc.Status {
			moves = append(moves, move{acc, to, why, res, keep})
		}
	}
	if err := m.st.SaveHealth(ctx, rows); err != nil {
		return err
	}
	for _, mv := range moves {
		if !*adminsRead {
			if *admins, err = m.admins(ctx); err != nil {
				return err
			}
			*adminsRead = true
		}
		if err := m.move(ctx, mv.acc, mv.to, mv.why, mv.result, *admins, asOf); err != nil {
			if errs.Is(err, errs.Conflict) {
				continue // an admin changed it meanwhile: theirs stands
			}
			return err
		}
		sum.Transitions[mv.acc.Status+"→"+mv.to]++
	}
	return nil
}

// judge evaluates a page of accounts. The page is cut in evalReaders
// chunks, each read with a few queries (HealthInputs) and judged on its own
// goroutine: reads and evaluation overlap across chunks.
func (m *Monitor) judge(ctx context.Context, accs []model.Account, asOf time.Time, window int) ([]health.Result, []time.Time, error) {
	p := m.o.Pack.Parameters.Health
	results := make([]health.Result, len(accs))
	sinces := make([]time.Time, len(accs))
	errs := make([]error, evalReaders)
	size := (len(accs) + evalReaders - 1) / evalReaders
	var wg sync.WaitGroup
	for c := range evalReaders {
		lo, hi := c*size, min((c+1)*size, len(accs))
		if lo >= hi {
			break
		}
		wg.Go(func() {
			ids := make([]int64, 0, hi-lo)
			for _, acc := range accs[lo:hi] {
				ids = append(ids, acc.ID)
			}
			ins, err := m.st.HealthInputs(ctx, ids, asOf, window, p.FollowerTrendDays)
			if err != nil {
				errs[c] = err
				return
			}
			for i := lo; i < hi; i++ {
				in := ins[accs[i].ID]
				results[i] = health.Evaluate(accs[i], in.Profiles, in.Posts, p, asOf)
				if sinces[i], err = m.atRiskSince(ctx, accs[i], asOf); err != nil {
					errs[c] = fmt.Errorf("account %d: %w", accs[i].ID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	return results, sinces, errors.Join(errs...)
}

// evalReaders is how many accounts' data are read at once.
const evalReaders = 4

// atRiskSince is when an at-risk or closure-proposed account became at
// risk: the stored time, else the account's last change to at risk in its
// history, else asOf (the grace period starts now, never shortened).
func (m *Monitor) atRiskSince(ctx context.Context, acc model.Account, asOf time.Time) (time.Time, error) {
	if acc.Status != model.StatusAtRisk && acc.Status != model.StatusClosureProposed {
		return time.Time{}, nil
	}
	h, err := m.st.Health(ctx, acc.ID)
	if err == nil && h.AtRiskSince != nil {
		return *h.AtRiskSince, nil
	}
	if err != nil && !errs.Is(err, errs.NotFound) {
		return time.Time{}, err
	}
	evs, err := m.st.AccountEvents(ctx, acc.ID)
	if err != nil {
		return time.Time{}, err
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].To == model.StatusAtRisk {
			return evs[i].At, nil
		}
	}
	return asOf, nil
}

func healthRow(id int64, r health.Result, since *time.Time) (store.HealthRow, error) {
	reasons, err := json.Marshal(r.Reasons)
	if err != nil {
		return store.HealthRow{}, err
	}
	return store.HealthRow{AccountID: id, State: r.State, Reasons: string(reasons), LastPostAt: r.LastPostAt,
		Posts30d: r.Posts30d, Posts90d: r.Posts90d, EngagementRate: r.EngagementRate,
		FollowerTrend: r.FollowerTrend, EvaluatedAt: r.EvaluatedAt, AtRiskSince: since}, nil
}

// move applies one evaluation transition with its notices.
func (m *Monitor) move(ctx context.Context, acc model.Account, to, why string, r health.Result, admins []model.User, asOf time.Time) error {
	from := acc.Status
	acc.Status = to
	action := map[string]string{
		model.StatusAtRisk:          "account.at-risk",
		model.StatusClosureProposed: "account.closure-proposed",
		model.StatusActive:          "account.recovered",
	}[to]
	var notes []model.Notification
	if to != model.StatusActive {
		users, err := m.recipients(ctx, acc, admins)
		if err != nil {
			return err
		}
		notes = notices(acc, to, r, users, asOf)
	}
	err := m.st.TransitionAccount(ctx, actor, store.AccountChange{Account: &acc, From: from, Action: action,
		Reason: why, Notify: notes,
		Summary: fmt.Sprintf("account %s on %s: %s → %s as of %s: %s", acc.Handle, acc.Platform, from, to,
			asOf.Format(time.DateOnly), why)})
	if err == nil && len(notes) > 0 {
		m.o.Notify.Wake()
	}
	return err
}

// admins are the enabled admins (the Communications Group).
func (m *Monitor) admins(ctx context.Context) ([]model.User, error) {
	users, err := m.st.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []model.User
	for _, u := range users {
		if u.Role == model.RoleAdmin && u.DisabledAt == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// recipients are the account's managers who are users, and the admins, once each.
func (m *Monitor) recipients(ctx context.Context, acc model.Account, admins []model.User) ([]model.User, error) {
	seen := map[int64]bool{}
	var out []model.User
	for _, email := range acc.Managers {
		u, err := m.st.UserByEmail(ctx, strings.TrimSpace(email))
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.DisabledAt == nil && !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, *u)
		}
	}
	for _, u := range admins {
		if !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// notices tell users that acc moved to (at risk or closure proposed), each
// in their language, with the reasons as of asOf.
func notices(acc model.Account, to string, r health.Result, users []model.User, asOf time.Time) []model.Notification {
	key := "account." + to
	out := make([]model.Notification, 0, len(users))
	for _, u := range users {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n\n%s\n", notify.Detail(u, key+".detail"), notify.Detail(u, "as_of", i18n.Date(u.Lang, asOf)))
		for _, x := range r.Reasons {
			fmt.Fprintf(&b, "- %s (%s)\n", x.Text(u.Lang), x.Clause)
		}
		out = append(out, notify.Note(u, notify.KindAccount, fmt.Sprintf("/accounts/%d", acc.ID), strings.TrimRight(b.String(), "\n"),
			key, acc.Handle, acc.Platform))
	}
	return out
}
