package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

const auditPerPage = 100

// auditFilter reads the Audit page's filter: dates are whole UTC days,
// "until" included.
func auditFilter(q url.Values) (store.AuditFilter, error) {
	f := store.AuditFilter{Actor: strings.TrimSpace(q.Get("actor")), ActionPrefix: strings.TrimSpace(q.Get("action"))}
	f.ObjectType, f.ObjectID, _ = strings.Cut(strings.TrimSpace(q.Get("object")), ":")
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return f, errorf(errs.Invalid, "the_start_date_must", "the start date must look like 2025-01-31")
		}
		f.Since = t
	}
	if v := q.Get("until"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return f, errorf(errs.Invalid, "the_end_date_must", "the end date must look like 2025-01-31")
		}
		f.Until = t.AddDate(0, 0, 1)
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return f, errorf(errs.Invalid, "bad_page", "bad page")
		}
		f.BeforeSeq = n
	}
	return f, nil
}

type auditView struct {
	Q            map[string]string
	Events       []model.AuditEvent
	Error        string
	CSVURL, Next string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := auditView{Q: map[string]string{}}
	for _, k := range []string{"actor", "action", "object", "since", "until"} {
		v.Q[k] = q.Get(k)
	}
	csvQ := url.Values{}
	for k, val := range v.Q {
		if val != "" {
			csvQ.Set(k, val)
		}
	}
	v.CSVURL = "/audit/export.csv?" + csvQ.Encode()
	f, err := auditFilter(q)
	status := http.StatusOK
	if err != nil {
		v.Error, status = toAPIError(state(r).lang, err).Message, http.StatusBadRequest
	} else {
		f.Limit = auditPerPage + 1
		events, err := s.trail.Events(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(events) > auditPerPage {
			events = events[:auditPerPage]
			next := url.Values{}
			for k, val := range csvQ {
				next[k] = val
			}
			next.Set("before", strconv.FormatInt(events[len(events)-1].Seq, 10))
			v.Next = "/audit?" + next.Encode()
		}
		v.Events = events
	}
	s.render(w, r, status, "audit", page{Title: tr(r, "title.audit"), Active: "/audit", Data: v})
}

// auditExport streams the filtered events as CSV, newest first, and records
// the export itself in the trail.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r.URL.Query())
	if err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, tr(r, "error.bad_filter"), toAPIError(state(r).lang, err).Message)
		return
	}
	events, err := s.trail.Export(r.Context(), actor(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="herald-audit.csv"`)
	if err := audit.WriteCSV(w, events); err != nil {
		s.log.WarnContext(r.Context(), "audit export", "request_id", requestID(r), "err", err)
	}
}

// apiAuditEvent is an event of the trail as the API answers it.
type apiAuditEvent struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Addr       string    `json:"addr"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Summary    string    `json:"summary"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// apiAuditEvents lists the trail newest first, with the Audit page's
// filters (actor, action, object, since, until).
func (s *Server) apiAuditEvents(w http.ResponseWriter, r *http.Request) {
	f, lr, err := filterAndList(r, auditFilter)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	if f.BeforeSeq, err = cursorID(lr); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	f.Limit = lr.Limit + 1
	events, err := s.trail.Events(r.Context(), f)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, events, func(e *model.AuditEvent) apiAuditEvent {
		return apiAuditEvent{Seq: e.Seq, At: e.At.UTC(), Actor: e.ActorEmail, Addr: e.Addr, Action: e.Action,
			ObjectType: e.ObjectType, ObjectID: e.ObjectID, Summary: e.Summary, PrevHash: e.PrevHash, Hash: e.Hash}
	}, func(i int) string { return store.IDKey(events[i].Seq) })
}

// apiAuditExport is the Audit page's CSV export, recorded in the trail.
func (s *Server) apiAuditExport(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r.URL.Query())
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	events, err := s.trail.Export(r.Context(), actor(r), f)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="herald-audit.csv"`)
	if err := audit.WriteCSV(w, events); err != nil {
		s.log.WarnContext(r.Context(), "audit export", "request_id", requestID(r), "err", err)
	}
}
