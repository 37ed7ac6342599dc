package registry

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/model"
)

// ImpersonationReport is what to send a platform about an account confirmed
// as an impersonation: where to send it and the text, with the evidence.
type ImpersonationReport struct {
	Platform string `json:"platform"`
	// FormURL is the platform's impersonation form, or the place to report
	// (a Mastodon instance's about page, which names its moderators); empty
	// where the platform has only its in-app report.
	FormURL string `json:"form_url,omitempty"`
	HowTo   string `json:"how_to"` // the steps, in a sentence
	Text    string `json:"text"`   // to paste into the form
}

// impersonationForms are the platforms' help pages for reporting an account
// that impersonates an organization, as published in 2026; a platform may
// move them, so HowTo also says how to report from the account's page.
var impersonationForms = map[string]struct{ url, how string }{
	"x":         {"https://help.x.com/forms/impersonation", "Fill in X's impersonation form as the organization impersonated (or use Report on the account's profile: \"Pretending to be someone\")."},
	"instagram": {"https://help.instagram.com/contact/636276399721841", "Fill in Instagram's impersonation form for a business or organization (or Report on the profile: \"Pretending to be someone\")."},
	"threads":   {"https://help.instagram.com/contact/636276399721841", "Threads profiles are Instagram's: use Instagram's impersonation form (or Report on the profile)."},
	"facebook":  {"https://www.facebook.com/help/contact/295309487309948", "Fill in Facebook's form for an account impersonating a business or organization (or Find support or report on the profile)."},
	"youtube":   {"https://support.google.com/youtube/answer/2801947", "Follow YouTube's impersonation policy page to report the channel (or Report user on the channel's About page: \"Impersonation\")."},
	"linkedin":  {"", "Use Report on the page or profile (More → Report → Fake or impersonation); LinkedIn has no public form."},
	"tiktok":    {"", "Use Report on the profile (Report → Pretending to be someone)."},
	"bluesky":   {"", "Use Report account on the profile (Misleading account → Impersonation); Bluesky's moderation reviews it."},
	"mastodon":  {"", "Use Report on the profile; it goes to the moderators of the account's instance (named on the instance's about page)."},
}

// ImpersonationReport writes the report for a found account confirmed (or
// about to be) as an impersonation, with the registered account it imitates
// when known.
func (s *Service) ImpersonationReport(ctx context.Context, id int64) (*ImpersonationReport, error) {
	f, err := s.Store.FoundAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	var imitated *model.Account
	if f.ImitatesID != nil {
		if imitated, err = s.Store.Account(ctx, *f.ImitatesID); err != nil {
			return nil, err
		}
	}
	return impersonationReport(f, imitated, s.Pack.Organization.FullName, s.Pack.Organization.Name), nil
}

func impersonationReport(f *model.FoundAccount, imitated *model.Account, fullName, short string) *ImpersonationReport {
	org := fullName
	if short != "" && short != fullName {
		org += " (" + short + ")"
	}
	form := impersonationForms[f.Platform]
	r := &ImpersonationReport{Platform: f.Platform, FormURL: form.url, HowTo: form.how}
	if r.HowTo == "" {
		r.HowTo = "Use the platform's report on the account's profile, reason impersonation."
	}
	if f.Platform == "mastodon" {
		if _, host, ok := strings.Cut(strings.TrimPrefix(f.Handle, "@"), "@"); ok && host != "" {
			r.FormURL = "https://" + host + "/about"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The account %s", reportHandle(f.Platform, f.Handle))
	if f.URL != "" {
		fmt.Fprintf(&b, " (%s)", f.URL)
	}
	fmt.Fprintf(&b, " is not an account of %s but presents itself as one", org)
	if imitated != nil {
		fmt.Fprintf(&b, ", imitating our official account %s", reportHandle(imitated.Platform, imitated.Handle))
		if imitated.ProfileURL != "" {
			fmt.Fprintf(&b, " (%s)", imitated.ProfileURL)
		}
	}
	b.WriteString(".\n\nEvidence:\n")
	if f.DisplayName != "" {
		fmt.Fprintf(&b, "- Its display name is %q.\n", f.DisplayName)
	}
	for _, r := range f.Reasons {
		fmt.Fprintf(&b, "- %s.\n", strings.TrimSuffix(upperFirst(r.English), ".")) // English: the report goes to the platform
	}
	if f.Bio != "" {
		bio := []rune(f.Bio)
		if len(bio) > 280 {
			bio = append(bio[:280], '…')
		}
		fmt.Fprintf(&b, "- Its bio reads: %q.\n", string(bio))
	}
	fmt.Fprintf(&b, "- We found it on %s.\n", f.ImportedAt.UTC().Format("2 January 2006"))
	fmt.Fprintf(&b, "\n%s does not operate this account and asks that it be removed for impersonation. "+
		"Our official accounts are listed in our public registry of official accounts.", org)
	r.Text = b.String()
	return r
}

// reportHandle names an account in a report: as people quote it, and a
// YouTube channel by its id.
func reportHandle(platform, h string) string {
	if platform == "youtube" && strings.HasPrefix(h, "channel/") {
		return "the channel " + strings.TrimPrefix(h, "channel/")
	}
	return displayHandle(platform, strings.TrimSpace(h))
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// RequestDraft is an account request prefilled from a found account that
// turned out to be an institutional account opened without authorization
// (triage "start-request"): platform, handle, profile URL, display name and
// bio; the requester adds the rest (4.2).
func (s *Service) RequestDraft(ctx context.Context, id int64) (model.Account, error) {
	f, err := s.Store.FoundAccount(ctx, id)
	if err != nil {
		return model.Account{}, err
	}
	return model.Account{Platform: f.Platform, Handle: f.Handle, ProfileURL: f.URL, DisplayName: f.DisplayName, Bio: f.Bio}, nil
}
