package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Kinds of notification: what a notice is about.
const (
	KindReview  = "review"  // a review step waits for the person
	KindRequest = "request" // an account request waits for a decision
	KindAdvice  = "advice"  // a question waits for an answer
	KindAccount = "account" // an account the person manages is at risk
	KindDigest  = "digest"  // the daily e-mail digest
	KindDraft   = "draft"   // a decision or comment on the person's draft
)

// catalog holds every notice's sentence in English, keyed by message key,
// as fmt formats whose %s take the notice's Args in order (named in the
// comments). A translation adds a catalog with the same keys and verbs.
var catalog = map[string]string{
	// handle, platform, step
	"review.waiting": "A draft for %s on %s waits for your review at step %s.",
	// handle, platform, hours waited, step, service level in hours
	"review.reminder": "Reminder: the draft for %s on %s has waited %s hours at review step %s; the service level is %s hours.",
	// handle, platform, hours waited, step, service level in hours
	"review.escalation": "Escalation: the draft for %s on %s has waited %s hours at review step %s, past its service level of %s hours.",
	// requester, handle, platform
	"request.new": "%s asks for a new account %s on %s.",
	// asker
	"advice.new": "%s asks the Communications Group for advice.",
	// handle, platform
	"account.at-risk": "%s on %s is at risk under policy 4.6.",
	// handle, platform
	"account.closure-proposed": "Closure proposed for %s on %s.",
	// count
	"digest": "Your daily digest: %s notifications.",
	// step
	"draft.step-approved":     "Your draft passed review step %s",
	"draft.approved":          "Your draft is approved",
	"draft.rejected":          "Your draft was rejected",
	"draft.changes-requested": "Changes requested on your draft",
	"draft.comment":           "New comment on your draft",
	"advice.answered":         "Your question was answered",
	// handle, platform
	"request.approve": "Your request for %s on %s was approved",
	// handle, platform
	"request.reject": "Your request for %s on %s was rejected",
	// handle, platform
	"request.request-changes": "Your request for %s on %s needs changes before it can be approved",
}

// Message is the English sentence of key formatted with args; an unknown
// key gives "" (the caller shows the stored subject instead).
func Message(key string, args []string) string {
	f, ok := catalog[key]
	if !ok {
		return ""
	}
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
	}
	return fmt.Sprintf(f, vals...)
}

// Text is what a person reads of n: its keyed message, or the subject of a
// notice written before keys.
func Text(n model.Notification) string {
	if m := Message(n.Key, n.Args); m != "" {
		return m
	}
	return n.Subject
}

// Note is a notice to u, in the app and by e-mail as u chose: its subject
// is the keyed message, its body adds detail (may be "").
func Note(u model.User, kind, link, detail, key string, args ...string) model.Notification {
	msg := Message(key, args)
	body := msg
	if detail != "" {
		body += "\n\n" + detail
	}
	return model.Notification{UserID: u.ID, Email: u.Email, Kind: kind, Key: key, Args: args,
		Subject: msg, Body: body, Link: link}
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

// digestNote is the daily digest of items: one e-mail listing each, with
// its link when BaseURL is set.
func (n *Notifier) digestNote(items []model.Notification) model.Notification {
	count := fmt.Sprint(len(items))
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "- %s", Text(it))
		if it.Link != "" && n.BaseURL != "" {
			fmt.Fprintf(&b, " %s%s", strings.TrimRight(n.BaseURL, "/"), it.Link)
		}
		b.WriteString("\n")
	}
	note := Note(model.User{Email: items[0].Email}, KindDigest, "/notifications", b.String(), "digest", count)
	return note
}
