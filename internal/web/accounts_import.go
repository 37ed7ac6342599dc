package web

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/registry"
)

// importView is the CSV import of existing accounts: the upload form, the
// preview of every row and its problems, and the result of the commit.
type importView struct {
	Preview  *registry.ImportPreview
	CSV      string // carried from the preview to the commit
	Done     bool
	Result   registry.ImportResult
	Problems []registry.RowProblem
	Error    string
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "import", page{Title: tr(r, "title.import"), Active: "/accounts", Data: importView{}})
}

func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) {
	data, err := uploadedCSV(r, "file")
	if err != nil {
		s.importFailed(w, r, err)
		return
	}
	p, err := s.registry.PreviewImport(r.Context(), bytes.NewReader(data))
	if err != nil {
		s.importFailed(w, r, err)
		return
	}
	v := importView{Preview: &p, CSV: string(data)}
	s.render(w, r, http.StatusOK, "import", page{Title: tr(r, "title.import"), Active: "/accounts", Data: v})
}

func (s *Server) importCommit(w http.ResponseWriter, r *http.Request) {
	data, err := uploadedCSV(r, "file")
	if err != nil {
		s.importFailed(w, r, err)
		return
	}
	res, err := s.registry.CommitImport(r.Context(), actor(r), bytes.NewReader(data))
	var ie *registry.ImportError
	if errors.As(err, &ie) {
		v := importView{Problems: ie.Problems, Error: tr(r, "import.has_problems")}
		s.render(w, r, http.StatusBadRequest, "import", page{Title: tr(r, "title.import"), Active: "/accounts", Data: v})
		return
	}
	if err != nil {
		s.importFailed(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "import", page{Title: tr(r, "title.import"), Active: "/accounts", Data: importView{Done: true, Result: res}})
}

// importFailed shows the upload form again with what went wrong.
func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, ae.status, "import", page{Title: tr(r, "title.import"), Active: "/accounts", Data: importView{Error: ae.Message}})
}
