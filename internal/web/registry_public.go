package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/registry"
)

// The public directory of official accounts (issue 16): a page, a JSON feed
// with keyset cursors and a CSV file, all without sign-in, rate-limited per
// address with /verify's limiter, cacheable and with an ETag.

const (
	directoryLimit    = 50
	directoryMaxLimit = 200
	directoryMaxAge   = "public, max-age=300"
)

func directoryFilter(r *http.Request) registry.DirectoryFilter {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return registry.DirectoryFilter{Query: get("q"), Platform: get("platform"), Office: get("office"),
		Language: get("language"), Kind: get("kind")}
}

// cursorKey is where a page ends: platform, handle key and id, the
// directory's sort order, so a page after it is the same whatever accounts
// are added before it.
func cursorKey(e registry.DirectoryEntry) string {
	return base64.RawURLEncoding.EncodeToString([]byte(e.Platform + "\x00" + e.HandleKey + "\x00" + strconv.FormatInt(e.ID, 10)))
}

// after returns the entries that sort after cursor.
func after(entries []registry.DirectoryEntry, cursor string) ([]registry.DirectoryEntry, error) {
	if cursor == "" {
		return entries, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 {
		return nil, errorf(errs.Invalid, "the_cursor_is_not_one", "the cursor is not one this feed gave")
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return nil, errorf(errs.Invalid, "the_cursor_is_not_one", "the cursor is not one this feed gave")
	}
	i, _ := slices.BinarySearchFunc(entries, struct {
		p, k string
		id   int64
	}{parts[0], parts[1], id}, func(e registry.DirectoryEntry, t struct {
		p, k string
		id   int64
	}) int {
		if c := strings.Compare(e.Platform, t.p); c != 0 {
			return c
		}
		if c := strings.Compare(e.HandleKey, t.k); c != 0 {
			return c
		}
		switch {
		case e.ID < t.id:
			return -1
		case e.ID > t.id:
			return 1
		}
		return 0
	})
	if i < len(entries) && entries[i].Platform == parts[0] && entries[i].HandleKey == parts[1] && entries[i].ID == id {
		i++
	}
	return entries[i:], nil
}

// writeCached sends body with an ETag and caching headers, or 304 when the
// client has it already.
func writeCached(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", directoryMaxAge)
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == etag || inm == "*" || slices.Contains(splitETags(inm), etag)) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Write(body)
}

func splitETags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		out = append(out, strings.TrimPrefix(strings.TrimSpace(t), "W/"))
	}
	return out
}

type directoryView struct {
	Org                                  string
	Filter                               registry.DirectoryFilter
	Entries                              []registry.DirectoryEntry
	Platforms, Offices, Languages, Kinds []string
	Report                               reportForm
}

func (s *Server) orgName() string {
	o := s.checker.Pack().Organization
	if o.FullName != "" {
		return o.FullName
	}
	return o.Name
}

func (s *Server) registryPage(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		s.renderStatus(w, r, http.StatusTooManyRequests, pageTitleFor(r, http.StatusTooManyRequests), tr(r, "error.asked_too_often"))
		return
	}
	s.showRegistry(w, r, http.StatusOK, reportForm{CSRF: state(r).csrf, From: "registry"})
}

func (s *Server) showRegistry(w http.ResponseWriter, r *http.Request, status int, rf reportForm) {
	all, err := s.registry.Directory(r.Context(), registry.DirectoryFilter{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := directoryView{Org: s.orgName(), Filter: directoryFilter(r), Report: rf}
	for _, e := range all {
		v.Platforms = appendNew(v.Platforms, e.Platform)
		v.Offices = appendNew(v.Offices, e.Office)
		v.Kinds = appendNew(v.Kinds, e.Kind)
		for _, l := range e.Languages {
			v.Languages = appendNew(v.Languages, l)
		}
	}
	for _, l := range [][]string{v.Platforms, v.Offices, v.Kinds, v.Languages} {
		slices.Sort(l)
	}
	if v.Entries, err = s.registry.Directory(r.Context(), v.Filter); err != nil {
		s.pageError(w, r, err)
		return
	}
	if v.Report.Platforms == nil {
		v.Report.Platforms = s.platforms()
	}
	s.render(w, r, status, "registry", page{Title: tr(r, "title.registry"), Active: "/registry", Data: v})
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func (s *Server) apiRegistry(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		s.writeAPIError(w, r, errorf(errs.TooMany, "too_many_requests_from", "too many requests from this address; retry after %s seconds", w.Header().Get("Retry-After")))
		return
	}
	limit := directoryLimit
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			s.writeAPIError(w, r, errorf(errs.Invalid, "limit_must_be_a_number", "limit must be a number from 1 to %d", directoryMaxLimit))
			return
		}
		limit = min(n, directoryMaxLimit)
	}
	entries, err := s.registry.Directory(r.Context(), directoryFilter(r))
	if err == nil {
		entries, err = after(entries, r.URL.Query().Get("cursor"))
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	out := struct {
		Items      []registry.DirectoryEntry `json:"items"`
		NextCursor *string                   `json:"next_cursor"`
	}{Items: entries}
	if len(entries) > limit {
		out.Items = entries[:limit]
		c := cursorKey(entries[limit-1])
		out.NextCursor = &c
	}
	if out.Items == nil {
		out.Items = []registry.DirectoryEntry{}
	}
	body, err := json.Marshal(out)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeCached(w, r, "application/json; charset=utf-8", append(body, '\n'))
}

func (s *Server) registryCSV(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		http.Error(w, tr(r, "error.asked_too_often"), http.StatusTooManyRequests)
		return
	}
	entries, err := s.registry.Directory(r.Context(), directoryFilter(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"platform", "handle", "profile_url", "display_name", "kind", "office", "languages", "status", "verified_since", "closed_since"})
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	}
	for _, e := range entries {
		cw.Write([]string{e.Platform, registry.GuardCell(e.Handle), registry.GuardCell(e.ProfileURL), registry.GuardCell(e.DisplayName), e.Kind, registry.GuardCell(e.Office),
			strings.Join(e.Languages, " "), e.Status, day(e.VerifiedSince), day(e.ClosedSince)})
	}
	cw.Flush()
	w.Header().Set("Content-Disposition", `attachment; filename="official-accounts.csv"`)
	writeCached(w, r, "text/csv; charset=utf-8", buf.Bytes())
}
