package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
)

// adviceView is the advice page: the question form, the list, and for
// admins and auditors the statistics.
type adviceView struct {
	Questions          []model.AdviceQuestion
	Total              int
	Pager              pager
	Unanswered         bool
	CanAsk             bool
	Stats              *review.AdviceStats
	Median             string
	Platforms          []string
	Text, Question     string
	Kind, Platform     string
	Error              string
	StatsSinceDays     int
	ReviewerSeesAll    bool
	AnsweredPercentage int
}

const advicePerPage = 50

// statsDays is the window of the admin's advice statistics.
const statsDays = 90

func (s *Server) advicePage(w http.ResponseWriter, r *http.Request) {
	s.showAdvice(w, r, http.StatusOK, &adviceView{Kind: model.AdvicePersonal})
}

func (s *Server) showAdvice(w http.ResponseWriter, r *http.Request, status int, v *adviceView) {
	u := state(r).user
	q := r.URL.Query()
	pg := pageParam(q)
	v.Unanswered = q.Get("unanswered") != ""
	v.CanAsk = auth.Allowed(u.Role, auth.AdviceAsk) && u.Role != model.RoleAuditor
	v.ReviewerSeesAll = u.Role == model.RoleAdmin || u.Role == model.RoleReviewer || u.Role == model.RoleAuditor
	v.Platforms = s.platforms()
	qs, total, err := s.review.AdviceList(r.Context(), u, review.AdviceFilter{Unanswered: v.Unanswered, Limit: advicePerPage, Offset: (pg - 1) * advicePerPage})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Questions, v.Total = qs, total
	v.Pager = newPager("/advice", q, pg, advicePerPage, total)
	if u.Role == model.RoleAdmin || u.Role == model.RoleAuditor {
		st, err := s.review.AdviceStats(r.Context(), u, s.cfg.Now().AddDate(0, 0, -statsDays))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Stats, v.StatsSinceDays = &st, statsDays
		if st.Answered > 0 {
			v.Median = st.MedianFirstAnswer.Round(time.Minute).String()
		}
		if st.Count > 0 {
			v.AnsweredPercentage = st.Answered * 100 / st.Count
		}
	}
	s.render(w, r, status, "advice", page{Title: tr(r, "title.advice"), Active: "/advice", Data: v})
}

func (s *Server) adviceAsk(w http.ResponseWriter, r *http.Request) {
	in := review.AdviceInput{Text: r.PostFormValue("text"), Question: strings.TrimSpace(r.PostFormValue("question")),
		Kind: r.PostFormValue("kind"), Platform: r.PostFormValue("platform")}
	q, err := s.review.Ask(r.Context(), actor(r), state(r).user, in)
	if err != nil {
		ae := toAPIError(state(r).lang, err)
		if ae.kind == errs.Internal {
			s.fail(w, r, err)
			return
		}
		s.showAdvice(w, r, ae.status, &adviceView{Text: in.Text, Question: in.Question, Kind: in.Kind, Platform: in.Platform, Error: ae.Message})
		return
	}
	http.Redirect(w, r, "/advice/"+strconv.FormatInt(q.ID, 10)+"?sent=1", http.StatusSeeOther)
}

// adviceThreadView is one question with its answers.
type adviceThreadView struct {
	*model.AdviceQuestion
	Sent, CanAnswer bool
	Body, Error     string
}

func (s *Server) adviceThread(w http.ResponseWriter, r *http.Request) {
	s.showThread(w, r, http.StatusOK, "", "")
}

func (s *Server) showThread(w http.ResponseWriter, r *http.Request, status int, body, msg string) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	u := state(r).user
	q, err := s.review.Advice(r.Context(), u, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := &adviceThreadView{AdviceQuestion: q, Sent: r.URL.Query().Get("sent") != "", Body: body, Error: msg,
		CanAnswer: u.Role == model.RoleAdmin || u.Role == model.RoleReviewer || q.AskerID == u.ID}
	s.render(w, r, status, "advice_thread", page{Title: tr(r, "title.advice_thread"), Active: "/advice", Data: v})
}

func (s *Server) adviceAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	body := strings.TrimSpace(r.PostFormValue("body"))
	if _, err := s.review.Answer(r.Context(), actor(r), state(r).user, id, body); err != nil {
		ae := toAPIError(state(r).lang, err)
		if ae.kind == errs.Internal || ae.kind == errs.NotFound {
			s.pageError(w, r, err)
			return
		}
		s.showThread(w, r, ae.status, body, ae.Message)
		return
	}
	http.Redirect(w, r, "/advice/"+strconv.FormatInt(id, 10)+"#answers", http.StatusSeeOther)
}

func (s *Server) apiAdvice(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text     string `json:"text"`
		Question string `json:"question"`
		Kind     string `json:"kind"`
		Platform string `json:"platform"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	q, err := s.review.Ask(r.Context(), actor(r), state(r).user, review.AdviceInput{Text: in.Text,
		Question: strings.TrimSpace(in.Question), Kind: in.Kind, Platform: in.Platform})
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": q.ID, "kind": q.Kind, "text": q.Text, "question": q.Question,
		"platform": q.Platform, "created_at": q.CreatedAt, "answers": []any{}})
}

// apiAdviceQuestion is an advice thread as the API answers it.
type apiAdviceQuestion struct {
	ID            int64             `json:"id"`
	Asker         string            `json:"asker"`
	Kind          string            `json:"kind"`
	Platform      string            `json:"platform"`
	Text          string            `json:"text"`
	Question      string            `json:"question"`
	CreatedAt     time.Time         `json:"created_at"`
	FirstAnswerAt *time.Time        `json:"first_answer_at"`
	Answers       []apiAdviceAnswer `json:"answers"`
}

type apiAdviceAnswer struct {
	ID     int64     `json:"id"`
	Author string    `json:"author"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
}

func toAPIAnswer(a model.AdviceAnswer) apiAdviceAnswer {
	return apiAdviceAnswer{ID: a.ID, Author: a.AuthorEmail, Body: a.Body, At: a.At.UTC()}
}

func toAPIAdvice(q *model.AdviceQuestion) apiAdviceQuestion {
	out := apiAdviceQuestion{ID: q.ID, Asker: q.AskerEmail, Kind: q.Kind, Platform: q.Platform, Text: q.Text,
		Question: q.Question, CreatedAt: q.CreatedAt.UTC(), FirstAnswerAt: utcPtr(q.FirstAnswerAt), Answers: []apiAdviceAnswer{}}
	for _, a := range q.Answers {
		out.Answers = append(out.Answers, toAPIAnswer(a))
	}
	return out
}

// apiAdviceThread is one question with its answers (staff: only their own).
func (s *Server) apiAdviceThread(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	q, err := s.review.Advice(r.Context(), state(r).user, id)
	entityResult(s, w, r, q, err, toAPIAdvice)
}

// apiAdviceAnswer adds an answer, or the asker's follow-up, to a thread.
func (s *Server) apiAdviceAnswer(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	a, err := s.review.Answer(r.Context(), actor(r), state(r).user, id, strings.TrimSpace(in.Body))
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIAnswer(*a))
}

// apiAdviceList lists the questions the caller may read, newest first
// (staff and managers: their own), unanswered ones only with ?unanswered=1.
func (s *Server) apiAdviceList(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	qs, _, err := s.review.AdviceList(r.Context(), state(r).user, review.AdviceFilter{
		Unanswered: r.URL.Query().Get("unanswered") != "", Limit: lr.Limit + 1, After: lr.After})
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, qs, toAPIAdvice, func(i int) string { return store.IDKey(qs[i].ID) })
}
