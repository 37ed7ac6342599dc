package registry

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// PreviewImport reads a registry CSV file and reports every line-level
// problem, duplicates within the file (PreviewCSV) and against the
// registry included. It writes nothing.
func (s *Service) PreviewImport(ctx context.Context, r io.Reader) (ImportPreview, error) {
	pv := PreviewCSV(r)
	if len(pv.Rows) == 0 {
		return pv, nil
	}
	keys, err := s.Store.AccountKeys(ctx)
	if err != nil {
		return ImportPreview{}, err
	}
	for i := range pv.Rows {
		row := &pv.Rows[i]
		if err := keyed(&row.Account, s.Outbound); err != nil {
			field := "handle"
			if errors.Is(err, ErrBadProfileURL) {
				field = "profile_url"
			}
			pv.Problems = append(pv.Problems, RowProblem{Line: row.Line, Field: field, Message: err.Error()})
			continue
		}
		if keys[row.Account.Platform+"\x00"+row.Account.HandleKey] {
			pv.Problems = append(pv.Problems, RowProblem{Line: row.Line, Field: "handle",
				Message: row.Account.Handle + " on " + row.Account.Platform + " is already in the registry"})
		}
		// Ids come from the database; those in the file only identify rows of an export.
		row.Account.ID = 0
	}
	sortProblems(pv.Problems)
	return pv, nil
}

// CommitImport re-validates the file and writes every account or none: any
// problem returns an *ImportError (nothing written). It returns how many
// accounts were added, each with its audit event.
func (s *Service) CommitImport(ctx context.Context, actor model.Actor, r io.Reader) (int, error) {
	pv, err := s.PreviewImport(ctx, r)
	if err != nil {
		return 0, err
	}
	if !pv.OK() {
		return 0, importError(pv.Problems)
	}
	accs := pv.Accounts()
	if err := s.Store.ImportAccounts(ctx, actor, accs); err != nil {
		return 0, err
	}
	return len(accs), nil
}

// exportPage is how many accounts Export reads at a time.
const exportPage = 1000

// Export writes every account f selects (its Limit and Offset are ignored)
// as a CSV file that CommitImport reads back.
func (s *Service) Export(ctx context.Context, w io.Writer, f store.AccountFilter) error {
	var all []model.Account
	f.Limit = exportPage
	for f.Offset = 0; ; f.Offset += exportPage {
		page, total, err := s.Store.Accounts(ctx, f)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < exportPage || len(all) >= total {
			break
		}
	}
	return WriteCSV(w, all)
}

// sortProblems orders problems by line, keeping each line's in order found.
func sortProblems(ps []RowProblem) {
	slices.SortStableFunc(ps, func(a, b RowProblem) int { return cmp.Compare(a.Line, b.Line) })
}
