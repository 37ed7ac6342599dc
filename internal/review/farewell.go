package review

import (
	"context"
	"fmt"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// MainAccounts lists the accounts a farewell post on acc may point to: the
// organization's corporate accounts on its platform that are open (active,
// or at risk: still posting, which is how they recover).
func (s *Service) MainAccounts(ctx context.Context, acc model.Account) ([]model.Account, error) {
	accs, _, err := s.Store.Accounts(ctx, store.AccountFilter{Platform: acc.Platform, Kind: model.KindCorporate,
		Statuses: []string{model.StatusActive, model.StatusAtRisk}, Sort: "handle", Limit: 50})
	return accs, err
}

// DraftFarewell drafts, on an account about to close (4.6), a farewell
// post pointing its followers to a main account on the same platform
// (mainID; 0 takes the first of MainAccounts). It is an ordinary draft,
// written by u, who edits it and sends it for review; so it is published,
// or not, like any official statement.
func (s *Service) DraftFarewell(ctx context.Context, a model.Actor, u *model.User, accountID, mainID int64) (*DraftView, error) {
	acc, err := s.Store.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var main *model.Account
	if mainID == 0 {
		mains, err := s.MainAccounts(ctx, *acc)
		if err != nil {
			return nil, err
		}
		for i := range mains {
			if mains[i].ID != acc.ID {
				main = &mains[i]
				break
			}
		}
		if main == nil {
			return nil, errs.Errorf(errs.Invalid, "farewell.no_main_account",
				"no open corporate account on %s to point followers to: register the main account first", acc.Platform)
		}
	} else if main, err = s.Store.Account(ctx, mainID); err != nil {
		return nil, err
	}
	switch {
	case main.ID == acc.ID:
		return nil, errs.Errorf(errs.Invalid, "farewell.same_account", "main_account: a farewell post points to another account, not to %s itself", acc.Handle)
	case main.Platform != acc.Platform:
		return nil, errs.Errorf(errs.Invalid, "farewell.other_platform", "main_account: %s is on %s; followers of %s on %s are pointed to an account on the same platform",
			main.Handle, main.Platform, acc.Handle, acc.Platform)
	case main.Status != model.StatusActive && main.Status != model.StatusAtRisk:
		return nil, errs.Errorf(errs.Invalid, "farewell.main_not_open", "main_account: %s is %s; point followers to an open account", main.Handle, i18n.Status(main.Status))
	}
	return s.Create(ctx, a, u, DraftInput{AccountID: acc.ID, Text: s.farewellText(acc, main)})
}

// farewellText is the draft's first wording, for the author to adapt.
func (s *Service) farewellText(acc, main *model.Account) string {
	org := "our organization"
	if s.Checker != nil && s.Checker.Pack() != nil && s.Checker.Pack().Organization.Name != "" {
		org = s.Checker.Pack().Organization.Name
	}
	text := fmt.Sprintf("This account is no longer updated and will close. Thank you for following it. For news from %s, follow %s", org, main.Handle)
	if main.ProfileURL != "" {
		text += ": " + main.ProfileURL
	}
	return text + "."
}
