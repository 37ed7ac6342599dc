package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// DraftChange is a change of a draft written in one transaction with what
// goes with it: the timeline events, image rows, notifications, a published
// post for the account's activity, and the audit event (last).
type DraftChange struct {
	Draft       *model.StoredDraft // every field is written; Version and Status are the new ones
	FromVersion int                // the version it must still have, else ErrConflict
	FromStatus  string             // the status it must still have, else ErrConflict
	Office      string             // the account's office, for the queue filter
	Clauses     []string           // the clauses of the report's findings
	Events      []model.DraftEvent // appended; DraftID and At are filled
	AddImage    *model.DraftImage
	SetImage    *model.DraftImage // shows_people and consent only
	DropImage   string
	Notify      []model.Notification
	Post        *model.Post // a published post, counted in the account's activity
	Action      string      // audit action, e.g. "draft.submit"
	Summary     string
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", errs.Wrap(errs.Invalid, "store.json", "the data cannot be written as JSON", err)
	}
	return string(b), nil
}

// nullJSON is v as JSON text, or NULL when v is nil.
func nullJSON[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	return jsonText(v)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// draftArgs are the columns shared by insert and update, from text to published_url.
func (s *Store) draftArgs(d *model.StoredDraft, office string) ([]any, error) {
	checklist, err := jsonText(nonNil(d.Checklist))
	if err != nil {
		return nil, err
	}
	report, err := nullJSON(d.Report)
	if err != nil {
		return nil, err
	}
	diff, err := nullJSON(d.Diff)
	if err != nil {
		return nil, err
	}
	var pack string
	var errs, warns int
	if d.Report != nil {
		pack = d.Report.Pack.ID + "@" + d.Report.Pack.Version
		for _, f := range d.Report.Findings {
			switch f.Severity {
			case model.SeverityError:
				errs++
			case model.SeverityWarning:
				warns++
			}
		}
	}
	return []any{d.Text, checklist, d.Version, d.Status, d.Step, d.StepWho, boolInt(d.Escalated), office,
		report, d.ReportVersion, pack, diff, errs, warns, s.tv(d.UpdatedAt), s.ntv(d.SubmittedAt),
		s.ntv(d.ApprovedAt), d.ApprovedVersion, s.ntv(d.PublishedAt), d.PublishedURL}, nil
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// CreateDraft stores a new draft (ID, CreatedAt and UpdatedAt are set) with
// c's events and the audit event. c.Draft is the draft; From* are ignored.
func (s *Store) CreateDraft(ctx context.Context, a model.Actor, c DraftChange) error {
	d := c.Draft
	if d == nil || d.AccountID == 0 || d.AuthorID == 0 || c.Action == "" {
		return errs.Errorf(errs.Invalid, "store.a_draft_needs_an", "a draft needs an account, an author and an action")
	}
	d.CreatedAt = normTime(s.now())
	d.UpdatedAt = d.CreatedAt
	args, err := s.draftArgs(d, c.Office)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		// draft-insert's columns: the draftArgs with account, author and
		// platform around text, and created_at before updated_at.
		all := []any{d.AccountID, d.AuthorID, args[0], d.Platform}
		all = append(all, args[1:14]...)
		all = append(all, s.tv(d.CreatedAt))
		all = append(all, args[14:]...)
		if err := tx.QueryRowContext(ctx, s.q("draft-insert"), all...).Scan(&d.ID); err != nil {
			return mapErr(err)
		}
		return s.draftRest(ctx, tx, a, c)
	})
}

// UpdateDraft writes c: the draft's fields, only if it still has
// c.FromVersion and c.FromStatus (ErrConflict otherwise, ErrNotFound if it
// is gone), then everything else in c, all in one transaction.
func (s *Store) UpdateDraft(ctx context.Context, a model.Actor, c DraftChange) error {
	d := c.Draft
	if d == nil || d.ID == 0 || c.Action == "" {
		return errs.Errorf(errs.Invalid, "store.a_draft_change_needs", "a draft change needs a stored draft and an action")
	}
	d.UpdatedAt = normTime(s.now())
	args, err := s.draftArgs(d, c.Office)
	if err != nil {
		return err
	}
	args = append(args, d.ID, c.FromVersion, c.FromStatus)
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("draft-update"), args...)
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var status string
			var version int
			err := tx.QueryRowContext(ctx, s.bind("SELECT status, version FROM drafts WHERE id = ?"), d.ID).Scan(&status, &version)
			if err != nil {
				return mapErr(err)
			}
			return errs.Errorf(errs.Conflict, "draft.changed", "draft %d is %s at version %d, not %s at version %d any more",
				d.ID, status, version, c.FromStatus, c.FromVersion)
		}
		return s.draftRest(ctx, tx, a, c)
	})
}

// draftRest writes everything of c but the draft row.
func (s *Store) draftRest(ctx context.Context, tx *sql.Tx, a model.Actor, c DraftChange) error {
	d := c.Draft
	// Each version's text is kept for the draft page's diff.
	if _, err := tx.ExecContext(ctx, s.q("draft-version-upsert"), d.ID, d.Version, d.Text); err != nil {
		return mapErr(err)
	}
	if c.Clauses != nil {
		if _, err := tx.ExecContext(ctx, s.q("draft-clauses-delete"), d.ID); err != nil {
			return mapErr(err)
		}
		for _, cl := range c.Clauses {
			if _, err := tx.ExecContext(ctx, s.q("draft-clause-insert"), d.ID, cl); err != nil {
				return mapErr(err)
			}
		}
	}
	if im := c.AddImage; im != nil {
		im.DraftID = d.ID
		findings, err := jsonText(im.Findings)
		if err != nil {
			return err
		}
		consent, err := nullJSON(im.Consent)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("draft-image-insert"), im.ID, d.ID, im.Name, im.Format, im.Size,
			findings, boolInt(im.ShowsPeople), consent, im.UploadedBy, s.tv(im.UploadedAt)); err != nil {
			return mapErr(err)
		}
	}
	if im := c.SetImage; im != nil {
		consent, err := nullJSON(im.Consent)
		if err != nil {
			return err
		}
		if err := s.execOne(ctx, tx, s.q("draft-image-update"), boolInt(im.ShowsPeople), consent, im.ID, d.ID); err != nil {
			return err
		}
	}
	if c.DropImage != "" {
		if err := s.execOne(ctx, tx, s.q("draft-image-delete"), c.DropImage, d.ID); err != nil {
			return err
		}
	}
	for i := range c.Events {
		if err := s.insertDraftEvent(ctx, tx, d.ID, &c.Events[i]); err != nil {
			return err
		}
	}
	for i := range c.Notify {
		if err := s.insertNotification(ctx, tx, &c.Notify[i]); err != nil {
			return err
		}
	}
	if c.Post != nil {
		if err := s.upsertPostsTx(ctx, tx, []model.Post{*c.Post}); err != nil {
			return err
		}
	}
	if err := s.draftWebhooks(ctx, tx, a, d, c.Action); err != nil {
		return err
	}
	return s.appendEvent(ctx, tx, a, c.Action, "draft", id(d.ID), c.Summary)
}

// execOne runs an update that must touch a row, else ErrNotFound.
func (s *Store) execOne(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errNotFound
	}
	return nil
}

func (s *Store) insertDraftEvent(ctx context.Context, tx *sql.Tx, draftID int64, e *model.DraftEvent) error {
	e.DraftID = draftID
	e.At = normTime(s.now())
	var start, end any
	if e.Start != nil && e.End != nil {
		start, end = *e.Start, *e.End
	}
	err := tx.QueryRowContext(ctx, s.q("draft-event-insert"), draftID, e.Version, e.Kind, e.Step, e.ActorID,
		e.ActorEmail, e.Comment, start, end, boolInt(e.Override), s.tv(e.At)).Scan(&e.ID)
	return mapErr(err)
}

// AddDraftEvent appends an event that changes nothing else (a comment),
// with its notifications and the audit event.
func (s *Store) AddDraftEvent(ctx context.Context, a model.Actor, e *model.DraftEvent, notify []model.Notification, action, summary string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertDraftEvent(ctx, tx, e.DraftID, e); err != nil {
			return err
		}
		for i := range notify {
			if err := s.insertNotification(ctx, tx, &notify[i]); err != nil {
				return err
			}
		}
		return s.appendEvent(ctx, tx, a, action, "draft", id(e.DraftID), summary)
	})
}

const draftCols = `d.id, d.account_id, d.author_id, d.text, d.platform, d.checklist, d.version, d.status, d.step,
	d.step_who, d.escalated, d.report, d.report_version, d.diff, d.created_at, d.updated_at, d.submitted_at,
	d.approved_at, d.approved_version, d.published_at, d.published_url`

func scanDraft(sc scanner, extra ...any) (*model.StoredDraft, error) {
	var d model.StoredDraft
	var checklist string
	var report, diff sql.NullString
	var escalated int
	dst := []any{&d.ID, &d.AccountID, &d.AuthorID, &d.Text, &d.Platform, &checklist, &d.Version, &d.Status,
		&d.Step, &d.StepWho, &escalated, &report, &d.ReportVersion, &diff, scanTime{&d.CreatedAt},
		scanTime{&d.UpdatedAt}, scanNullTime{&d.SubmittedAt}, scanNullTime{&d.ApprovedAt}, &d.ApprovedVersion,
		scanNullTime{&d.PublishedAt}, &d.PublishedURL}
	if err := sc.Scan(append(dst, extra...)...); err != nil {
		return nil, mapErr(err)
	}
	d.Escalated = escalated != 0
	if err := json.Unmarshal([]byte(checklist), &d.Checklist); err != nil {
		return nil, fmt.Errorf("store: draft %d checklist: %w", d.ID, err)
	}
	if report.Valid {
		d.Report = new(model.Report)
		if err := json.Unmarshal([]byte(report.String), d.Report); err != nil {
			return nil, fmt.Errorf("store: draft %d report: %w", d.ID, err)
		}
	}
	if diff.Valid {
		d.Diff = new(model.ReportDiff)
		if err := json.Unmarshal([]byte(diff.String), d.Diff); err != nil {
			return nil, fmt.Errorf("store: draft %d diff: %w", d.ID, err)
		}
	}
	return &d, nil
}

func (s *Store) drafts(ctx context.Context, q string, args ...any) ([]model.StoredDraft, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.StoredDraft
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// Draft returns a draft with its images, or ErrNotFound.
func (s *Store) Draft(ctx context.Context, draftID int64) (*model.StoredDraft, error) {
	d, err := scanDraft(s.r.QueryRowContext(ctx, s.q("draft-by-id"), draftID))
	if err != nil {
		return nil, err
	}
	if d.Images, err = s.DraftImages(ctx, draftID); err != nil {
		return nil, err
	}
	return d, nil
}

// DraftsByAuthor returns a user's drafts, newest first, after the draft
// whose IDKey is after ("" from the first), and how many there are in all.
func (s *Store) DraftsByAuthor(ctx context.Context, authorID int64, after string, limit, offset int) ([]model.StoredDraft, int, error) {
	afterID, err := s.afterID(after)
	if err != nil {
		return nil, 0, err
	}
	var n int
	if err := s.r.QueryRowContext(ctx, s.q("drafts-by-author-count"), authorID).Scan(&n); err != nil {
		return nil, 0, mapErr(err)
	}
	ds, err := s.drafts(ctx, s.q("drafts-by-author"), authorID, afterID, afterID, limit, max(offset, 0))
	return ds, n, err
}

// DraftsForRecheck returns up to limit drafts waiting for review (in-review
// or changes-requested) whose report was not made with pack ("id@version"),
// with ids above after, in id order.
func (s *Store) DraftsForRecheck(ctx context.Context, pack string, after int64, limit int) ([]model.StoredDraft, error) {
	return s.drafts(ctx, s.q("drafts-recheck"), pack, after, limit)
}

// DraftsAfter returns up to limit drafts with ids above after, in id order,
// without their images: a walk over every draft (training data export).
func (s *Store) DraftsAfter(ctx context.Context, after int64, limit int) ([]model.StoredDraft, error) {
	return s.drafts(ctx, s.q("drafts-after"), after, limit)
}

// DraftImages returns a draft's images in upload order.
func (s *Store) DraftImages(ctx context.Context, draftID int64) ([]model.DraftImage, error) {
	rows, err := s.r.QueryContext(ctx, s.q("draft-images"), draftID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.DraftImage
	for rows.Next() {
		var im model.DraftImage
		var findings string
		var consent sql.NullString
		var people int
		if err := rows.Scan(&im.ID, &im.DraftID, &im.Name, &im.Format, &im.Size, &findings, &people, &consent,
			&im.UploadedBy, scanTime{&im.UploadedAt}); err != nil {
			return nil, mapErr(err)
		}
		im.ShowsPeople = people != 0
		if err := json.Unmarshal([]byte(findings), &im.Findings); err != nil {
			return nil, fmt.Errorf("store: image %s findings: %w", im.ID, err)
		}
		if consent.Valid {
			im.Consent = new(model.Consent)
			if err := json.Unmarshal([]byte(consent.String), im.Consent); err != nil {
				return nil, fmt.Errorf("store: image %s consent: %w", im.ID, err)
			}
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// DraftEvents returns a draft's timeline, oldest first.
func (s *Store) DraftEvents(ctx context.Context, draftID int64) ([]model.DraftEvent, error) {
	rows, err := s.r.QueryContext(ctx, s.q("draft-events"), draftID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.DraftEvent
	for rows.Next() {
		var e model.DraftEvent
		var start, end sql.NullInt64
		var override int
		if err := rows.Scan(&e.ID, &e.DraftID, &e.Version, &e.Kind, &e.Step, &e.ActorID, &e.ActorEmail,
			&e.Comment, &start, &end, &override, scanTime{&e.At}); err != nil {
			return nil, mapErr(err)
		}
		if start.Valid && end.Valid {
			a, b := int(start.Int64), int(end.Int64)
			e.Start, e.End = &a, &b
		}
		e.Override = override != 0
		out = append(out, e)
	}
	return out, rows.Err()
}

// DraftVersion is the text of one version of a draft.
type DraftVersion struct {
	Version int
	Text    string
}

// DraftVersions returns the kept texts of a draft's versions, oldest first
// (drafts older than the table have only the version they had then onward).
func (s *Store) DraftVersions(ctx context.Context, draftID int64) ([]DraftVersion, error) {
	rows, err := s.r.QueryContext(ctx, s.q("draft-versions"), draftID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []DraftVersion
	for rows.Next() {
		var v DraftVersion
		if err := rows.Scan(&v.Version, &v.Text); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// QueueQuery selects drafts in review for the reviewer queue.
type QueueQuery struct {
	ExcludeAuthor int64    // the viewer's own drafts, and those they edited, are not theirs to decide
	StepWho       []string // any of these step kinds...
	LeadOffices   []string // ...or office-lead steps of these offices; both empty = every draft in review
	AccountID     int64
	Office        string
	Clause        string
	Limit, Offset int
	After         string // the QueueKey of the row to list after
}

// queueKeyset is the queue's order: oldest submission first.
var queueKeyset = newKeyset(false, "d.submitted_at:time", "d.id")

// QueueKey is a queue row's key, for QueueQuery.After.
func QueueKey(d model.StoredDraft) string {
	var at time.Time
	if d.SubmittedAt != nil {
		at = *d.SubmittedAt
	}
	return queueKeyset.key(at, d.ID)
}

// QueueRow is a draft in the queue with its account's labels.
type QueueRow struct {
	Draft                model.StoredDraft
	Handle, Office, Kind string
	Errors, Warnings     int
}

// DraftQueue returns drafts in review matching q, oldest submission first,
// and how many match.
func (s *Store) DraftQueue(ctx context.Context, q QueueQuery) ([]QueueRow, int, error) {
	var where strings.Builder
	args := []any{model.DraftInReview}
	where.WriteString("d.status = ?")
	if q.ExcludeAuthor != 0 {
		where.WriteString(" AND d.author_id <> ? AND NOT EXISTS (SELECT 1 FROM draft_events e" +
			" WHERE e.draft_id = d.id AND e.actor_id = ? AND e.kind IN (?, ?))")
		args = append(args, q.ExcludeAuthor, q.ExcludeAuthor, model.DraftEventEdit, model.DraftEventImage)
	}
	if len(q.StepWho) > 0 || len(q.LeadOffices) > 0 {
		var or []string
		for _, w := range q.StepWho {
			or = append(or, "d.step_who = ?")
			args = append(args, w)
		}
		if len(q.LeadOffices) > 0 {
			or = append(or, "(d.step_who = ? AND d.office IN (?"+strings.Repeat(", ?", len(q.LeadOffices)-1)+"))")
			args = append(args, model.ReviewerOfficeLead)
			for _, o := range q.LeadOffices {
				args = append(args, o)
			}
		}
		where.WriteString(" AND (" + strings.Join(or, " OR ") + ")")
	}
	if q.AccountID != 0 {
		where.WriteString(" AND d.account_id = ?")
		args = append(args, q.AccountID)
	}
	if q.Office != "" {
		where.WriteString(" AND d.office = ?")
		args = append(args, q.Office)
	}
	if q.Clause != "" {
		where.WriteString(" AND EXISTS (SELECT 1 FROM draft_clauses c WHERE c.clause = ? AND c.draft_id = d.id)")
		args = append(args, q.Clause)
	}
	count := "SELECT count(*) FROM drafts d WHERE " + where.String()
	after, afterArgs, err := s.after(queueKeyset, Page{After: q.After})
	if err != nil {
		return nil, 0, err
	}
	if after != "" {
		after = " AND " + after
	}
	page := "SELECT " + draftCols + ", a.handle, a.office, a.kind, d.errors, d.warnings FROM drafts d JOIN accounts a ON a.id = d.account_id WHERE " +
		where.String() + after + " ORDER BY " + queueKeyset.orderBy() + " LIMIT ? OFFSET ?"
	count, page = s.bind(count), s.bind(page)
	var total int
	if err := s.r.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	pageArgs := append(append(slices.Clone(args), afterArgs...), q.Limit, max(q.Offset, 0))
	rows, err := s.r.QueryContext(ctx, page, pageArgs...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []QueueRow
	for rows.Next() {
		var r QueueRow
		d, err := scanDraft(rows, &r.Handle, &r.Office, &r.Kind, &r.Errors, &r.Warnings)
		if err != nil {
			return nil, 0, err
		}
		r.Draft = *d
		out = append(out, r)
	}
	return out, total, rows.Err()
}
