package registry

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// foundColumns are the columns of a list of found accounts, by headerKey.
var foundColumns = []string{"platform", "handle", "display_name", "url", "followers"}

// ImportFound reads a list of accounts found on the platforms (CSV with a
// header: platform, handle, display name, URL, followers; only platform
// and handle required) and queues for triage those whose handle or display
// name uses the organization's names and that are neither in the registry
// nor already queued; the others are skipped and counted. Like the registry
// import it is all or nothing: any line-level problem adds nothing.
func (s *Service) ImportFound(ctx context.Context, actor model.Actor, r io.Reader) (added, skipped int, problems []RowProblem, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return 0, 0, []RowProblem{csvProblem(1, orEmpty(err))}, nil
	}
	cols := map[string]int{}
	for i, h := range header {
		k := headerKey(h)
		switch k {
		case "profile_url", "link":
			k = "url"
		case "name":
			k = "display_name"
		}
		if _, dup := cols[k]; dup {
			problems = append(problems, problem(1, k, "column_twice"))
		}
		cols[k] = i
	}
	for _, req := range foundColumns[:2] {
		if _, ok := cols[req]; !ok {
			problems = append(problems, problem(1, req, "column_missing"))
		}
	}
	if len(problems) > 0 {
		return 0, 0, problems, nil
	}
	registered, err := s.Store.AccountKeys(ctx)
	if err != nil {
		return 0, 0, nil, err
	}
	queued, err := s.Store.FoundKeys(ctx)
	if err != nil {
		return 0, 0, nil, err
	}
	names := (&checkContext{pack: s.Pack}).orgNames()
	var found []model.FoundAccount
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			problems = append(problems, csvProblem(pe.StartLine, err))
			continue
		} else if err != nil {
			return 0, 0, nil, err // a failing reader, not a bad file
		}
		line, _ := cr.FieldPos(0)
		get := func(col string) string {
			if i, ok := cols[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		f := model.FoundAccount{Platform: canonicalPlatform(get("platform")), Handle: get("handle"),
			DisplayName: get("display_name"), URL: get("url")}
		if f.Platform == "" && f.Handle == "" && f.DisplayName == "" && f.URL == "" {
			continue // a blank line
		}
		key, err := NormalizeHandle(f.Platform, f.Handle)
		if err != nil {
			problems = append(problems, errProblem(line, "handle", err))
			continue
		}
		f.HandleKey = key
		if v := get("followers"); v != "" {
			n, err := strconv.ParseInt(strings.ReplaceAll(v, ",", ""), 10, 64)
			if err != nil || n < 0 {
				problems = append(problems, problem(line, "followers", "not_followers", v))
				continue
			}
			f.Followers = &n
		}
		k := f.Platform + "\x00" + key
		if registered[k] || queued[k] || !usesOrgName(f, names) {
			skipped++
			continue
		}
		queued[k] = true
		found = append(found, f)
	}
	if len(problems) > 0 {
		return 0, 0, problems, nil
	}
	if len(found) > 0 {
		if err := s.score(ctx, found); err != nil {
			return 0, 0, nil, err
		}
		if err := s.Store.ImportFoundAccounts(ctx, actor, found); err != nil {
			return 0, 0, nil, err
		}
	}
	return len(found), skipped, nil, nil
}

// score sets each found account's lookalike score against the registry's
// active accounts, the organization's names and the approved emblems.
func (s *Service) score(ctx context.Context, found []model.FoundAccount) error {
	accounts, err := ImitatedAccounts(ctx, s.Store)
	if err != nil {
		return err
	}
	emblems, err := EmblemHashes(s.Pack)
	if err != nil {
		return err
	}
	reg := Lookalikes(s.Pack, accounts, emblems)
	for i := range found {
		Score(reg, &found[i], nil)
	}
	return nil
}

func orEmpty(err error) error {
	if errors.Is(err, io.EOF) {
		return errs.E(errs.Invalid, "import.empty", "the file is empty; it needs a header line")
	}
	return err
}

// usesOrgName reports whether a found account's handle or display name
// carries one of the organization's names (as 5.2(a) reads a username).
func usesOrgName(f model.FoundAccount, names []string) bool {
	h := compact(f.Handle)
	for _, n := range names {
		if cn := compact(n); len(cn) >= 4 && strings.Contains(h, cn) || containsName(f.Handle, n) {
			return true
		}
	}
	return containsAnyName(f.DisplayName, names)
}

// FoundPage lists the found accounts in state (all when empty) one page at
// a time, oldest first (store.Page).
func (s *Service) FoundPage(ctx context.Context, state string, p store.Page) ([]model.FoundAccount, error) {
	if err := knownFoundState(state); err != nil {
		return nil, err
	}
	return s.Store.FoundPage(ctx, state, p)
}

// knownFoundState refuses a triage state that does not exist.
func knownFoundState(state string) error {
	switch state {
	case "", model.FoundNew, model.FoundRequested, model.FoundPersonal, model.FoundImpersonation, model.FoundDismissed:
		return nil
	}
	return invalid("found.state", "unknown triage state %q", state)
}

// Found returns a page of the triage queue in state (all states when
// empty), oldest first.
func (s *Service) Found(ctx context.Context, state string, limit, offset int) ([]model.FoundAccount, int, error) {
	if err := knownFoundState(state); err != nil {
		return nil, 0, err
	}
	return s.Store.FoundAccounts(ctx, state, limit, offset)
}

// triageStates maps a triage action to the state it leads to.
var triageStates = map[string]string{
	"start-request": model.FoundRequested,
	"personal":      model.FoundPersonal,
	"impersonation": model.FoundImpersonation,
	"dismiss":       model.FoundDismissed,
}

// Triage decides what a found account is: an institutional account that
// skipped authorization (start-request: the web opens a request from it),
// a personal account (the 5.2(a) advice applies), an impersonation (a
// takedown request is recorded, state "requested") or nothing to act on
// (dismiss). Dismissing and impersonation need a reason.
func (s *Service) Triage(ctx context.Context, actor model.Actor, id int64, action, reason string) (*model.FoundAccount, error) {
	state, ok := triageStates[action]
	if !ok {
		return nil, invalid("found.action", "triage action must be start-request, personal, impersonation or dismiss, not %q", action)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" && (action == "dismiss" || action == "impersonation") {
		return nil, ErrReasonRequired
	}
	f, err := s.Store.FoundAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	f.State, f.Reason, f.TakedownState = state, reason, ""
	if state == model.FoundImpersonation {
		f.TakedownState = model.TakedownRequested
	}
	summary := fmt.Sprintf("found account %s on %s: %s", f.Handle, f.Platform, state)
	if reason != "" {
		summary += ": " + reason
	}
	if err := s.Store.UpdateFoundAccount(ctx, actor, f, "found.triage", summary); err != nil {
		return nil, err
	}
	return f, nil
}

// takedownNext lists where each takedown state may go.
var takedownNext = map[string][]string{
	model.TakedownRequested: {model.TakedownSubmitted, model.TakedownRemoved, model.TakedownRefused},
	model.TakedownSubmitted: {model.TakedownRemoved, model.TakedownRefused},
	model.TakedownRefused:   {model.TakedownSubmitted}, // asked again
}

// SetTakedown records the progress of an impersonation's takedown request
// (requested → submitted → removed | refused); note goes to the audit trail.
func (s *Service) SetTakedown(ctx context.Context, actor model.Actor, id int64, state, note string) (*model.FoundAccount, error) {
	f, err := s.Store.FoundAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.State != model.FoundImpersonation {
		return nil, ErrBadTransition.With("account.found_account_is_not", "found account %d is %s, not an impersonation", id, i18n.Name{Key: "found_state." + f.State, Code: f.State})
	}
	ok := false
	for _, n := range takedownNext[f.TakedownState] {
		ok = ok || n == state
	}
	if !ok {
		return nil, ErrBadTransition.With("account.a_takedown_that_is", "a takedown that is %s cannot become %q", i18n.Name{Key: "takedown_state." + f.TakedownState, Code: f.TakedownState}, state)
	}
	f.TakedownState = state
	summary := fmt.Sprintf("takedown of %s on %s: %s", f.Handle, f.Platform, state)
	if note = strings.TrimSpace(note); note != "" {
		summary += ": " + note
	}
	if err := s.Store.UpdateFoundAccount(ctx, actor, f, "found.takedown", summary); err != nil {
		return nil, err
	}
	return f, nil
}

// FoundAccount returns one account of the triage queue.
func (s *Service) FoundAccount(ctx context.Context, id int64) (*model.FoundAccount, error) {
	return s.Store.FoundAccount(ctx, id)
}
