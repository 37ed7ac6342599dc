package registry

import (
	"context"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
)

// What a public report of a suspicious account led to.
const (
	ReportOfficial = "official" // the account is one of the organization's, in use
	ReportQueued   = "queued"   // new in the triage queue
	ReportCounted  = "counted"  // already queued: one more report of it
)

// ReportResult says what a public report did.
type ReportResult struct {
	Outcome string
	FoundID int64 // the found account, when queued or counted
	Count   int   // reports of it so far
}

// maxReportNote bounds a reporter's note (runes).
const maxReportNote = 1000

// ReportAccount takes a public report that an account (handle or profile
// URL) may be impersonating the organization. An account in the registry
// and in use is reported as official and queued nowhere; any other lands in
// the triage queue, scored against the registry, once: further reports of
// it raise its report count. The note goes to the audit trail only.
func (s *Service) ReportAccount(ctx context.Context, platform, handleOrURL, note string) (*ReportResult, error) {
	platform = canonicalPlatform(platform)
	key, err := NormalizeHandle(platform, handleOrURL)
	if err != nil {
		return nil, err
	}
	acc, err := s.Store.AccountByHandleKey(ctx, platform, key)
	switch {
	case err == nil && (acc.Status == model.StatusActive || acc.Status == model.StatusAtRisk || acc.Status == model.StatusClosureProposed):
		return &ReportResult{Outcome: ReportOfficial}, nil
	case err != nil && !errs.Is(err, errs.NotFound):
		return nil, err
	}
	f := model.FoundAccount{Platform: platform, Handle: key, HandleKey: key}
	if in := strings.TrimSpace(handleOrURL); looksLikeURL(in) {
		f.URL = in
	} else {
		f.Handle = strings.TrimPrefix(in, "@")
	}
	accounts, err := ImitatedAccounts(ctx, s.Store)
	if err != nil {
		return nil, err
	}
	emblems, err := EmblemHashes(s.Pack)
	if err != nil {
		return nil, err
	}
	Score(Lookalikes(s.Pack, accounts, emblems), &f, nil)
	note = strings.ToValidUTF8(strings.TrimSpace(note), "\uFFFD")
	if r := []rune(note); len(r) > maxReportNote {
		note = string(r[:maxReportNote]) + "…"
	}
	// The Communications Group triages the queue: a new entry is theirs to
	// look at. Further reports of it only raise its count.
	group, err := notify.CommunicationsGroup(ctx, s.Store, 0)
	if err != nil {
		return nil, err
	}
	notes := notify.Notes(group, notify.KindFound, "/found?state=new", "", "report.new", "@"+strings.TrimPrefix(f.Handle, "@"), platform)
	id, count, created, err := s.Store.ReportFound(ctx, f, note, notes...)
	if err != nil {
		return nil, err
	}
	if created {
		s.Notify.Wake()
	}
	res := &ReportResult{Outcome: ReportCounted, FoundID: id, Count: count}
	if created {
		res.Outcome = ReportQueued
	}
	return res, nil
}
