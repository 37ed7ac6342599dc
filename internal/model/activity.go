package model

import "time"

// Profile is an account's public profile as a platform showed it at one
// time. A figure the platform does not give is nil, never zero.
type Profile struct {
	AccountID   int64
	Platform    string
	Handle      string
	DisplayName string
	Bio         string
	AvatarURL   string
	Followers   *int64
	PostCount   *int64
	// What the platform says of the account itself, nil when it does not
	// say: when the account was created there, and when it last posted
	// (Mastodon gives a day; others the newest post's time). Health counts
	// an account's age and quiet from these when they are older than
	// Herald's own records.
	CreatedAt  *time.Time
	LastPostAt *time.Time
	FetchedAt  time.Time
}

// Post is one published post of an account, from a platform's API or an
// analytics export. Unknown figures are nil.
type Post struct {
	AccountID  int64
	Platform   string
	ExternalID string // the platform's id, unique per account
	URL        string
	Text       string
	PostedAt   time.Time
	Replies    *int64
	Reposts    *int64
	Likes      *int64
	Views      *int64
	Source     string // "api" or "analytics"
}

// Interactions is replies + reposts + likes, counting unknown figures as
// absent; ok is false when none is known.
func (p Post) Interactions() (n int64, ok bool) {
	for _, v := range []*int64{p.Replies, p.Reposts, p.Likes} {
		if v != nil {
			n += *v
			ok = true
		}
	}
	return n, ok
}
