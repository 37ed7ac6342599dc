package registry

import (
	"context"
	"fmt"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// CanonicalHandles rewrites every stored handle that is not in its
// platform's canonical form (CanonicalHandle), with the handle key the
// registry computes, each change audited as "account.update". It is the
// data migration of issue 13: SQL cannot read a profile URL or a
// platform's rules, so `herald serve` and `herald migrate` run it after the
// schema migrations. On a registry already canonical it reads the accounts
// once and writes nothing. A handle the rules refuse, or whose key another
// account already holds, is left as it is and counted in skipped, so an
// old oddity never stops the server from starting.
func CanonicalHandles(ctx context.Context, st *store.Store) (changed, skipped int, err error) {
	all, err := st.AllAccounts(ctx)
	if err != nil {
		return 0, 0, err
	}
	taken := map[string]int64{}
	for _, a := range all {
		taken[a.Platform+"\x00"+a.HandleKey] = a.ID
	}
	actor := model.SystemActor("canonical handles")
	for i := range all {
		acc := &all[i]
		display, key, err := parseHandle(acc.Platform, acc.Handle)
		if err != nil {
			skipped++
			continue
		}
		if display == acc.Handle && key == acc.HandleKey {
			continue
		}
		if id, ok := taken[acc.Platform+"\x00"+key]; ok && id != acc.ID {
			skipped++
			continue
		}
		old := acc.Handle
		delete(taken, acc.Platform+"\x00"+acc.HandleKey)
		acc.Handle, acc.HandleKey = display, key
		taken[acc.Platform+"\x00"+key] = acc.ID
		err = st.TransitionAccount(ctx, actor, store.AccountChange{Account: acc, From: acc.Status,
			Action: "account.update", Summary: fmt.Sprintf("handle %s on %s stored in its canonical form %s", old, acc.Platform, display)})
		if err != nil {
			return changed, skipped, err
		}
		changed++
	}
	return changed, skipped, nil
}
