package registry

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// PreviewImport reads a registry CSV file and reports every line-level
// problem once, duplicates within the file (PreviewCSV) included. A row
// whose platform and handle the registry already has is an update of that
// account: the preview lists each field it changes (the file's columns
// only), and a row that says what the registry says changes nothing. It
// writes nothing.
func (s *Service) PreviewImport(ctx context.Context, r io.Reader) (ImportPreview, error) {
	pv := PreviewCSV(r)
	if len(pv.Rows) == 0 {
		return pv, nil
	}
	all, err := s.Store.AllAccounts(ctx)
	if err != nil {
		return ImportPreview{}, err
	}
	existing := make(map[string]*model.Account, len(all))
	for i := range all {
		existing[all[i].Platform+"\x00"+all[i].HandleKey] = &all[i]
	}
	bad := map[int]bool{} // lines already reported: each problem once
	for _, p := range pv.Problems {
		bad[p.Line] = true
	}
	cols := map[string]bool{}
	for _, c := range pv.Columns {
		cols[c] = true
	}
	for i := range pv.Rows {
		row := &pv.Rows[i]
		// Ids come from the database; those in the file only identify rows of an export.
		row.Account.ID = 0
		if bad[row.Line] {
			continue
		}
		n := len(pv.Problems)
		if addFieldProblems(&pv, row.Line, &row.Account); len(pv.Problems) > n {
			continue // each row's problems once: the rest would repeat them
		}
		if err := keyed(&row.Account, s.Outbound); err != nil {
			field := "handle"
			if errors.Is(err, ErrBadProfileURL) {
				field = "profile_url"
			}
			pv.Problems = append(pv.Problems, errProblem(row.Line, field, err))
			continue
		}
		old := existing[row.Account.Platform+"\x00"+row.Account.HandleKey]
		if old == nil {
			continue
		}
		row.ExistingID = old.ID
		if cols["status"] && row.Account.Status != old.Status {
			pv.Problems = append(pv.Problems, problem(row.Line, "status", "status_differs",
				old.Handle, old.Platform, old.Status, old.ID, old.ID, row.Account.Status))
			continue
		}
		merged := *old
		for _, f := range importFields {
			if !cols[f.col] {
				continue
			}
			if from, to := f.get(old), f.get(&row.Account); from != to {
				row.Changes = append(row.Changes, FieldChange{Field: f.col, From: from, To: to})
				f.set(&merged, &row.Account)
			}
		}
		if merged.Kind != model.KindProject {
			merged.Project = nil
		}
		row.Account = merged
	}
	sortProblems(pv.Problems)
	return pv, nil
}

// importFields are the columns an import may change on an existing
// account: those a manager edits. The platform and handle find the
// account, so they never change (a handle typed in another case or form is
// the same account); status changes go through the lifecycle; ids and
// timestamps belong to the database.
var importFields = []struct {
	col string
	get func(*model.Account) string
	set func(dst, src *model.Account)
}{
	{"profile_url", func(a *model.Account) string { return a.ProfileURL }, func(d, s *model.Account) { d.ProfileURL = s.ProfileURL }},
	{"display_name", func(a *model.Account) string { return a.DisplayName }, func(d, s *model.Account) { d.DisplayName = s.DisplayName }},
	{"bio", func(a *model.Account) string { return a.Bio }, func(d, s *model.Account) { d.Bio = s.Bio }},
	{"kind", func(a *model.Account) string { return a.Kind }, func(d, s *model.Account) { d.Kind = s.Kind }},
	{"office", func(a *model.Account) string { return a.Office }, func(d, s *model.Account) { d.Office = s.Office }},
	{"languages", func(a *model.Account) string { return strings.Join(a.Languages, ";") }, func(d, s *model.Account) { d.Languages = s.Languages }},
	{"audience", func(a *model.Account) string { return a.Audience }, func(d, s *model.Account) { d.Audience = s.Audience }},
	{"purpose", func(a *model.Account) string { return a.Purpose }, func(d, s *model.Account) { d.Purpose = s.Purpose }},
	{"posts_per_week", func(a *model.Account) string { return strconv.FormatFloat(a.PostsPerWeek, 'f', -1, 64) }, func(d, s *model.Account) { d.PostsPerWeek = s.PostsPerWeek }},
	{"email", func(a *model.Account) string { return a.Email }, func(d, s *model.Account) { d.Email = s.Email }},
	{"contacts", func(a *model.Account) string { return strings.Join(a.Contacts, ";") }, func(d, s *model.Account) { d.Contacts = s.Contacts }},
	{"managers", func(a *model.Account) string { return strings.Join(a.Managers, ";") }, func(d, s *model.Account) { d.Managers = s.Managers }},
	{"project_name", func(a *model.Account) string { return projectOf(a).Name }, func(d, s *model.Account) { withProject(d).Name = projectOf(s).Name }},
	{"project_keywords", func(a *model.Account) string { return strings.Join(projectOf(a).Keywords, ";") }, func(d, s *model.Account) { withProject(d).Keywords = projectOf(s).Keywords }},
	{"project_end_date", func(a *model.Account) string { return projectOf(a).EndDate }, func(d, s *model.Account) { withProject(d).EndDate = projectOf(s).EndDate }},
}

func projectOf(a *model.Account) model.Project {
	if a.Project == nil {
		return model.Project{}
	}
	return *a.Project
}

// withProject gives a its own project to change, so the account read from
// the store is never changed through a shared pointer.
func withProject(a *model.Account) *model.Project {
	p := projectOf(a)
	a.Project = &p
	return a.Project
}

// ImportResult counts what a committed import did.
type ImportResult struct {
	Added, Updated, Unchanged int
}

// CommitImport re-validates the file and writes every change or none: any
// problem returns an *ImportError (nothing written). New accounts are
// added, each with its audit event; existing ones are updated field by
// field, each with an audit event naming the fields; unchanged rows write
// nothing, so importing an unchanged export changes nothing.
func (s *Service) CommitImport(ctx context.Context, actor model.Actor, r io.Reader) (ImportResult, error) {
	var res ImportResult
	pv, err := s.PreviewImport(ctx, r)
	if err != nil {
		return res, err
	}
	if !pv.OK() {
		return res, importError(pv.Problems)
	}
	var adds []model.Account
	var updates []store.AccountChange
	for _, row := range pv.Rows {
		switch row.Action() {
		case ImportAdd:
			adds = append(adds, row.Account)
		case ImportUpdate:
			acc := row.Account
			fields := make([]string, len(row.Changes))
			for i, c := range row.Changes {
				fields[i] = c.Field
			}
			updates = append(updates, store.AccountChange{Account: &acc, From: acc.Status, Action: "account.update",
				Summary: fmt.Sprintf("import (line %d) updated account %s on %s: %s", row.Line, acc.Handle, acc.Platform, strings.Join(fields, ", "))})
		default:
			res.Unchanged++
		}
	}
	if len(adds) == 0 && len(updates) == 0 {
		return res, nil
	}
	if err := s.Store.ApplyImport(ctx, actor, adds, updates); err != nil {
		return res, err
	}
	res.Added, res.Updated = len(adds), len(updates)
	return res, nil
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
