package web

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/registry"
)

// The CSV import through the API, as on the import page: the preview says
// what each row would do (add, update with each field's change, or
// nothing) and the commit writes every change or none. The file is the
// multipart field "file" or the form field "csv".

type apiImportRow struct {
	Line      int                    `json:"line"`
	Action    string                 `json:"action"`     // add, update or unchanged
	AccountID int64                  `json:"account_id"` // the existing account; 0 for a new one
	Platform  string                 `json:"platform"`
	Handle    string                 `json:"handle"`
	Changes   []registry.FieldChange `json:"changes"`
}

type apiImportPreview struct {
	Rows     []apiImportRow        `json:"rows"`
	Problems []registry.RowProblem `json:"problems"`
	Counts   map[string]int        `json:"counts"`
}

func toAPIImportPreview(p registry.ImportPreview) apiImportPreview {
	out := apiImportPreview{Rows: []apiImportRow{}, Problems: p.Problems, Counts: map[string]int{}}
	if out.Problems == nil {
		out.Problems = []registry.RowProblem{}
	}
	for _, a := range []string{registry.ImportAdd, registry.ImportUpdate, registry.ImportUnchanged} {
		out.Counts[a] = p.Count(a)
	}
	for _, r := range p.Rows {
		ch := r.Changes
		if ch == nil {
			ch = []registry.FieldChange{}
		}
		out.Rows = append(out.Rows, apiImportRow{Line: r.Line, Action: r.Action(), AccountID: r.ExistingID,
			Platform: r.Account.Platform, Handle: r.Account.Handle, Changes: ch})
	}
	return out
}

func (s *Server) apiImportPreview(w http.ResponseWriter, r *http.Request) {
	data, err := uploadedCSV(r, "file")
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	p, err := s.registry.PreviewImport(r.Context(), bytes.NewReader(data))
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIImportPreview(p))
}

// apiImportCommit writes the file's changes, or nothing when it has
// problems (400, listing them).
func (s *Server) apiImportCommit(w http.ResponseWriter, r *http.Request) {
	data, err := uploadedCSV(r, "file")
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	res, err := s.registry.CommitImport(r.Context(), actor(r), bytes.NewReader(data))
	var ie *registry.ImportError
	if errors.As(err, &ie) {
		ae := toAPIError(state(r).lang, errorf(errs.Invalid, "file_not_imported", "nothing was imported: the file has problems"))
		writeJSON(w, ae.status, map[string]any{"error": ae, "problems": ie.Problems})
		return
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"added": res.Added, "updated": res.Updated, "unchanged": res.Unchanged})
}
