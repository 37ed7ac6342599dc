package registry

import (
	"bytes"
	"context"
	"fmt"

	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// EmblemHashes reads and hashes the pack's approved emblems (4.3).
func EmblemHashes(p *policy.Pack) ([]lookalike.Hash, error) {
	files, err := p.EmblemImages()
	if err != nil {
		return nil, err
	}
	hashes := make([]lookalike.Hash, 0, len(files))
	for _, f := range files {
		h, err := lookalike.HashImage(bytes.NewReader(f.Data))
		if err != nil {
			return nil, fmt.Errorf("emblem %s: %w", f.Name, err)
		}
		hashes = append(hashes, h)
	}
	return hashes, nil
}

// IsEmblem reports whether an avatar is one of the approved emblems.
func IsEmblem(avatar lookalike.Hash, emblems []lookalike.Hash) bool {
	for _, e := range emblems {
		if _, ok := avatar.Matches(e); ok {
			return true
		}
	}
	return false
}

// Lookalikes prepares the lookalike scorer: the registered accounts an
// impostor imitates, the pack's organization names and handles, and the
// approved emblems' hashes.
func Lookalikes(p *policy.Pack, accounts []model.Account, emblems []lookalike.Hash) *lookalike.Registry {
	org := p.Organization
	names := append(append([]string{org.Name, org.FullName}, org.Names...), org.Handles...)
	accts := make([]lookalike.Account, 0, len(accounts))
	for _, a := range accounts {
		accts = append(accts, lookalike.Account{ID: a.ID, Platform: a.Platform, Handle: a.Handle, DisplayName: a.DisplayName, Bio: a.Bio})
	}
	return lookalike.NewRegistry(accts, names, emblems)
}

// ImitatedAccounts returns the registered accounts an impostor imitates:
// active, at risk or proposed for closure.
func ImitatedAccounts(ctx context.Context, st *store.Store) ([]model.Account, error) {
	var all []model.Account
	for offset := 0; ; offset += 1000 {
		page, total, err := st.Accounts(ctx, store.AccountFilter{
			Statuses: []string{model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed}, Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

// Score sets f's lookalike score, imitated account and reasons.
func Score(reg *lookalike.Registry, f *model.FoundAccount, avatar *lookalike.Hash) {
	res := reg.Score(lookalike.Account{Platform: f.Platform, Handle: f.Handle, DisplayName: f.DisplayName, Bio: f.Bio, Avatar: avatar})
	f.LookalikeScore, f.Reasons, f.ImitatesID = &res.Score, res.Reasons, nil
	if res.Imitates != nil {
		id := res.Imitates.ID
		f.ImitatesID = &id
	}
}

// withAvatar checks the account again knowing whether its synced avatar is
// an approved emblem (the 4.3 emblem check), once discovery has checked it.
func (s *Service) withAvatar(ctx context.Context, lang string, acc model.Account, checks []Finding) ([]Finding, error) {
	if s.Pack == nil {
		return checks, nil
	}
	ac, err := s.Store.AvatarCheck(ctx, acc.ID)
	if err != nil || ac == nil {
		return checks, err
	}
	in := InputFromAccount(acc)
	in.AvatarEmblem, in.Lang = &ac.IsEmblem, lang
	return CheckAccount(s.Pack, in), nil
}
