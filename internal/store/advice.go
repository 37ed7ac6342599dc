package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// AddAdvice stores a question (ID is set; a zero CreatedAt is now).
// Audited as "advice.ask"; notes go in the same transaction, "{id}" in
// their links replaced by the question's ID.
func (s *Store) AddAdvice(ctx context.Context, a model.Actor, q *model.AdviceQuestion, notes ...model.Notification) error {
	q.CreatedAt = s.orNow(q.CreatedAt)
	return s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q("advice-insert"), q.AskerID, q.AskerEmail, q.Kind, q.Platform, q.Text,
			q.Question, s.tv(q.CreatedAt)).Scan(&q.ID)
		if err != nil {
			return mapErr(err)
		}
		if err := s.adviceWebhook(ctx, tx, a, model.EventAdviceAsked, q.ID, q.Kind, q.Platform); err != nil {
			return err
		}
		if err := s.insertNotifications(ctx, tx, withID(notes, q.ID)); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "advice.ask", "advice", id(q.ID), "asked for advice")
	})
}

// AddAdviceAnswer appends an answer to a thread; when first is set it also
// records the question's first answer time (once). The notifications go in
// the same transaction; a zero At is now. Audited as "advice.answer".
func (s *Store) AddAdviceAnswer(ctx context.Context, a model.Actor, ans *model.AdviceAnswer, first bool, notify []model.Notification) error {
	ans.At = s.orNow(ans.At)
	return s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q("advice-answer-insert"), ans.QuestionID, ans.AuthorID, ans.AuthorEmail,
			ans.Body, s.tv(ans.At)).Scan(&ans.ID)
		if err != nil {
			return mapErr(err)
		}
		if first {
			if _, err := tx.ExecContext(ctx, s.q("advice-first-answer"), s.tv(ans.At), ans.QuestionID); err != nil {
				return mapErr(err)
			}
		}
		for i := range notify {
			if err := s.insertNotification(ctx, tx, &notify[i]); err != nil {
				return err
			}
		}
		if err := s.adviceWebhook(ctx, tx, a, model.EventAdviceAnswered, ans.QuestionID, "", ""); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "advice.answer", "advice", id(ans.QuestionID), "answered advice")
	})
}

func scanAdvice(sc scanner) (*model.AdviceQuestion, error) {
	var q model.AdviceQuestion
	err := sc.Scan(&q.ID, &q.AskerID, &q.AskerEmail, &q.Kind, &q.Platform, &q.Text, &q.Question,
		scanTime{&q.CreatedAt}, scanNullTime{&q.FirstAnswerAt})
	if err != nil {
		return nil, mapErr(err)
	}
	return &q, nil
}

// Advice returns a question with its answers, or ErrNotFound.
func (s *Store) Advice(ctx context.Context, qid int64) (*model.AdviceQuestion, error) {
	q, err := scanAdvice(s.r.QueryRowContext(ctx, s.q("advice-by-id"), qid))
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, s.q("advice-answers"), qid)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ans model.AdviceAnswer
		if err := rows.Scan(&ans.ID, &ans.QuestionID, &ans.AuthorID, &ans.AuthorEmail, &ans.Body, scanTime{&ans.At}); err != nil {
			return nil, mapErr(err)
		}
		q.Answers = append(q.Answers, ans)
	}
	return q, rows.Err()
}

// AdviceQuestions returns questions newest first (askerID 0 = everyone's;
// unanswered = without a first answer) and how many match. Answers are not loaded.
func (s *Store) AdviceQuestions(ctx context.Context, askerID int64, unanswered bool, after string, limit, offset int) ([]model.AdviceQuestion, int, error) {
	afterID, err := s.afterID(after)
	if err != nil {
		return nil, 0, err
	}
	where, args := "1 = 1", []any{}
	if askerID != 0 {
		where += " AND asker_id = ?"
		args = append(args, askerID)
	}
	if unanswered {
		where += " AND first_answer_at IS NULL"
	}
	count := "SELECT count(*) FROM advice_questions WHERE " + where
	page := `SELECT id, asker_id, asker_email, kind, platform, text, question, created_at, first_answer_at
FROM advice_questions WHERE ` + where + " AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ? OFFSET ?"
	count, page = s.bind(count), s.bind(page)
	var n int
	if err := s.r.QueryRowContext(ctx, count, args...).Scan(&n); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := s.r.QueryContext(ctx, page, append(args, afterID, afterID, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []model.AdviceQuestion
	for rows.Next() {
		q, err := scanAdvice(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *q)
	}
	return out, n, rows.Err()
}

// AdviceTimes returns, for each question asked since, how long it waited
// for its first answer (negative: not answered yet).
func (s *Store) AdviceTimes(ctx context.Context, since time.Time) ([]time.Duration, error) {
	rows, err := s.r.QueryContext(ctx, s.q("advice-since"), s.tv(since))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []time.Duration
	for rows.Next() {
		var asked time.Time
		var first *time.Time
		if err := rows.Scan(scanTime{&asked}, scanNullTime{&first}); err != nil {
			return nil, fmt.Errorf("store: advice times: %w", err)
		}
		d := time.Duration(-1)
		if first != nil {
			d = first.Sub(asked)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// orNow is t, or now when t is zero, in the stored form. The service's
// clock decides the advice times, so answer delays are measured on one clock.
func (s *Store) orNow(t time.Time) time.Time {
	if t.IsZero() {
		t = s.now()
	}
	return normTime(t)
}
