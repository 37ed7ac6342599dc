package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// postCols are the columns of one upserted post, in argument order.
const postCols = 11

// postBatch rows per INSERT keep the arguments under both databases' limits
// (SQLite 32,766, PostgreSQL 65,535).
const postBatch = 500

// nint is a nullable figure as a query argument: nil stays NULL, never 0.
func nint(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// scanNInt scans a nullable integer column into **int64.
type scanNInt struct{ p **int64 }

func (sn scanNInt) Scan(v any) error {
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*sn.p = nil
	if n.Valid {
		x := n.Int64
		*sn.p = &x
	}
	return nil
}

// UpsertPosts adds posts or refreshes them (same account and external id),
// all in one transaction. A figure the new copy does not know keeps the old
// value; unknown figures are stored as NULL. Not audited: collected data,
// not a decision (ImportPosts audits an import).
func (s *Store) UpsertPosts(ctx context.Context, posts []model.Post) error {
	if err := checkPosts(posts); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error { return s.upsertPostsTx(ctx, tx, posts) })
}

// ImportPosts writes an analytics import for one account, all or nothing,
// with one "activity.import" audit event.
func (s *Store) ImportPosts(ctx context.Context, a model.Actor, accountID int64, posts []model.Post) error {
	if err := checkPosts(posts); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, s.q("account-status"), accountID).Scan(&status); err != nil {
			return mapErr(err)
		}
		if err := s.upsertPostsTx(ctx, tx, posts); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "activity.import", "account", id(accountID),
			fmt.Sprintf("imported %d posts from an analytics file", len(posts)))
	})
}

func checkPosts(posts []model.Post) error {
	for i, p := range posts {
		if p.AccountID == 0 || p.ExternalID == "" || p.PostedAt.IsZero() || p.Source == "" {
			return errs.Errorf(errs.Invalid, "store.post_needs_an_account", "post %d needs an account, an external id, a time and a source", i+1)
		}
	}
	return nil
}

func (s *Store) upsertPostsTx(ctx context.Context, tx *sql.Tx, posts []model.Post) error {
	now := s.tv(s.now())
	for len(posts) > 0 {
		n := min(len(posts), postBatch)
		batch := posts[:n]
		posts = posts[n:]
		var b strings.Builder
		b.WriteString("INSERT INTO posts (account_id, external_id, url, text, posted_at, replies, reposts, likes, views, source, updated_at) VALUES ")
		args := make([]any, 0, n*postCols)
		for i, p := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, p.AccountID, p.ExternalID, p.URL, p.Text, s.tv(p.PostedAt),
				nint(p.Replies), nint(p.Reposts), nint(p.Likes), nint(p.Views), p.Source, now)
		}
		b.WriteString(` ON CONFLICT (account_id, external_id) DO UPDATE SET url = excluded.url,
	text = excluded.text, posted_at = excluded.posted_at,
	replies = COALESCE(excluded.replies, posts.replies), reposts = COALESCE(excluded.reposts, posts.reposts),
	likes = COALESCE(excluded.likes, posts.likes), views = COALESCE(excluded.views, posts.views),
	source = excluded.source, updated_at = excluded.updated_at`)
		q := b.String()
		q = s.bind(q)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// AddProfile stores a profile snapshot.
func (s *Store) AddProfile(ctx context.Context, p model.Profile) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.addProfileTx(ctx, tx, p) })
}

// AddProfiles stores many snapshots in one transaction (imports, seeding).
func (s *Store) AddProfiles(ctx context.Context, ps []model.Profile) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, p := range ps {
			if err := s.addProfileTx(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) addProfileTx(ctx context.Context, tx *sql.Tx, p model.Profile) error {
	if p.AccountID == 0 || p.FetchedAt.IsZero() {
		return errs.Errorf(errs.Invalid, "store.a_profile_needs_an", "a profile needs an account and a time")
	}
	_, err := tx.ExecContext(ctx, s.q("profile-insert"), p.AccountID, s.tv(p.FetchedAt), p.DisplayName,
		p.Bio, p.AvatarURL, nint(p.Followers), nint(p.PostCount), s.ntv(p.CreatedAt), s.ntv(p.LastPostAt))
	return mapErr(err)
}

// Posts returns an account's posts in (since, until], oldest first.
func (s *Store) Posts(ctx context.Context, accountID int64, since, until time.Time) ([]model.Post, error) {
	rows, err := s.r.QueryContext(ctx, s.q("posts-account"), accountID, s.tv(since), s.tv(until))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Post
	for rows.Next() {
		var p model.Post
		if err := rows.Scan(&p.AccountID, &p.ExternalID, &p.URL, &p.Text, scanTime{&p.PostedAt},
			scanNInt{&p.Replies}, scanNInt{&p.Reposts}, scanNInt{&p.Likes}, scanNInt{&p.Views}, &p.Source); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Profiles returns an account's profile snapshots in (since, until], oldest first.
func (s *Store) Profiles(ctx context.Context, accountID int64, since, until time.Time) ([]model.Profile, error) {
	rows, err := s.r.QueryContext(ctx, s.q("profiles-account"), accountID, s.tv(since), s.tv(until))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Profile
	for rows.Next() {
		var p model.Profile
		if err := rows.Scan(&p.AccountID, scanTime{&p.FetchedAt}, &p.DisplayName, &p.Bio, &p.AvatarURL,
			scanNInt{&p.Followers}, scanNInt{&p.PostCount}, scanNullTime{&p.CreatedAt}, scanNullTime{&p.LastPostAt}); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// HealthInput is what health.Evaluate needs of one account as of a date,
// read without loading its whole history: every post inside the window
// (time and interaction figures only), the account's first and last posts
// at or before the date when they fall outside the window (their times
// only: outside every window only the times count), and at most five
// profile snapshots (the latest, the latest with followers, the latest
// with followers at or before the trend's start, and the latest with the
// platform's creation date and with its last post date).
type HealthInput struct {
	Posts    []model.Post
	Profiles []model.Profile
}

// HealthInput reads an account's HealthInput as of asOf for a post window
// of windowDays and a follower trend of trendDays.
func (s *Store) HealthInput(ctx context.Context, accountID int64, asOf time.Time, windowDays, trendDays int) (*HealthInput, error) {
	from := asOf.Add(-time.Duration(windowDays) * 24 * time.Hour)
	in := &HealthInput{}
	rows, err := s.r.QueryContext(ctx, s.q("posts-window"), accountID, s.tv(from), s.tv(asOf))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		p := model.Post{AccountID: accountID}
		if err := rows.Scan(scanTime{&p.PostedAt}, scanNInt{&p.Replies}, scanNInt{&p.Reposts}, scanNInt{&p.Likes}); err != nil {
			rows.Close()
			return nil, err
		}
		in.Posts = append(in.Posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var first, last *time.Time
	at := s.tv(asOf)
	if err := s.r.QueryRowContext(ctx, s.q("posts-ends"), accountID, at, accountID, at).
		Scan(scanNullTime{&first}, scanNullTime{&last}); err != nil {
		return nil, err
	}
	for _, t := range []*time.Time{first, last} {
		if t != nil && !t.After(from) {
			in.Posts = append(in.Posts, model.Post{AccountID: accountID, PostedAt: *t})
		}
	}
	if first != nil && last != nil && first.Equal(*last) && !first.After(from) {
		in.Posts = in.Posts[:len(in.Posts)-1] // one post outside the window, counted once
	}
	trend := s.tv(asOf.Add(-time.Duration(trendDays) * 24 * time.Hour))
	prows, err := s.r.QueryContext(ctx, s.q("profiles-health"), accountID, at, accountID, at, accountID, trend,
		accountID, at, accountID, at)
	if err != nil {
		return nil, err
	}
	defer prows.Close()
	for prows.Next() {
		p := model.Profile{AccountID: accountID}
		if err := prows.Scan(scanTime{&p.FetchedAt}, scanNInt{&p.Followers}, scanNullTime{&p.CreatedAt}, scanNullTime{&p.LastPostAt}); err != nil {
			return nil, err
		}
		in.Profiles = append(in.Profiles, p)
	}
	return in, prows.Err()
}

// MonitoredAccounts returns up to limit accounts that are active, at risk or
// proposed for closure, with ids above after, by id (for paging through all).
func (s *Store) MonitoredAccounts(ctx context.Context, after int64, limit int) ([]model.Account, error) {
	return queryAll(ctx, s.r, scanAccount, s.q("accounts-monitored"), after, limit)
}

// AccountCount is the number of accounts per (platform, kind, office, status).
type AccountCount struct {
	Platform, Kind, Office, Status string
	N                              int
}

// AccountCounts counts the registry's accounts by platform, kind, office and status.
func (s *Store) AccountCounts(ctx context.Context) ([]AccountCount, error) {
	return queryAll(ctx, s.r, func(sc scanner) (*AccountCount, error) {
		var c AccountCount
		return &c, sc.Scan(&c.Platform, &c.Kind, &c.Office, &c.Status, &c.N)
	}, s.q("account-counts"))
}

// HealthInputs reads the HealthInput of each of accountIDs (a page of the
// evaluation) with three queries whatever their number, so a database
// round trip is paid per page, not per account. Accounts without data get
// an empty HealthInput.
func (s *Store) HealthInputs(ctx context.Context, accountIDs []int64, asOf time.Time, windowDays, trendDays int) (map[int64]*HealthInput, error) {
	out := make(map[int64]*HealthInput, len(accountIDs))
	if len(accountIDs) == 0 {
		return out, nil
	}
	ids := make([]any, len(accountIDs))
	for i, id := range accountIDs {
		ids[i] = id
		out[id] = &HealthInput{}
	}
	in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"
	bind := s.bind
	from := asOf.Add(-time.Duration(windowDays) * 24 * time.Hour)
	at := s.tv(asOf)
	rows, err := s.r.QueryContext(ctx, bind(`SELECT account_id, posted_at, replies, reposts, likes FROM posts
WHERE account_id IN `+in+` AND posted_at > ? AND posted_at <= ?`), append(ids, s.tv(from), at)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p model.Post
		if err := rows.Scan(&p.AccountID, scanTime{&p.PostedAt}, scanNInt{&p.Replies}, scanNInt{&p.Reposts}, scanNInt{&p.Likes}); err != nil {
			rows.Close()
			return nil, err
		}
		if h := out[p.AccountID]; h != nil {
			h.Posts = append(h.Posts, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Per account: first and last post times and the ids of the five
	// profile snapshots of profiles-health, each from its index.
	trend := s.tv(asOf.Add(-time.Duration(trendDays) * 24 * time.Hour))
	rows, err = s.r.QueryContext(ctx, bind(`SELECT a.id,
 (SELECT MIN(posted_at) FROM posts WHERE account_id = a.id AND posted_at <= ?),
 (SELECT MAX(posted_at) FROM posts WHERE account_id = a.id AND posted_at <= ?),
 (SELECT id FROM account_profiles WHERE account_id = a.id AND fetched_at <= ? ORDER BY fetched_at DESC LIMIT 1),
 (SELECT id FROM account_profiles WHERE account_id = a.id AND fetched_at <= ? AND followers IS NOT NULL ORDER BY fetched_at DESC LIMIT 1),
 (SELECT id FROM account_profiles WHERE account_id = a.id AND fetched_at <= ? AND followers IS NOT NULL ORDER BY fetched_at DESC LIMIT 1),
 (SELECT id FROM account_profiles WHERE account_id = a.id AND fetched_at <= ? AND platform_created_at IS NOT NULL ORDER BY fetched_at DESC LIMIT 1),
 (SELECT id FROM account_profiles WHERE account_id = a.id AND fetched_at <= ? AND platform_last_post_at IS NOT NULL ORDER BY fetched_at DESC LIMIT 1)
FROM accounts a WHERE a.id IN `+in), append([]any{at, at, at, at, trend, at, at}, ids...)...)
	if err != nil {
		return nil, err
	}
	var profileIDs []any
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var first, last *time.Time
		var p [5]sql.NullInt64
		if err := rows.Scan(&id, scanNullTime{&first}, scanNullTime{&last}, &p[0], &p[1], &p[2], &p[3], &p[4]); err != nil {
			rows.Close()
			return nil, err
		}
		h := out[id]
		for _, t := range []*time.Time{first, last} {
			if t != nil && !t.After(from) {
				h.Posts = append(h.Posts, model.Post{AccountID: id, PostedAt: *t})
			}
		}
		if first != nil && last != nil && first.Equal(*last) && !first.After(from) {
			h.Posts = h.Posts[:len(h.Posts)-1] // one post outside the window, counted once
		}
		for _, v := range p {
			if v.Valid && !seen[v.Int64] {
				seen[v.Int64] = true
				profileIDs = append(profileIDs, v.Int64)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(profileIDs) == 0 {
		return out, err
	}
	rows, err = s.r.QueryContext(ctx, bind(`SELECT account_id, fetched_at, followers, platform_created_at, platform_last_post_at FROM account_profiles
WHERE id IN (?`+strings.Repeat(", ?", len(profileIDs)-1)+`) ORDER BY account_id, fetched_at`), profileIDs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p model.Profile
		if err := rows.Scan(&p.AccountID, scanTime{&p.FetchedAt}, scanNInt{&p.Followers}, scanNullTime{&p.CreatedAt}, scanNullTime{&p.LastPostAt}); err != nil {
			return nil, err
		}
		out[p.AccountID].Profiles = append(out[p.AccountID].Profiles, p)
	}
	return out, rows.Err()
}
