package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Kinds of notification: what a notice is about.
const (
	KindReview  = "review"  // a review step waits for the person
	KindRequest = "request" // an account request waits for a decision
	KindAdvice  = "advice"  // a question waits for an answer
	KindFound   = "found"   // a reported account waits for triage
	KindAccount = "account" // an account the person manages is at risk
	KindDigest  = "digest"  // the daily e-mail digest
	KindDraft   = "draft"   // a decision or comment on the person's draft
)

// Every notice's sentence is in the i18n catalogs as notify.<key>, a format
// whose %s take the notice's Args in order (the English entries say which).
// A notice stores its key and Args, so the app shows it in the reader's
// language; its subject and body are written in the recipient's language
// (model.User.Lang, English when unset) for the e-mail.

// Message is the sentence of key in lang formatted with args; "" for a key
// the catalogs lack (the caller shows the stored subject instead).
func Message(lang, key string, args []string) string {
	if !i18n.Has("notify." + key) {
		return ""
	}
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
	}
	return i18n.T(lang, "notify."+key, vals...)
}

// Text is what a person reading in lang sees of n: its keyed message, or
// the subject of a notice written before keys.
func Text(lang string, n model.Notification) string {
	if m := Message(lang, n.Key, n.Args); m != "" {
		return m
	}
	return n.Subject
}

// Note is a notice to u, in the app and by e-mail as u chose, written in
// u's language: its subject is the keyed message, its body adds detail
// (may be "", else already in u's language: see Detail).
func Note(u model.User, kind, link, detail, key string, args ...string) model.Notification {
	msg := Message(u.Lang, key, args)
	body := msg
	if detail != "" {
		body += "\n\n" + detail
	}
	return model.Notification{UserID: u.ID, Email: u.Email, Kind: kind, Key: key, Args: args,
		Subject: msg, Body: body, Link: link}
}

// Detail is the sentence notify.<key> in u's language, for a Note's detail.
func Detail(u model.User, key string, args ...any) string {
	return i18n.T(u.Lang, "notify."+key, args...)
}

// Notes is Note for each of users.
func Notes(users []model.User, kind, link, detail, key string, args ...string) []model.Notification {
	out := make([]model.Notification, 0, len(users))
	for _, u := range users {
		out = append(out, Note(u, kind, link, detail, key, args...))
	}
	return out
}

// CommunicationsGroup is every enabled reviewer and admin but except (0:
// nobody), those who act for the Communications Group.
func CommunicationsGroup(ctx context.Context, st *store.Store, except int64) ([]model.User, error) {
	all, err := st.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []model.User
	for _, u := range all {
		if u.ID != except && u.DisabledAt == nil && (u.Role == model.RoleAdmin || u.Role == model.RoleReviewer) {
			u.PasswordHash = ""
			out = append(out, u)
		}
	}
	return out, nil
}

// digestNote is u's daily digest of items, in u's language: one e-mail
// listing each, with its link when BaseURL is set.
func (n *Notifier) digestNote(u model.User, items []model.Notification) model.Notification {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "- %s", Text(u.Lang, it))
		if it.Link != "" && n.BaseURL != "" {
			fmt.Fprintf(&b, " %s%s", strings.TrimRight(n.BaseURL, "/"), it.Link)
		}
		b.WriteString("\n")
	}
	return Note(u, KindDigest, "/notifications", b.String(), "digest", i18n.Number(u.Lang, len(items)))
}
