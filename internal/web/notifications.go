package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/store"
)

// unreadCount is the number on the header's bell. A failure only hides the
// number: it must never stop a page.
func (s *Server) unreadCount(r *http.Request, u *model.User) int {
	ns, err := s.inbox.Unread(r.Context(), u.ID)
	if err != nil {
		s.log.WarnContext(r.Context(), "unread notifications", "request_id", requestID(r), "err", err)
		return 0
	}
	return len(ns)
}

// noteView is a notification as a person reads it: its keyed message, and
// what the body adds to it.
type noteView struct {
	ID              int64
	Message, Detail string
	Link            string
	CreatedAt       time.Time
}

func viewNote(lang string, n model.Notification) noteView {
	msg := notify.Text(lang, n)
	return noteView{ID: n.ID, Message: msg, Detail: strings.TrimSpace(strings.TrimPrefix(n.Body, n.Subject)),
		Link: n.Link, CreatedAt: n.CreatedAt}
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	ns, err := s.inbox.Unread(r.Context(), state(r).user.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	views := make([]noteView, 0, len(ns))
	for _, n := range ns {
		views = append(views, viewNote(state(r).user.Lang, n))
	}
	s.render(w, r, http.StatusOK, "notifications", page{Title: tr(r, "title.notifications"), Active: "/notifications", Data: views})
}

// notificationRead marks one notification read, then opens its link (a
// local path only) or goes back to the list.
func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.inbox.MarkRead(r.Context(), state(r).user.ID, id); err != nil {
		s.pageError(w, r, err)
		return
	}
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		next = "/notifications"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// notifySettings stores how the user gets notifications by e-mail.
func (s *Server) notifySettings(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	err := s.inbox.SetMode(r.Context(), actor(r), u.ID, r.PostFormValue("email"))
	if errs.Is(err, errs.Invalid) {
		s.renderSettings(w, r, http.StatusBadRequest, settingsView{NotifyError: message(r, err)}, "")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?notifications=1", http.StatusSeeOther)
}

// apiNotification is a notification in the API. Message is English;
// key and args let a client show it in another language.
type apiNotification struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Key       string    `json:"key"`
	Args      []string  `json:"args"`
	Message   string    `json:"message"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// apiNotifications lists the user's notifications (unread only with
// ?unread=true), newest first, a page at a time.
func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) {
	var unread bool
	switch r.URL.Query().Get("unread") {
	case "", "false":
	case "true":
		unread = true
	default:
		s.writeAPIError(w, r, errs.Errorf(errs.Invalid, "notifications.unread", "unread must be true or false"))
		return
	}
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	ns, err := s.inbox.Page(r.Context(), state(r).user.ID, unread, lr.Page)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	items := make([]apiNotification, 0, len(ns))
	for _, n := range ns {
		args := n.Args
		if args == nil {
			args = []string{}
		}
		items = append(items, apiNotification{ID: n.ID, Kind: n.Kind, Key: n.Key, Args: args, Message: notify.Text(state(r).user.Lang, n),
			Link: n.Link, CreatedAt: n.CreatedAt.UTC(), Read: n.ReadAt != nil})
	}
	writeList(w, lr, items, func(i int) string { return store.IDKey(ns[i].ID) })
}

// apiNotificationRead marks one of the user's notifications read; another
// person's is 404.
func (s *Server) apiNotificationRead(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.inbox.MarkRead(r.Context(), state(r).user.ID, id)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// serviceLevel is the hours a review step of an account kind may wait.
type serviceLevel struct {
	Kind  string
	Hours int
}

// serviceLevels lists the review service levels for the queue page: for
// admins only, who change them.
func (s *Server) serviceLevels(r *http.Request) ([]serviceLevel, error) {
	if !auth.Allowed(state(r).user.Role, auth.ReviewSettings) {
		return nil, nil
	}
	sla, err := s.review.ServiceLevels(r.Context())
	if err != nil {
		return nil, err
	}
	var out []serviceLevel
	for _, k := range []string{model.KindCorporate, model.KindCountryOffice, model.KindProject} {
		out = append(out, serviceLevel{Kind: k, Hours: sla[k]})
	}
	return out, nil
}

// setServiceLevels stores the hours a review step may wait, per account
// kind given in the form.
func (s *Server) setServiceLevels(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	for _, k := range []string{model.KindCorporate, model.KindCountryOffice, model.KindProject} {
		v := strings.TrimSpace(r.PostFormValue(k))
		if v == "" {
			continue
		}
		h, err := strconv.Atoi(v)
		if err != nil {
			s.pageError(w, r, errs.Errorf(errs.Invalid, "review.sla_hours", "the service level of %s accounts must be a whole number of hours", k))
			return
		}
		if err := s.review.SetServiceLevel(r.Context(), actor(r), u, k, h); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/review?saved=sla#service-levels", http.StatusSeeOther)
}
