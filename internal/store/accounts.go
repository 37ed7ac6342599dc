package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// CreateAccount adds acc to the registry, setting its ID and timestamps.
// ErrConflict if the platform already has the handle (case-insensitively).
// Audited as "account.create". notes, to whoever must act on it, are
// written in the same transaction, "{id}" in their links replaced by the
// account's new ID.
func (s *Store) CreateAccount(ctx context.Context, a model.Actor, acc *model.Account, notes ...model.Notification) error {
	return s.CreateAccountWithReason(ctx, a, acc, "", notes...)
}

// CreateAccountWithReason is CreateAccount with a reason recorded in the
// account's history and audit event with its first status (a request sent
// despite error pre-checks, and why).
func (s *Store) CreateAccountWithReason(ctx context.Context, a model.Actor, acc *model.Account, reason string, notes ...model.Notification) error {
	if acc.Platform == "" || acc.Handle == "" || acc.Kind == "" {
		return errs.Errorf(errs.Invalid, "store.an_account_needs_a", "an account needs a platform, a handle and a kind")
	}
	if acc.Status == "" {
		acc.Status = model.StatusRequested
	}
	now := normTime(s.now())
	acc.CreatedAt, acc.UpdatedAt = now, now
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertAccount(ctx, tx, a, acc, reason); err != nil {
			return err
		}
		return s.insertNotifications(ctx, tx, withID(notes, acc.ID))
	})
}

// insertAccount inserts acc (timestamps already set) and its audit event;
// reason, if any, is recorded with its first status.
func (s *Store) insertAccount(ctx context.Context, tx *sql.Tx, a model.Actor, acc *model.Account, reason string) error {
	if acc.HandleKey == "" {
		acc.HandleKey = defaultHandleKey(acc.Handle)
	}
	projName, projKeywords, projEnd := projectCols(acc)
	err := tx.QueryRowContext(ctx, s.q("account-insert"),
		acc.Platform, acc.Handle, acc.ProfileURL, acc.DisplayName, acc.Bio, acc.Kind, acc.Office,
		jsonList(acc.Languages), acc.Audience, acc.Purpose, acc.PostsPerWeek, acc.Email,
		jsonList(acc.Contacts), jsonList(acc.Managers), projName, projKeywords, projEnd,
		acc.Status, accountSearch(acc), s.tv(acc.CreatedAt), s.tv(acc.UpdatedAt), s.ntv(acc.ClosedAt),
		nullID(acc.RequestedBy), acc.HandleKey).Scan(&acc.ID)
	if err != nil {
		return mapErr(err)
	}
	// The history starts with the account's first status.
	if _, err := tx.ExecContext(ctx, s.q("account-event-insert"), acc.ID, "", acc.Status,
		a.UserID, a.Email, reason, s.tv(acc.CreatedAt)); err != nil {
		return mapErr(err)
	}
	if err := s.accountWebhooks(ctx, tx, a, acc, "", "account.create", ""); err != nil {
		return err
	}
	summary := fmt.Sprintf("registered %s account %s on %s (%s), status %s",
		acc.Kind, acc.Handle, acc.Platform, acc.Office, acc.Status)
	if reason != "" {
		summary += ": " + reason
	}
	return s.appendEvent(ctx, tx, a, "account.create", "account", id(acc.ID), summary)
}

// projectCols are the project columns of acc: a NULL name when it has no project.
func projectCols(acc *model.Account) (name any, keywords, end string) {
	if acc.Project == nil {
		return nil, "[]", ""
	}
	return acc.Project.Name, jsonList(acc.Project.Keywords), acc.Project.EndDate
}

// defaultHandleKey is the handle key of an account whose caller gave none:
// the registry service sets the platform's own form, this is the fallback
// the 0002 migration also used for older rows.
func defaultHandleKey(handle string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
}

// nullID is 0 as NULL, for optional references to users.
func nullID(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// accountSearch is the text the Accounts search matches: the searched
// fields, lower-cased (in Go, so that non-ASCII letters fold too), one per
// line. Whatever changes those fields must store it again.
func accountSearch(acc *model.Account) string {
	f := []string{acc.Handle, acc.DisplayName, acc.Office, acc.Email}
	if acc.Project != nil {
		f = append(f, acc.Project.Name)
	}
	return strings.ToLower(strings.Join(f, "\n"))
}

// jsonList encodes a list column; nil is stored as [].
func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // a []string always encodes
	return string(b)
}

// scanList decodes a list column; [] becomes nil.
type scanList struct{ l *[]string }

func (sl scanList) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("store: cannot scan %T as a list", v)
	}
	*sl.l = nil
	if err := json.Unmarshal(b, sl.l); err != nil {
		return fmt.Errorf("store: bad list %q: %w", b, err)
	}
	if len(*sl.l) == 0 {
		*sl.l = nil
	}
	return nil
}

const accountCols = `id, platform, handle, profile_url, display_name, bio, kind, office, languages,
	audience, purpose, posts_per_week, email, contacts, managers,
	project_name, project_keywords, project_end_date, status, created_at, updated_at, closed_at,
	COALESCE(requested_by, 0), COALESCE(handle_key, ''), handle_parked`

// scanAccount scans the accountCols of one row.
func scanAccount(sc scanner) (*model.Account, error) {
	var acc model.Account
	var projName sql.NullString
	var p model.Project
	err := sc.Scan(&acc.ID, &acc.Platform, &acc.Handle, &acc.ProfileURL, &acc.DisplayName, &acc.Bio,
		&acc.Kind, &acc.Office, scanList{&acc.Languages}, &acc.Audience, &acc.Purpose, &acc.PostsPerWeek,
		&acc.Email, scanList{&acc.Contacts}, scanList{&acc.Managers}, &projName, scanList{&p.Keywords},
		&p.EndDate, &acc.Status, scanTime{&acc.CreatedAt}, scanTime{&acc.UpdatedAt}, scanNullTime{&acc.ClosedAt},
		&acc.RequestedBy, &acc.HandleKey, &acc.HandleParked)
	if err != nil {
		return nil, mapErr(err)
	}
	if projName.Valid {
		p.Name = projName.String
		acc.Project = &p
	}
	return &acc, nil
}

// Account returns the account with id, or ErrNotFound.
func (s *Store) Account(ctx context.Context, id int64) (*model.Account, error) {
	return scanAccount(s.r.QueryRowContext(ctx, s.q("account-by-id"), id))
}

// AccountFilter selects and orders a page of the registry; every lister of
// pages of accounts (the registry, requests, the dashboard) goes through it.
// Query matches a part of the handle, display name, office, e-mail or
// project name, ignoring case; Platform, Kind, Office and Status match
// exactly; Statuses, when set, is a set of statuses one of which must match;
// RequestedBy, when not 0, is the user who asked for the account. Sort is
// one of the keys of accountSorts ("" sorts by handle). Limit <= 0 means 50;
// Limit is at most 1000.
type AccountFilter struct {
	Query, Platform, Kind, Office, Status, Sort string
	Statuses                                    []string
	RequestedBy                                 int64
	Limit, Offset                               int
	// After pages in keyset order: the accounts after the one whose
	// AccountKey (for the same Sort) it is.
	After string
	// HideStatuses hides the accounts in these statuses, except those
	// requested by HideExceptBy (the registry's visibility of requests).
	HideStatuses []string
	HideExceptBy int64
}

// accountSorts maps AccountFilter.Sort to an ORDER BY; id breaks ties so that
// pages never overlap.
var accountSorts = map[string]string{
	"":          "handle, id",
	"handle":    "handle, id",
	"-handle":   "handle DESC, id DESC",
	"platform":  "platform, handle, id",
	"kind":      "kind, handle, id",
	"office":    "office, handle, id",
	"status":    "status, handle, id",
	"created":   "created_at, id",
	"-created":  "created_at DESC, id DESC",
	"updated":   "updated_at, id",
	"-updated":  "updated_at DESC, id DESC",
	"name":      "display_name, id",
	"-name":     "display_name DESC, id DESC",
	"-platform": "platform DESC, handle, id",
	"-status":   "status DESC, handle, id",
}

// accountKeysets are the sorts a list pages through with AccountFilter.After:
// those whose columns all go the same way.
var accountKeysets = map[string]keyset{
	"":         newKeyset(false, "handle", "id"),
	"handle":   newKeyset(false, "handle", "id"),
	"-handle":  newKeyset(true, "handle", "id"),
	"platform": newKeyset(false, "platform", "handle", "id"),
	"kind":     newKeyset(false, "kind", "handle", "id"),
	"office":   newKeyset(false, "office", "handle", "id"),
	"status":   newKeyset(false, "status", "handle", "id"),
	"created":  newKeyset(false, "created_at:time", "id"),
	"-created": newKeyset(true, "created_at:time", "id"),
	"updated":  newKeyset(false, "updated_at:time", "id"),
	"-updated": newKeyset(true, "updated_at:time", "id"),
	"name":     newKeyset(false, "display_name", "id"),
	"-name":    newKeyset(true, "display_name", "id"),
}

// AccountKey is a's key in the keyset order of sort, for AccountFilter.After.
func AccountKey(sort string, a model.Account) string {
	k, ok := accountKeysets[sort]
	if !ok {
		return ""
	}
	col := map[string]any{"handle": a.Handle, "platform": a.Platform, "kind": a.Kind, "office": a.Office,
		"status": a.Status, "display_name": a.DisplayName, "created_at": a.CreatedAt, "updated_at": a.UpdatedAt, "id": a.ID}
	vals := make([]any, len(k.cols))
	for i, c := range k.cols {
		vals[i] = col[c]
	}
	return k.key(vals...)
}

// accountsQuery builds the page query and the count query's WHERE part,
// and the arguments of the page's keyset condition (after the WHERE's).
func (s *Store) accountsQuery(f AccountFilter) (page string, where string, afterArgs []any, err error) {
	order, ok := accountSorts[f.Sort]
	if !ok {
		return "", "", nil, errs.Errorf(errs.Invalid, "store.unknown_account_sort", "unknown account sort %q", f.Sort)
	}
	var afterCond string
	if f.After != "" {
		k, ok := accountKeysets[f.Sort]
		if !ok {
			return "", "", nil, errs.Errorf(errs.Invalid, "store.sort_without_cursor", "sort %q cannot be paged with a cursor", f.Sort)
		}
		if afterCond, afterArgs, err = s.after(k, Page{After: f.After}); err != nil {
			return "", "", nil, err
		}
	}
	var conds []string
	for _, c := range []struct{ col, val string }{
		{"platform", f.Platform}, {"kind", f.Kind}, {"office", f.Office}, {"status", f.Status},
	} {
		if c.val != "" {
			conds = append(conds, c.col+" = ?")
		}
	}
	if f.Query != "" {
		conds = append(conds, `search LIKE ? ESCAPE '\'`)
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
	}
	if f.RequestedBy != 0 {
		conds = append(conds, "requested_by = ?")
	}
	if len(f.HideStatuses) > 0 {
		conds = append(conds, "(status NOT IN (?"+strings.Repeat(", ?", len(f.HideStatuses)-1)+") OR requested_by = ?)")
	}
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	pageWhere := where
	if afterCond != "" {
		pageWhere = " WHERE " + strings.Join(append(conds, afterCond), " AND ")
	}
	page = "SELECT " + accountCols + " FROM accounts" + pageWhere + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	page = s.bind(page)
	return page, where, afterArgs, nil
}

// accountArgs are the arguments of accountsQuery's WHERE part, in order.
func accountArgs(f AccountFilter) []any {
	var args []any
	for _, v := range []string{f.Platform, f.Kind, f.Office, f.Status} {
		if v != "" {
			args = append(args, v)
		}
	}
	if f.Query != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(f.Query))+"%")
	}
	for _, st := range f.Statuses {
		args = append(args, st)
	}
	if f.RequestedBy != 0 {
		args = append(args, f.RequestedBy)
	}
	if len(f.HideStatuses) > 0 {
		for _, st := range f.HideStatuses {
			args = append(args, st)
		}
		args = append(args, f.HideExceptBy)
	}
	return args
}

// Accounts returns one page of the accounts f selects and how many it
// selects in all.
func (s *Store) Accounts(ctx context.Context, f AccountFilter) ([]model.Account, int, error) {
	page, where, afterArgs, err := s.accountsQuery(f)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 1000)
	f.Offset = max(f.Offset, 0)
	args := accountArgs(f)
	count := "SELECT COUNT(*) FROM accounts" + where
	count = s.bind(count)
	var total int
	if err := s.r.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pageArgs := append(append(slices.Clip(args), afterArgs...), f.Limit, f.Offset)
	accs, err := queryAll(ctx, s.r, scanAccount, page, pageArgs...)
	return accs, total, err
}
