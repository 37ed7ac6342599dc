package monitor

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// The page-at-once read the evaluation uses gives each account exactly what
// the per-account read gives: window posts, first and last post times
// outside it, and the profile snapshots (followers and platform dates).
func TestHealthInputsMatchPerAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		asOf := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
		var accs []model.Account
		for i := range 7 {
			accs = append(accs, model.Account{Platform: "mastodon", Handle: fmt.Sprintf("in%d", i)})
		}
		accs = addAccounts(t, s, accs...)
		var posts []model.Post
		var profiles []model.Profile
		for i, a := range accs {
			// Account i has i*7 posts every 5 days (0, 7, 14, ...: the
			// last ones lie before the window) and i snapshots a month apart.
			for j := range i * 7 {
				p := model.Post{AccountID: a.ID, ExternalID: strconv.Itoa(j), PostedAt: asOf.Add(-day(5*j + i)), Source: "api"}
				if j%2 == 0 {
					p.Likes, p.Replies = ptr(int64(j)), ptr(1)
				}
				posts = append(posts, p)
			}
			for w := range i {
				pr := model.Profile{AccountID: a.ID, FetchedAt: asOf.Add(-day(30 * w))}
				if w != 0 {
					pr.Followers = ptr(int64(100 * w))
				}
				// The platform's dates, on some snapshots only (older ones, too).
				if w%2 == 1 {
					pr.CreatedAt = ptrTime(asOf.AddDate(-3, 0, -w))
				}
				if w == 2 || w == 3 {
					pr.LastPostAt = ptrTime(asOf.Add(-day(200 + w)))
				}
				profiles = append(profiles, pr)
			}
		}
		// A post after asOf is never read.
		posts = append(posts, model.Post{AccountID: accs[3].ID, ExternalID: "future", PostedAt: asOf.Add(time.Hour), Source: "api"})
		if err := s.UpsertPosts(ctx, posts); err != nil {
			t.Fatal(err)
		}
		if err := s.AddProfiles(ctx, profiles); err != nil {
			t.Fatal(err)
		}
		ids := []int64{}
		for _, a := range accs {
			ids = append(ids, a.ID)
		}
		got, err := s.HealthInputs(ctx, ids, asOf, 90, 90)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(accs) {
			t.Fatalf("%d inputs for %d accounts", len(got), len(accs))
		}
		for _, a := range accs {
			want, err := s.HealthInput(ctx, a.ID, asOf, 90, 90)
			if err != nil {
				t.Fatal(err)
			}
			normalize(want)
			normalize(got[a.ID])
			// The latest snapshot carrying each platform date is among them.
			var created, last *time.Time
			for _, p := range got[a.ID].Profiles {
				created, last = cmp.Or(p.CreatedAt, created), cmp.Or(p.LastPostAt, last)
			}
			i, _ := strconv.Atoi(a.Handle[2:])
			if (i >= 2) != (created != nil && created.Equal(asOf.AddDate(-3, 0, -1))) ||
				(i >= 3) != (last != nil && last.Equal(asOf.Add(-day(202)))) {
				t.Errorf("%s: platform dates created %v, last post %v", a.Handle, created, last)
			}
			if !reflect.DeepEqual(want, got[a.ID]) {
				t.Errorf("%s:\nper account %+v\npage        %+v", a.Handle, want, got[a.ID])
			}
		}
	})
}

func normalize(in *store.HealthInput) {
	slices.SortFunc(in.Posts, func(a, b model.Post) int { return a.PostedAt.Compare(b.PostedAt) })
	slices.SortFunc(in.Profiles, func(a, b model.Profile) int { return a.FetchedAt.Compare(b.FetchedAt) })
	if len(in.Posts) == 0 {
		in.Posts = nil
	}
	if len(in.Profiles) == 0 {
		in.Profiles = nil
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
