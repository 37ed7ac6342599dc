package review

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/store"
)

// keySLA + account kind → JSON hours a review step may wait before its
// reviewers are reminded and the Communications Group is told.
const keySLA = "sla_hours:"

// defaultSLA: a corporate statement is reviewed within a working day; an
// office or project one within two, its lead being often in the field.
var defaultSLA = map[string]int{model.KindCorporate: 24, model.KindCountryOffice: 48, model.KindProject: 48}

// ServiceLevels returns the hours a review step may wait, per account kind.
func (s *Service) ServiceLevels(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for k, v := range defaultSLA {
		out[k] = v
	}
	stored, err := s.Store.ReviewSettings(ctx, keySLA)
	if err != nil {
		return nil, err
	}
	for k, v := range stored {
		var h int
		if err := json.Unmarshal([]byte(v), &h); err != nil {
			return nil, errs.Wrap(errs.Internal, "review.setting", "a review setting cannot be read", err)
		}
		out[strings.TrimPrefix(k, keySLA)] = h
	}
	return out, nil
}

// SetServiceLevel stores the hours a review step of kind may wait (admin).
func (s *Service) SetServiceLevel(ctx context.Context, a model.Actor, u *model.User, kind string, hours int) error {
	return s.UpdateSettings(ctx, a, u, SettingsPatch{ServiceLevels: map[string]int{kind: hours}})
}

func checkSLA(kind string, hours int) error {
	if _, ok := defaultSLA[kind]; !ok {
		return invalid("review.unknown_kind", "unknown account kind %q", kind)
	}
	if hours < 1 || hours > 24*30 {
		return invalid("review.sla_range", "the service level is between 1 and %d hours", 24*30)
	}
	return nil
}

// stepReviewers are the people who decide d's current step, but its
// author: the office's leads, or the Communications Group.
func (s *Service) stepReviewers(ctx context.Context, d *model.StoredDraft, acc *model.Account) ([]model.User, error) {
	if d.StepWho != model.ReviewerOfficeLead {
		return notify.CommunicationsGroup(ctx, s.Store, d.AuthorID)
	}
	emails, err := s.officeLeads(ctx, acc.Office)
	if err != nil {
		return nil, err
	}
	var out []model.User
	for _, e := range emails {
		u, err := s.Store.UserByEmail(ctx, e)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.DisabledAt == nil && u.ID != d.AuthorID {
			u.PasswordHash = ""
			out = append(out, *u)
		}
	}
	return out, nil
}

// waitingNotes tell d's step reviewers that it waits for them.
func (s *Service) waitingNotes(ctx context.Context, d *model.StoredDraft, acc *model.Account) ([]model.Notification, error) {
	users, err := s.stepReviewers(ctx, d, acc)
	if err != nil {
		return nil, err
	}
	return notify.Notes(users, notify.KindReview, fmt.Sprintf("/drafts/%d", d.ID), "",
		"review.waiting", acc.Handle, acc.Platform, strconv.Itoa(d.Step)), nil
}

// RemindOverdue reminds the reviewers of every review step that has waited
// longer than its service level, and tells the Communications Group (the
// escalation), once per step; safe with several instances. It returns how
// many steps it reminded of.
func (s *Service) RemindOverdue(ctx context.Context) (int, error) {
	sla, err := s.ServiceLevels(ctx)
	if err != nil {
		return 0, err
	}
	waiting, err := s.Store.ReviewWaiting(ctx)
	if err != nil {
		return 0, err
	}
	now, sent := s.now(), 0
	for _, w := range waiting {
		hours, ok := sla[w.Kind]
		waited := now.Sub(w.Since)
		if !ok || waited < time.Duration(hours)*time.Hour {
			continue
		}
		notes, err := s.overdueNotes(ctx, w, int(waited.Hours()), hours)
		if err != nil {
			return sent, err
		}
		ok, err = s.Store.RemindReview(ctx, w, notes)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	if sent > 0 {
		s.wake()
	}
	return sent, nil
}

func (s *Service) overdueNotes(ctx context.Context, w store.WaitingStep, waited, hours int) ([]model.Notification, error) {
	d := &model.StoredDraft{ID: w.DraftID, AuthorID: w.AuthorID, Step: w.Step, StepWho: w.StepWho}
	acc := &model.Account{ID: w.AccountID, Office: w.Office}
	reviewers, err := s.stepReviewers(ctx, d, acc)
	if err != nil {
		return nil, err
	}
	group, err := notify.CommunicationsGroup(ctx, s.Store, w.AuthorID)
	if err != nil {
		return nil, err
	}
	link := fmt.Sprintf("/drafts/%d", w.DraftID)
	args := []string{w.Handle, w.Platform, strconv.Itoa(waited), strconv.Itoa(w.Step), strconv.Itoa(hours)}
	notes := notify.Notes(reviewers, notify.KindReview, link, "", "review.reminder", args...)
	told := map[int64]bool{}
	for _, u := range reviewers {
		told[u.ID] = true
	}
	for _, u := range group {
		if !told[u.ID] {
			notes = append(notes, notify.Note(u, notify.KindReview, link, "", "review.escalation", args...))
		}
	}
	return notes, nil
}

// RunReminders runs RemindOverdue at once and then every interval until
// ctx ends; log may be nil.
func (s *Service) RunReminders(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RemindOverdue(ctx); err != nil && ctx.Err() == nil {
			log.Warn("review: reminder pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
