package review

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
)

// Ask sends a draft text and a question to the Communications Group (3.4(r)).
// Any signed-in user but an auditor may ask; nothing is published from here.
func (s *Service) Ask(ctx context.Context, a model.Actor, u *model.User, in AdviceInput) (*model.AdviceQuestion, error) {
	if u == nil || u.Role == model.RoleAuditor {
		return nil, errs.Errorf(errs.Forbidden, "advice.auditor", "auditors only read advice")
	}
	in.Question = strings.TrimSpace(in.Question)
	if in.Question == "" || tooLong(in.Question) || tooLong(in.Text) {
		return nil, invalid("advice.question", "a question is required (at most %d characters, and the text too)", maxTextChars)
	}
	switch in.Kind {
	case "":
		in.Kind = model.AdvicePersonal
	case model.AdvicePersonal, model.AdviceInstitutional:
	default:
		return nil, invalid("advice.kind", "kind must be personal or institutional, not %q", in.Kind)
	}
	q := &model.AdviceQuestion{AskerID: u.ID, AskerEmail: u.Email, Kind: in.Kind,
		Platform: strings.ToLower(strings.TrimSpace(in.Platform)), Text: in.Text, Question: in.Question, CreatedAt: s.now()}
	group, err := notify.CommunicationsGroup(ctx, s.Store, u.ID)
	if err != nil {
		return nil, err
	}
	notes := notify.Notes(group, notify.KindAdvice, "/advice/{id}", "", "advice.new", u.Email)
	if err := s.Store.AddAdvice(ctx, a, q, notes...); err != nil {
		return nil, err
	}
	s.wake()
	return q, nil
}

// Answer adds to a thread: reviewers and admins answer, the asker follows
// up. The asker is notified of every answer by someone else, and those who
// answered of the asker's follow-ups.
func (s *Service) Answer(ctx context.Context, a model.Actor, u *model.User, qid int64, body string) (*model.AdviceAnswer, error) {
	q, err := s.Advice(ctx, u, qid)
	if err != nil {
		return nil, err
	}
	if !isReviewer(u) && u.ID != q.AskerID {
		return nil, errs.Errorf(errs.Forbidden, "advice.reviewers_answer", "only reviewers and admins answer advice")
	}
	body = strings.TrimSpace(body)
	if body == "" || tooLong(body) {
		return nil, invalid("advice.answer", "an answer needs text (at most %d characters)", maxTextChars)
	}
	ans := &model.AdviceAnswer{QuestionID: qid, AuthorID: u.ID, AuthorEmail: u.Email, Body: body, At: s.now()}
	var notes []model.Notification
	link := fmt.Sprintf("/advice/%d", qid)
	first := u.ID != q.AskerID
	if first {
		asker, err := s.Store.User(ctx, q.AskerID)
		if err != nil {
			return nil, err
		}
		notes = append(notes, notify.Note(*asker, notify.KindAdvice, link, u.Email+":\n\n"+body, "advice.answered"))
	} else {
		// The asker follows up: those who answered are told, or the
		// thread, already answered, would wait unseen.
		told := map[int64]bool{q.AskerID: true}
		for _, prev := range q.Answers {
			if told[prev.AuthorID] {
				continue
			}
			told[prev.AuthorID] = true
			who, err := s.Store.User(ctx, prev.AuthorID)
			if errs.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if who.DisabledAt == nil && isReviewer(who) {
				notes = append(notes, notify.Note(*who, notify.KindAdvice, link, u.Email+":\n\n"+body, "advice.follow-up", u.Email))
			}
		}
	}
	if err := s.Store.AddAdviceAnswer(ctx, a, ans, first, notes); err != nil {
		return nil, err
	}
	s.wake()
	return ans, nil
}

// mayReadAdvice: the asker, reviewers, admins and auditors.
func mayReadAdvice(u *model.User, q *model.AdviceQuestion) bool {
	return u != nil && (isReviewer(u) || u.Role == model.RoleAuditor || u.ID == q.AskerID)
}

// Advice returns a thread to a user who may read it; others get ErrNotFound.
func (s *Service) Advice(ctx context.Context, u *model.User, qid int64) (*model.AdviceQuestion, error) {
	q, err := s.Store.Advice(ctx, qid)
	if err != nil {
		return nil, err
	}
	if !mayReadAdvice(u, q) {
		return nil, errs.Errorf(errs.NotFound, "not_found", "not found")
	}
	return q, nil
}

// AdviceList lists questions, newest first: everyone's for reviewers,
// admins and auditors (unless Mine), only their own for anyone else.
func (s *Service) AdviceList(ctx context.Context, u *model.User, f AdviceFilter) ([]model.AdviceQuestion, int, error) {
	asker := u.ID
	if !f.Mine && (isReviewer(u) || u.Role == model.RoleAuditor) {
		asker = 0
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	return s.Store.AdviceQuestions(ctx, asker, f.Unanswered, f.After, min(f.Limit, 500), f.Offset)
}

// AdviceStats counts questions asked since a time, how many were answered
// and the median wait for a first answer (admins and auditors).
func (s *Service) AdviceStats(ctx context.Context, u *model.User, since time.Time) (AdviceStats, error) {
	if u == nil || (u.Role != model.RoleAdmin && u.Role != model.RoleAuditor) {
		return AdviceStats{}, errs.Errorf(errs.Forbidden, "advice.stats_admins", "only admins see advice statistics")
	}
	waits, err := s.Store.AdviceTimes(ctx, since)
	if err != nil {
		return AdviceStats{}, err
	}
	st := AdviceStats{Count: len(waits)}
	var answered []time.Duration
	for _, w := range waits {
		if w >= 0 {
			answered = append(answered, w)
		}
	}
	st.Answered = len(answered)
	if n := len(answered); n > 0 {
		slices.Sort(answered)
		st.MedianFirstAnswer = answered[n/2]
		if n%2 == 0 {
			st.MedianFirstAnswer = (answered[n/2-1] + answered[n/2]) / 2
		}
	}
	return st, nil
}
