package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
)

// countRow is one line of a dashboard count table; Bar is its share of the
// table's largest count in percent, for the bar drawn beside it.
type countRow struct {
	Label string
	N     int
	Href  string
	Bar   float64
}

type countTable struct {
	ID, Title, Column string
	Rows              []countRow
}

type dashboardView struct {
	PolicyRef, PolicyTitle, PackID, PackVersion string
	Rules, Accounts                             int
	CanCheck                                    bool
	Counts                                      []countTable
	Mine                                        []riskItem // a manager's own accounts
	AtRisk                                      []riskItem // at-risk and closure-proposed, the viewer's first
	Unknown                                     []riskItem // evaluated unknown: no data at all
	UnknownTotal                                int
	CanEvaluate                                 bool // "evaluate all now"
	Waiting                                     []model.Account
	WaitingTotal                                int
	ShowWaiting                                 bool
	ForYou                                      forYou
	// Accounts counts the accounts in use (active, at risk, proposed for
	// closure); these are apart.
	Requested, Closed, Rejected int
}

// forYou is what waits for the viewer, at the top of the dashboard: the
// review steps they decide, the unanswered advice and the requests (the
// Communications Group), the accounts they manage that are at risk.
type forYou struct {
	ShowQueue, ShowAdvice bool
	Queue                 []review.QueueItem
	QueueTotal            int
	Advice                []model.AdviceQuestion
	AdviceTotal           int
	MyRisk                []riskItem
}

// Nothing says that nothing waits for the viewer.
func (f forYou) Nothing(v dashboardView) bool {
	return f.QueueTotal == 0 && f.AdviceTotal == 0 && len(f.MyRisk) == 0 && (!v.ShowWaiting || v.WaitingTotal == 0)
}

// dashboardForYou is how many items of each kind the "waiting for you" section lists.
const dashboardForYou = 5

// dashboardRequests is how many waiting requests the dashboard lists.
const dashboardRequests = 10

// dashboardUnknown is how many accounts without data the dashboard lists.
const dashboardUnknown = 20

// dashboardAtRisk bounds the at-risk list; the registry has far fewer.
const dashboardAtRisk = 1000

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := state(r).user
	counts, err := s.monitor.Counts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.checker.Pack()
	v := dashboardView{PolicyRef: p.Pack.Policy.Reference, PolicyTitle: p.Pack.Policy.Title, PackID: p.Pack.ID,
		PackVersion: p.Pack.Version, Rules: len(p.Rules), CanCheck: auth.Allowed(u.Role, auth.CheckRun),
		CanEvaluate: auth.Allowed(u.Role, auth.AccountsManage)}
	st := counts.ByStatus
	v.Accounts = st[model.StatusActive] + st[model.StatusAtRisk] + st[model.StatusClosureProposed]
	v.Requested = st[model.StatusRequested] + st[model.StatusInReview] + st[model.StatusChangesRequested]
	v.Closed, v.Rejected = st[model.StatusClosed], st[model.StatusRejected]
	v.Counts = []countTable{
		countBy(pageLang(r), "count-status", "status", counts.ByStatus, registry.Statuses),
		countBy(pageLang(r), "count-platform", "platform", counts.ByPlatform, nil),
		countBy(pageLang(r), "count-kind", "kind", counts.ByKind, nil),
		countBy(pageLang(r), "count-office", "office", counts.ByOffice, nil),
	}
	risky, err := s.riskyAccounts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.AtRisk, err = s.riskItems(r, risky); err != nil {
		s.fail(w, r, err)
		return
	}
	// The viewer's own accounts come first, then the most urgent.
	slices.SortStableFunc(v.AtRisk, func(a, b riskItem) int {
		return cmp.Or(boolOrder(yours(a.Account, u), yours(b.Account, u)), a.due().Compare(b.due()))
	})
	if v.Unknown, v.UnknownTotal, err = s.unknownItems(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if u.Role == model.RoleManager {
		accs, err := s.registry.All(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range accs {
			if yours(a, u) && registry.MaySeeAccount(u, &a) {
				v.Mine = append(v.Mine, riskItem{Account: a})
			}
		}
		if err := s.attachHealth(r, v.Mine); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	switch {
	case auth.Allowed(u.Role, auth.RequestsDecide):
		v.ShowWaiting = true
		v.Waiting, v.WaitingTotal, err = s.registry.Requests(ctx, 0, "", dashboardRequests, 0)
	case u.Role == model.RoleManager:
		v.ShowWaiting = true
		v.Waiting, v.WaitingTotal, err = s.registry.Requests(ctx, u.ID, "", dashboardRequests, 0)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.ForYou, err = s.waitingForYou(r, u, v.AtRisk); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: tr(r, "title.dashboard"), Active: "/", Notice: evaluatedNotice(r), Data: v})
}

// unknownItems are the accounts whose latest evaluation is unknown (no
// data at all), registered longest ago first, with the total.
func (s *Server) unknownItems(r *http.Request) ([]riskItem, int, error) {
	rows, total, err := s.monitor.Unknown(r.Context(), dashboardUnknown, 0)
	if err != nil {
		return nil, 0, err
	}
	items := make([]riskItem, 0, len(rows))
	for _, ah := range rows {
		items = append(items, riskItem{Account: ah.Account, Health: s.summarize(ah.Account, &ah.Health)})
	}
	return items, total, nil
}

// waitingForYou gathers what waits for u: the review queue for those who
// review (a manager only when a step of an office they lead waits), the
// unanswered advice for the Communications Group, and the at-risk accounts
// u manages.
func (s *Server) waitingForYou(r *http.Request, u *model.User, atRisk []riskItem) (forYou, error) {
	var f forYou
	var err error
	if auth.Allowed(u.Role, auth.DraftsReview) {
		if f.Queue, f.QueueTotal, err = s.review.Queue(r.Context(), u, review.QueueFilter{Limit: dashboardForYou}); err != nil {
			return f, err
		}
		f.ShowQueue = u.Role != model.RoleManager || f.QueueTotal > 0
	}
	if u.Role == model.RoleAdmin || u.Role == model.RoleReviewer {
		f.ShowAdvice = true
		if f.Advice, f.AdviceTotal, err = s.review.AdviceList(r.Context(), u, review.AdviceFilter{Unanswered: true, Limit: dashboardForYou}); err != nil {
			return f, err
		}
	}
	for _, it := range atRisk {
		if it.Account.ManagedBy(u) {
			f.MyRisk = append(f.MyRisk, it)
		}
	}
	return f, nil
}

// riskyAccounts are the accounts whose latest evaluation is at risk and
// those whose status says so (an account proposed for closure stays listed
// until an admin decides, even if it has recovered meanwhile).
func (s *Server) riskyAccounts(r *http.Request) ([]model.Account, error) {
	evaluated, _, err := s.monitor.AtRisk(r.Context(), dashboardAtRisk, 0)
	if err != nil {
		return nil, err
	}
	byStatus, _, err := s.registry.ByStatus(r.Context(), []string{model.StatusAtRisk, model.StatusClosureProposed}, dashboardAtRisk)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var accs []model.Account
	for _, ah := range evaluated {
		seen[ah.Account.ID] = true
		accs = append(accs, ah.Account)
	}
	for _, a := range byStatus {
		if !seen[a.ID] {
			accs = append(accs, a)
		}
	}
	return accs, nil
}

// boolOrder sorts true before false.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// yours reports whether the dashboard lists a as u's: u manages it or asked for it.
func yours(a model.Account, u *model.User) bool {
	return a.ManagedBy(u) || (u != nil && a.RequestedBy != 0 && a.RequestedBy == u.ID)
}

// countBy turns counts by one field into a table. Rows follow order where
// given (with zero counts shown, so a reader sees that nothing is closed),
// else the largest count first. Its words are in lang; statuses and kinds
// are named, platforms and offices shown as they are.
func countBy(lang, id, param string, n map[string]int, order []string) countTable {
	keys := order
	if keys == nil {
		for k := range n {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(n[b]-n[a], strings.Compare(a, b)) })
	}
	top := 0
	for _, k := range keys {
		top = max(top, n[k])
	}
	t := countTable{ID: id, Title: i18n.T(lang, "dashboard.chart."+param), Column: i18n.T(lang, "dashboard.column."+param)}
	for _, k := range keys {
		row := countRow{Label: enum(lang, param, k), N: n[k], Href: "/accounts?" + url.Values{param: {k}}.Encode()}
		if k == "" {
			row.Label = i18n.T(lang, "dashboard.none")
		}
		if top > 0 {
			row.Bar = float64(n[k]) * 100 / float64(top)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// riskItem is an account on its way to closure, with why and until when.
type riskItem struct {
	Account model.Account
	Health  *healthSummary
	Since   time.Time // when it entered its status; zero when unknown
	Grace   time.Time // at-risk: when closure will be proposed
}

// due orders the at-risk list: closure-proposed first, then the earliest
// end of grace.
func (it riskItem) due() time.Time {
	if it.Account.Status == model.StatusClosureProposed {
		return it.Since
	}
	if it.Grace.IsZero() {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return it.Grace
}

// riskItems adds to each account when it entered its status (from its
// history), its latest health result and the end of its grace period,
// counted from when the monitor found it at risk.
func (s *Server) riskItems(r *http.Request, accs []model.Account) ([]riskItem, error) {
	grace := time.Duration(s.checker.Pack().Parameters.Health.GraceDays) * 24 * time.Hour
	items := make([]riskItem, 0, len(accs))
	for _, a := range accs {
		evs, err := s.registry.History(r.Context(), a.ID)
		if err != nil {
			return nil, err
		}
		items = append(items, riskItem{Account: a, Since: enteredStatus(evs, a.Status)})
	}
	if err := s.attachHealth(r, items); err != nil {
		return nil, err
	}
	for i, it := range items {
		if it.Account.Status != model.StatusAtRisk {
			continue
		}
		from := it.Since
		if it.Health != nil && it.Health.AtRiskSince != nil {
			from = *it.Health.AtRiskSince
		}
		if !from.IsZero() {
			items[i].Since, items[i].Grace = from, from.Add(grace)
		}
	}
	return items, nil
}

// enteredStatus is when the latest event moved the account into status.
func enteredStatus(evs []model.AccountEvent, status string) time.Time {
	var at time.Time
	for _, e := range evs {
		if e.To == status && e.At.After(at) {
			at = e.At
		}
	}
	return at
}
