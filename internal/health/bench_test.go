package health

import (
	"testing"
	"time"
)

// BenchmarkEvaluate is one account with 1,000 posts and a year of daily
// profile snapshots, the per-account share of issue 5's 10,000 × 1,000.
func BenchmarkEvaluate(b *testing.B) {
	posts := every(1000, 9*time.Hour, time.Hour, i64(12))
	for i := range posts {
		if i%7 == 0 {
			posts[i].Likes = nil // some unknown figures
		}
	}
	profiles := followers(make([]int64, 365)...)
	for i := range profiles {
		profiles[i].FetchedAt = asOf.Add(-time.Duration(i) * day)
		*profiles[i].Followers = int64(10000 - i)
	}
	acc, p := account(3), testParams()
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(acc, profiles, posts, p, asOf)
	}
}

func BenchmarkPostsPerWeekChart(b *testing.B) {
	posts := every(1000, 9*time.Hour, time.Hour, i64(12))
	b.ReportAllocs()
	for b.Loop() {
		PostsPerWeekChart("en", posts, 3, 52, asOf)
	}
}
