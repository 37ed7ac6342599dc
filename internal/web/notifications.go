package web

import (
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/model"
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

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	ns, err := s.inbox.Unread(r.Context(), state(r).user.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", page{Title: "Notifications", Active: "Notifications", Data: ns})
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
