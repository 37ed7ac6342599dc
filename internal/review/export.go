package review

import (
	"context"
	"slices"
	"strings"

	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// ExportStats counts what ExportDecisions found.
type ExportStats struct {
	Positives, Negatives int
	// Edited are drafts sent back citing the clause whose text changed
	// since: the text that was sent back is no longer stored.
	Edited int
}

// exportPage is how many drafts ExportDecisions reads at a time.
const exportPage = 500

// ExportDecisions turns the review history into labelled examples for a
// clause: a draft sent back (changes requested, or rejected) by a reviewer
// whose comment cites the clause is a positive, with the text of the
// version that was sent back; a draft approved without a finding of the
// clause and never sent back citing it is a negative. Only drafts of
// accounts of kinds (all when empty) count. Each text goes through mask
// before it leaves; the caller masks personal data.
func ExportDecisions(ctx context.Context, st *store.Store, clause string, kinds []string, mask func(string) string) ([]classify.Example, ExportStats, error) {
	var out []classify.Example
	var stats ExportStats
	accounts := map[int64]*model.Account{}
	cites := func(comment string) bool { return strings.Contains(strings.ToLower(comment), strings.ToLower(clause)) }
	for after := int64(0); ; {
		ds, err := st.DraftsAfter(ctx, after, exportPage)
		if err != nil {
			return nil, stats, err
		}
		if len(ds) == 0 {
			return out, stats, nil
		}
		after = ds[len(ds)-1].ID
		for i := range ds {
			d := &ds[i]
			acc := accounts[d.AccountID]
			if acc == nil {
				if acc, err = st.Account(ctx, d.AccountID); errs.Is(err, errs.NotFound) {
					continue
				} else if err != nil {
					return nil, stats, err
				}
				accounts[d.AccountID] = acc
			}
			if len(kinds) > 0 && !slices.Contains(kinds, acc.Kind) {
				continue
			}
			evs, err := st.DraftEvents(ctx, d.ID)
			if err != nil {
				return nil, stats, err
			}
			sentBack, current := false, false
			for _, e := range evs {
				if (e.Kind == model.DraftEventRequestChanges || e.Kind == model.DraftEventReject) && cites(e.Comment) {
					sentBack = true
					current = current || e.Version == d.Version
				}
			}
			switch {
			case current:
				out = append(out, classify.Example{Text: mask(d.Text), Label: true})
				stats.Positives++
			case sentBack:
				stats.Edited++
			case approved(d) && !hasClause(d.Report, clause):
				out = append(out, classify.Example{Text: mask(d.Text), Label: false})
				stats.Negatives++
			}
		}
	}
}

// approved reports whether the draft's current text was approved.
func approved(d *model.StoredDraft) bool {
	return (d.Status == model.DraftApproved || d.Status == model.DraftPublished) && d.ApprovedVersion == d.Version
}

func hasClause(r *model.Report, clause string) bool {
	if r == nil {
		return false
	}
	for _, f := range r.Findings {
		if f.Clause == clause {
			return true
		}
	}
	return false
}
