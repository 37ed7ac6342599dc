// Package discover runs the scheduled searches for accounts that use the
// organization's names (issue 16): each search's state lives in the database
// (store.DiscoverySearch, leased like the sync schedule so that several
// servers share the work), every account a search returns that is neither
// registered nor queued is scored against the registry (internal/lookalike)
// and, when it looks enough like the organization, queued for triage as a
// found account.
package discover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// Options configure a Discoverer. Zero fields take defaults.
type Options struct {
	Store     *store.Store
	Pack      *policy.Pack
	Searchers []connector.Searcher
	// Avatar hashes an avatar image at a URL (through the caller's safe
	// HTTP client); nil leaves avatars out of the score.
	Avatar func(ctx context.Context, url string) (lookalike.Hash, error)
	// Gone reports whether the platform no longer has a found account
	// (deleted or suspended); nil leaves impersonations untracked.
	Gone func(ctx context.Context, f model.FoundAccount) (gone bool, why string, err error)
	// Owner names this process in leases; default host-pid.
	Owner string
	// Every is the time between two runs of a search, default 24h.
	Every time.Duration
	// Retry is the wait after a failed search, default 1h, doubled per
	// consecutive error up to Every.
	Retry time.Duration
	// MinScore is the least lookalike score an account needs to be queued,
	// default 0.3: searches also return fans, staff and namesakes.
	MinScore float64
	// MaxQueries bounds the queries per platform, default 30.
	MaxQueries int
	// Batch is how many due searches one RunDue claims, default 10.
	Batch int
	Log   *slog.Logger
	Now   func() time.Time
}

// Discoverer runs discovery searches.
type Discoverer struct {
	o       Options
	emblems []lookalike.Hash
}

// New checks the options and reads the pack's emblems.
func New(o Options) (*Discoverer, error) {
	if o.Store == nil || o.Pack == nil {
		return nil, errors.New("discover: a store and a pack are required")
	}
	if o.Owner == "" {
		host, _ := os.Hostname()
		o.Owner = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if o.Every <= 0 {
		o.Every = 24 * time.Hour
	}
	if o.Retry <= 0 {
		o.Retry = time.Hour
	}
	if o.MinScore <= 0 {
		o.MinScore = 0.3
	}
	if o.MaxQueries <= 0 {
		o.MaxQueries = 30
	}
	if o.Batch <= 0 {
		o.Batch = 10
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	emblems, err := registry.EmblemHashes(o.Pack)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	return &Discoverer{o: o, emblems: emblems}, nil
}

func (d *Discoverer) now() time.Time { return d.o.Now().UTC() }

// Queries are the names searched for: the organization's names and
// handles, "<short name> <office>" for each office with an active account,
// and the names of active projects; case-insensitively distinct, at most
// MaxQueries.
func (d *Discoverer) Queries(accounts []model.Account) []string {
	org := d.o.Pack.Organization
	var out []string
	seen := map[string]bool{}
	add := func(q string) {
		q = strings.Join(strings.Fields(q), " ")
		if k := strings.ToLower(q); q != "" && !seen[k] && len(out) < d.o.MaxQueries {
			seen[k] = true
			out = append(out, q)
		}
	}
	add(org.Name)
	for _, n := range org.Names {
		add(n)
	}
	for _, h := range org.Handles {
		add(h)
	}
	for _, a := range accounts {
		if a.Office != "" && org.Name != "" {
			add(org.Name + " " + a.Office)
		}
		if a.Project != nil {
			add(a.Project.Name)
		}
	}
	return out
}

func searchKey(platform, target string) string { return platform + "\x00" + target }

// Stats says what one RunDue did.
type Stats struct {
	Searches    int // searches run
	Failed      int
	RateLimited int
	Queued      int // found accounts added to the triage queue
	Gone        int // impersonations found gone
	// AvatarsChecked counts registered accounts whose new avatar was
	// compared with the emblems.
	AvatarsChecked int
}

// RunDue brings the schedule in line with the configured searches and the
// current names, then runs the searches that are due (at most Batch).
func (d *Discoverer) RunDue(ctx context.Context) (Stats, error) {
	var st Stats
	accounts, err := registry.ImitatedAccounts(ctx, d.o.Store)
	if err != nil {
		return st, err
	}
	queries := d.Queries(accounts)
	bySearch := map[string]connector.Searcher{}
	var want []store.DiscoverySearch
	for _, s := range d.o.Searchers {
		bySearch[searchKey(s.Platform(), s.Target())] = s
		for _, q := range queries {
			want = append(want, store.DiscoverySearch{Platform: s.Platform(), Target: s.Target(), Query: q})
		}
	}
	now := d.now()
	if err := d.o.Store.SetDiscoverySearches(ctx, want, now); err != nil {
		return st, err
	}
	due, err := d.o.Store.ClaimDueSearches(ctx, d.o.Owner, now, now.Add(15*time.Minute), d.o.Batch)
	if err != nil || len(due) == 0 {
		return st, err
	}
	reg := registry.Lookalikes(d.o.Pack, accounts, d.emblems)
	for _, s := range due {
		if ctx.Err() != nil {
			return st, ctx.Err()
		}
		st.Searches++
		n, err := d.run(ctx, s, bySearch[searchKey(s.Platform, s.Target)], reg)
		st.Queued += n
		var rl *connector.RateLimitedError
		switch {
		case err == nil:
		case errors.As(err, &rl):
			st.RateLimited++
		default:
			st.Failed++
		}
	}
	return st, nil
}

// run runs one claimed search and records its outcome.
func (d *Discoverer) run(ctx context.Context, s store.DiscoverySearch, searcher connector.Searcher, reg *lookalike.Registry) (int, error) {
	if searcher == nil { // dropped from the configuration since the claim
		return 0, d.o.Store.DiscoveryFailed(ctx, s.ID, d.o.Owner, "no such search configured", false, d.now().Add(d.o.Every))
	}
	results, err := searcher.Search(ctx, s.Query)
	if ctx.Err() != nil {
		return 0, ctx.Err() // stopping: the lease runs out and another run takes the search
	}
	if err != nil {
		d.failed(ctx, s, err)
		return 0, err
	}
	registered, err := d.o.Store.AccountKeys(ctx)
	if err != nil {
		return 0, err
	}
	queued, err := d.o.Store.FoundKeys(ctx)
	if err != nil {
		return 0, err
	}
	var found []model.FoundAccount
	var seen [][2]string
	for _, r := range results {
		key, err := registry.NormalizeHandle(r.Platform, r.Handle)
		if err != nil {
			continue // not a handle the registry could hold
		}
		k := r.Platform + "\x00" + key
		switch {
		case registered[k]:
			continue
		case queued[k]:
			seen = append(seen, [2]string{r.Platform, key})
			continue
		}
		queued[k] = true // once per answer
		var avatar *lookalike.Hash
		if d.o.Avatar != nil && r.AvatarURL != "" {
			if h, err := d.o.Avatar(ctx, r.AvatarURL); err == nil {
				avatar = &h
			} else {
				d.o.Log.Debug("avatar not compared", "platform", r.Platform, "handle", r.Handle, "err", err)
			}
		}
		f := model.FoundAccount{Platform: r.Platform, Handle: r.Handle, HandleKey: key, DisplayName: r.DisplayName,
			Bio: r.Bio, URL: r.URL, Followers: r.Followers, Source: model.FoundSourceDiscovery}
		registry.Score(reg, &f, avatar)
		if *f.LookalikeScore < d.o.MinScore {
			continue
		}
		found = append(found, f)
	}
	n, err := d.o.Store.DiscoverySucceeded(ctx, s, d.o.Owner, found, seen, d.now().Add(d.o.Every))
	if err != nil {
		return 0, err
	}
	d.o.Log.Info("discovery search", "platform", s.Platform, "target", s.Target, "query", s.Query,
		"results", len(results), "queued", n)
	return n, nil
}

// failed records a failed search: a rate limit waits as long as the platform
// said (or Retry) without counting as an error; others back off, doubling
// with each consecutive error up to Every.
func (d *Discoverer) failed(ctx context.Context, s store.DiscoverySearch, cause error) {
	wait, count := d.o.Retry, true
	var rl *connector.RateLimitedError
	if errors.As(cause, &rl) {
		count = false
		if rl.RetryAfter > 0 {
			wait = rl.RetryAfter
		}
	} else {
		for i := 0; i < s.ErrorCount && wait < d.o.Every; i++ {
			wait *= 2
		}
		wait = min(wait, d.o.Every)
	}
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	if err := d.o.Store.DiscoveryFailed(ctx, s.ID, d.o.Owner, msg, count, d.now().Add(wait)); err != nil {
		d.o.Log.Error("discovery: recording a failure", "err", err)
	}
	d.o.Log.Warn("discovery search failed", "platform", s.Platform, "target", s.Target, "query", s.Query, "err", cause)
}

// RunAll runs due searches until none is due (herald discover --once),
// then, if any ran, checks whether the impersonations being taken down are
// gone.
func (d *Discoverer) RunAll(ctx context.Context) (Stats, error) {
	var total Stats
	for {
		st, err := d.RunDue(ctx)
		total.Searches += st.Searches
		total.Failed += st.Failed
		total.RateLimited += st.RateLimited
		total.Queued += st.Queued
		if err != nil {
			return total, err
		}
		if st.Searches == 0 {
			break
		}
	}
	if total.Searches > 0 {
		n, err := d.TrackTakedowns(ctx)
		total.Gone = n
		if err != nil {
			return total, err
		}
		total.AvatarsChecked, err = d.CheckAvatars(ctx)
		return total, err
	}
	return total, nil
}

// CheckAvatars hashes each registered account's latest synced avatar when
// it changed since the last check and records whether it is an approved
// emblem (4.3): the account's page then shows the emblem finding.
func (d *Discoverer) CheckAvatars(ctx context.Context) (int, error) {
	if d.o.Avatar == nil || len(d.emblems) == 0 {
		return 0, nil
	}
	todo, err := d.o.Store.AvatarsToCheck(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range todo {
		if a.AvatarURL == a.CheckedURL {
			continue
		}
		h, err := d.o.Avatar(ctx, a.AvatarURL)
		if err != nil {
			d.o.Log.Warn("avatar not checked", "account", a.AccountID, "err", err)
			continue
		}
		c := store.AvatarCheck{AvatarURL: a.AvatarURL, IsEmblem: registry.IsEmblem(h, d.emblems), CheckedAt: d.now()}
		if err := d.o.Store.SetAvatarCheck(ctx, a.AccountID, c); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TrackTakedowns asks the platforms about every impersonation not yet gone
// and records the ones gone (their takedown is then "removed"). A platform
// that cannot answer leaves the account tracked for the next run.
func (d *Discoverer) TrackTakedowns(ctx context.Context) (int, error) {
	if d.o.Gone == nil {
		return 0, nil
	}
	tracked, err := d.o.Store.TrackedImpersonations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range tracked {
		gone, why, err := d.o.Gone(ctx, f)
		if err != nil {
			d.o.Log.Warn("takedown not checked", "platform", f.Platform, "handle", f.Handle, "err", err)
			continue
		}
		if !gone {
			continue
		}
		if err := d.o.Store.FoundGone(ctx, &f, why); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// GoneVia answers Options.Gone with the platforms' readers: an account the
// platform says is missing or suspended is gone.
func GoneVia(readers connector.Registry) func(ctx context.Context, f model.FoundAccount) (bool, string, error) {
	return func(ctx context.Context, f model.FoundAccount) (bool, string, error) {
		c, ok := readers[f.Platform]
		if !ok {
			return false, "", fmt.Errorf("no reader for %s", f.Platform)
		}
		_, _, err := c.Fetch(ctx, model.Account{Platform: f.Platform, Handle: f.Handle, ProfileURL: f.URL}, time.Now())
		switch {
		case err == nil:
			return false, "", nil
		case errors.Is(err, connector.ErrNotFound):
			return true, "the platform no longer has the account", nil
		case errors.Is(err, connector.ErrSuspended):
			return true, "the platform suspended the account", nil
		}
		return false, "", err
	}
}

// Run runs due searches every tick until ctx ends.
func (d *Discoverer) Run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if _, err := d.RunAll(ctx); err != nil && ctx.Err() == nil {
			d.o.Log.Error("discovery", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
