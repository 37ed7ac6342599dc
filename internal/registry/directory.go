package registry

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// DirectoryEntry is one account of the public directory: what anyone may
// know of an official account, nothing about who runs it.
type DirectoryEntry struct {
	ID            int64      `json:"-"`
	HandleKey     string     `json:"-"`
	Platform      string     `json:"platform"`
	Handle        string     `json:"handle"`
	ProfileURL    string     `json:"profile_url"`
	DisplayName   string     `json:"display_name"`
	Kind          string     `json:"kind"`
	Office        string     `json:"office"`
	Languages     []string   `json:"languages"`
	Status        string     `json:"status"` // "active" or "closed"
	VerifiedSince *time.Time `json:"verified_since"`
	ClosedSince   *time.Time `json:"closed_since,omitempty"`
}

// DirectoryFilter narrows the directory: Query matches handle, display
// name and office (folded); the others match exactly (Language one of the
// account's languages).
type DirectoryFilter struct {
	Query, Platform, Office, Language, Kind string
}

// DefaultPublicClosedDays is how long a closed account stays listed when the
// pack does not say.
const DefaultPublicClosedDays = 365

// Directory lists the official accounts for the public, sorted by platform
// then handle: every account in use (active, at risk, closure proposed are
// all "active" to the public) and the accounts closed within the pack's
// public_closed_days, as "closed". Requests and rejected accounts are not
// public.
func (s *Service) Directory(ctx context.Context, f DirectoryFilter) ([]DirectoryEntry, error) {
	all, err := s.Store.AllAccounts(ctx)
	if err != nil {
		return nil, err
	}
	since, err := s.Store.Activations(ctx)
	if err != nil {
		return nil, err
	}
	days := DefaultPublicClosedDays
	if s.Pack != nil && s.Pack.Parameters.PublicClosedDays > 0 {
		days = s.Pack.Parameters.PublicClosedDays
	}
	cutoff := s.now().AddDate(0, 0, -days)
	q := fold(strings.TrimSpace(f.Query))
	var out []DirectoryEntry
	for _, a := range all {
		e := DirectoryEntry{ID: a.ID, HandleKey: a.HandleKey, Platform: a.Platform, Handle: displayHandle(a.Platform, a.Handle),
			ProfileURL: a.ProfileURL, DisplayName: a.DisplayName, Kind: a.Kind, Office: a.Office,
			Languages: a.Languages, Status: "active"}
		switch a.Status {
		case model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed:
		case model.StatusClosed:
			if a.ClosedAt == nil || a.ClosedAt.Before(cutoff) {
				continue
			}
			e.Status, e.ClosedSince = "closed", a.ClosedAt
		default:
			continue
		}
		if t, ok := since[a.ID]; ok {
			e.VerifiedSince = &t
		} else {
			t := a.CreatedAt
			e.VerifiedSince = &t
		}
		if e.Languages == nil {
			e.Languages = []string{}
		}
		if !f.matches(e, q) {
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b DirectoryEntry) int {
		return cmp.Or(cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.HandleKey, b.HandleKey), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (f DirectoryFilter) matches(e DirectoryEntry, folded string) bool {
	if f.Platform != "" && !strings.EqualFold(f.Platform, e.Platform) ||
		f.Kind != "" && f.Kind != e.Kind ||
		f.Office != "" && !strings.EqualFold(f.Office, e.Office) ||
		f.Language != "" && !slices.Contains(e.Languages, f.Language) {
		return false
	}
	if folded == "" {
		return true
	}
	return strings.Contains(fold(e.Handle), folded) || strings.Contains(fold(e.DisplayName), folded) ||
		strings.Contains(fold(e.Office), folded)
}

// GuardCell guards a CSV cell that a spreadsheet would run as a formula, as
// the registry's own CSV files do.
func GuardCell(s string) string { return guardCell(s) }
