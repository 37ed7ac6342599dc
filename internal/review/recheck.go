package review

import (
	"context"
	"fmt"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// findingKey identifies a finding across two checks of the same text.
func findingKey(f model.Finding) string {
	img := -1
	if f.Image != nil {
		img = *f.Image
	}
	return fmt.Sprintf("%s|%s|%d|%d|%d", f.Rule, f.Severity, f.Start, f.End, img)
}

// diff is what changed from old to new.
func diff(old, new *model.Report) *model.ReportDiff {
	d := &model.ReportDiff{To: new.Pack, Added: []model.Finding{}, Removed: []model.Finding{}}
	was := map[string]bool{}
	if old != nil {
		d.From = old.Pack
		for _, f := range old.Findings {
			was[findingKey(f)] = true
		}
	}
	is := map[string]bool{}
	for _, f := range new.Findings {
		is[findingKey(f)] = true
		if !was[findingKey(f)] {
			d.Added = append(d.Added, f)
		}
	}
	if old != nil {
		for _, f := range old.Findings {
			if !is[findingKey(f)] {
				d.Removed = append(d.Removed, f)
			}
		}
	}
	return d
}

// RecheckPending re-checks every draft waiting for review (in-review or
// changes-requested) whose report was made with another pack version,
// stores the new report with what changed, and makes chk the service's
// checker. It returns how many drafts it re-checked.
func (s *Service) RecheckPending(ctx context.Context, chk *check.Checker) (int, error) {
	s.Checker = chk
	p := chk.Pack().Pack
	pack := p.ID + "@" + p.Version
	actor := model.SystemActor("recheck")
	n := 0
	var after int64
	for {
		ds, err := s.Store.DraftsForRecheck(ctx, pack, after, 200)
		if err != nil {
			return n, err
		}
		if len(ds) == 0 {
			return n, nil
		}
		for i := range ds {
			d := &ds[i]
			after = d.ID
			acc, err := s.Store.Account(ctx, d.AccountID)
			if err != nil {
				return n, err
			}
			rep := s.check(acc, d.Text)
			df := diff(d.Report, &rep)
			df.At = s.now().UTC()
			c := changeOf(d, acc, "draft.recheck", fmt.Sprintf("re-checked with %s: %d findings added, %d removed",
				pack, len(df.Added), len(df.Removed)),
				model.DraftEvent{Version: d.Version, Kind: model.DraftEventRecheck, ActorEmail: actor.Email,
					Comment: fmt.Sprintf("pack %s@%s → %s: %d added, %d removed", df.From.ID, df.From.Version, pack, len(df.Added), len(df.Removed))})
			d.Report, d.ReportVersion, d.Diff = &rep, d.Version, df
			c.Clauses = clauses(&rep)
			// A draft edited meanwhile was checked by its edit already.
			if err := s.Store.UpdateDraft(ctx, actor, c); errs.Is(err, errs.Conflict) {
				continue
			} else if err != nil {
				return n, err
			}
			n++
		}
	}
}
