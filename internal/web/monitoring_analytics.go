package web

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
)

// analyticsView is the analytics import of one account: the upload form,
// the preview of every post and the file's problems, and the result.
type analyticsView struct {
	Account  model.Account
	Preview  *connector.AnalyticsPreview
	CSV      string // carried from the preview to the commit
	Done     bool
	Imported int
	Error    string
}

// analyticsFormats name the exports the page accepts, by catalog key.
var analyticsFormats = map[string]string{
	"x-tweet-activity": "analytics.format.x_tweet_activity",
	"x-post-analytics": "analytics.format.x_post_analytics",
	"meta-posts":       "analytics.format.meta_posts",
}

// FormatName is the catalog key of the preview's format as people know it.
func (v analyticsView) FormatName() string {
	if n, ok := analyticsFormats[v.Preview.Format]; ok {
		return n
	}
	return v.Preview.Format
}

// analyticsAccount loads the account of the path and refuses a user who
// may not import for it (a manager of another account).
func (s *Server) analyticsAccount(r *http.Request) (*model.Account, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.monitor.AnalyticsAccount(r.Context(), state(r).user, id)
}

func (s *Server) renderAnalytics(w http.ResponseWriter, r *http.Request, status int, v analyticsView) {
	s.render(w, r, status, "analytics", page{Title: tr(r, "title.analytics", v.Account.Handle), Active: "/accounts", Data: v})
}

func (s *Server) analyticsPage(w http.ResponseWriter, r *http.Request) {
	acc, err := s.analyticsAccount(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderAnalytics(w, r, http.StatusOK, analyticsView{Account: *acc})
}

// parseAnalytics reads the uploaded file into a preview for acc; a file
// of another platform is refused as a whole.
func parseAnalytics(r *http.Request, acc *model.Account) (*connector.AnalyticsPreview, []byte, error) {
	data, err := uploadedCSV(r, "file")
	if err != nil {
		return nil, nil, err
	}
	p, err := connector.ImportAnalytics(bytes.NewReader(data))
	if errs.Is(err, errs.Invalid) {
		return nil, nil, err // what is wrong with the file, in the catalogs
	} else if err != nil {
		return nil, nil, errorf(errs.Invalid, "analytics_unreadable", "%v", err)
	}
	if p.Platform != acc.Platform {
		return nil, nil, errorf(errs.Invalid, "this_file_is_a", "this file is a %s export of %s posts, but %s is on %s",
			tr(r, analyticsFormats[p.Format]), p.Platform, acc.Handle, acc.Platform)
	}
	if err := ownPosts(acc, p.Posts); err != nil {
		return nil, nil, err
	}
	return p, data, nil
}

// ownPosts refuses a file whose posts' addresses name another account:
// another account's export would be counted as this one's activity (4.6).
// Facebook exports name pages by number, not handle, and are not checked.
func ownPosts(acc *model.Account, posts []model.Post) error {
	if acc.Platform == "facebook" {
		return nil
	}
	key, err := registry.NormalizeHandle(acc.Platform, acc.Handle)
	if err != nil {
		return nil
	}
	for _, post := range posts {
		if post.URL == "" {
			continue
		}
		var e *errs.Error
		if errors.As(registry.CheckPostURL(acc.Platform, key, post.URL), &e) && e.Key == "draft.post_url_other_account" && len(e.Args) == 3 {
			return errorf(errs.Invalid, "analytics_other_account", "this file holds posts of %s (%s), not of %s: import each account's own export",
				e.Args[1], post.URL, acc.Handle)
		}
	}
	return nil
}

// analyticsUpload reads the path's account and the uploaded file of a
// preview or a commit; when it cannot, it answers itself and returns nil.
func (s *Server) analyticsUpload(w http.ResponseWriter, r *http.Request) (*model.Account, *connector.AnalyticsPreview, []byte) {
	acc, err := s.analyticsAccount(r)
	if err != nil {
		s.pageError(w, r, err)
		return nil, nil, nil
	}
	p, data, err := parseAnalytics(r, acc)
	if err != nil {
		s.analyticsFailed(w, r, *acc, err)
		return nil, nil, nil
	}
	return acc, p, data
}

func (s *Server) analyticsPreview(w http.ResponseWriter, r *http.Request) {
	if acc, p, data := s.analyticsUpload(w, r); acc != nil {
		s.renderAnalytics(w, r, http.StatusOK, analyticsView{Account: *acc, Preview: p, CSV: string(data)})
	}
}

// analyticsCommit parses the file again (the preview wrote nothing) and
// writes every post or none.
func (s *Server) analyticsCommit(w http.ResponseWriter, r *http.Request) {
	acc, p, data := s.analyticsUpload(w, r)
	if acc == nil {
		return
	}
	if len(p.Problems) > 0 {
		v := analyticsView{Account: *acc, Preview: p, CSV: string(data), Error: tr(r, "import.has_problems")}
		s.renderAnalytics(w, r, http.StatusBadRequest, v)
		return
	}
	n, err := s.monitor.ImportAnalytics(r.Context(), actor(r), acc.ID, p.Posts)
	if err != nil {
		s.analyticsFailed(w, r, *acc, err)
		return
	}
	s.renderAnalytics(w, r, http.StatusOK, analyticsView{Account: *acc, Done: true, Imported: n})
}

// analyticsFailed shows the upload form again with what went wrong.
func (s *Server) analyticsFailed(w http.ResponseWriter, r *http.Request, acc model.Account, err error) {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal {
		s.fail(w, r, err)
		return
	}
	s.renderAnalytics(w, r, ae.status, analyticsView{Account: acc, Error: ae.Message})
}

// apiAnalyticsPreview reads an analytics export (multipart field "file",
// or "csv" text) for one account and answers what it would import, with
// the file's problems; nothing is stored.
func (s *Server) apiAnalyticsPreview(w http.ResponseWriter, r *http.Request) {
	if _, p, err := s.apiAnalyticsUpload(r); err != nil {
		s.writeAPIError(w, r, err)
	} else {
		writeJSON(w, http.StatusOK, toAPIAnalytics(p))
	}
}

// apiAnalyticsCommit imports every post of the file, or none when it has
// problems (answered as in the preview, with status 400).
func (s *Server) apiAnalyticsCommit(w http.ResponseWriter, r *http.Request) {
	acc, p, err := s.apiAnalyticsUpload(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	if len(p.Problems) > 0 {
		out := toAPIAnalytics(p)
		ae := toAPIError(state(r).lang, errorf(errs.Invalid, "file_not_imported", "nothing was imported: the file has problems"))
		writeJSON(w, ae.status, map[string]any{"error": ae, "problems": out.Problems})
		return
	}
	n, err := s.monitor.ImportAnalytics(r.Context(), actor(r), acc.ID, p.Posts)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"imported": n})
}

func (s *Server) apiAnalyticsUpload(r *http.Request) (*model.Account, *connector.AnalyticsPreview, error) {
	acc, err := s.analyticsAccount(r)
	if err != nil {
		return nil, nil, err
	}
	p, _, err := parseAnalytics(r, acc)
	return acc, p, err
}

type apiAnalyticsPost struct {
	ExternalID string    `json:"external_id"`
	URL        string    `json:"url"`
	Text       string    `json:"text"`
	PostedAt   time.Time `json:"posted_at"`
	Replies    *int64    `json:"replies"`
	Reposts    *int64    `json:"reposts"`
	Likes      *int64    `json:"likes"`
	Views      *int64    `json:"views"`
}

type apiAnalyticsProblem struct {
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

type apiAnalytics struct {
	Format   string                `json:"format"`
	Platform string                `json:"platform"`
	Posts    []apiAnalyticsPost    `json:"posts"`
	Problems []apiAnalyticsProblem `json:"problems"`
}

func toAPIAnalytics(p *connector.AnalyticsPreview) apiAnalytics {
	out := apiAnalytics{Format: p.Format, Platform: p.Platform, Posts: []apiAnalyticsPost{}, Problems: []apiAnalyticsProblem{}}
	for _, po := range p.Posts {
		out.Posts = append(out.Posts, apiAnalyticsPost{ExternalID: po.ExternalID, URL: po.URL, Text: po.Text,
			PostedAt: po.PostedAt.UTC(), Replies: po.Replies, Reposts: po.Reposts, Likes: po.Likes, Views: po.Views})
	}
	for _, pr := range p.Problems {
		out.Problems = append(out.Problems, apiAnalyticsProblem{Line: pr.Line, Column: pr.Column, Message: pr.Message})
	}
	return out
}
