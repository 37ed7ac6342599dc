package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	body, err := files.ReadFile("openapi.json")
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

type apiUser struct {
	ID    int64      `json:"id"`
	Email string     `json:"email"`
	Name  string     `json:"name"`
	Role  model.Role `json:"role"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	writeJSON(w, http.StatusOK, apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role})
}

// decodeJSON reads exactly one JSON object into v, refusing other media
// types, unknown fields and trailing data, with messages a client can act on.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return errorf(errs.Unsupported, "send_the_body_as", "send the body as application/json")
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.Is(err, io.EOF):
			return errorf(errs.Invalid, "the_request_body_is", "the request body is empty; send a JSON object")
		case errors.As(err, &se):
			return errorf(errs.Invalid, "invalid_json_at_byte", "invalid JSON at byte %d: %v", se.Offset, se)
		case errors.As(err, &te):
			return errorf(errs.Invalid, "field_must_be_a", "field %q must be a %s, not a JSON %s", te.Field, te.Type, te.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return errorf(errs.Invalid, "unknown_field", "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return errorf(errs.Invalid, "invalid_json", "invalid JSON: %v", err)
	}
	if dec.More() {
		return errorf(errs.Invalid, "send_one_json_object", "send one JSON object, not several")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(errs.Invalid, "unexpected_data_after_the", "unexpected data after the JSON object")
	}
	return nil
}

// apiCheck checks a Draft and returns its Report. Image paths are refused:
// a path would name a file on the server.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	var d model.Draft
	if err := decodeJSON(r, &d); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	switch {
	case len(d.Images) > 0:
		s.writeAPIError(w, r, errorf(errs.Invalid, "images_are_not_accepted", "images are not accepted by the API: an image path would name a file on the server"))
		return
	case d.Account.Kind != "" && !validKind(d.Account.Kind):
		s.writeAPIError(w, r, errorf(errs.Invalid, "account_kind_must_be", "account.kind must be one of personal, corporate, country-office, project"))
		return
	}
	if d.Platform != "" {
		if _, ok := s.checker.Pack().Parameters.Platforms[d.Platform]; !ok {
			s.writeAPIError(w, r, errorf(errs.Invalid, "unknown_platform_known", "unknown platform %q; known: %s", d.Platform, strings.Join(s.platforms(), ", ")))
			return
		}
	}
	writeJSON(w, http.StatusOK, s.runCheck(d))
}

// apiAccount is an account as the API answers it (issue 4's contract): the
// fields of a request body with the id and status the registry adds.
type apiAccount struct {
	ID int64 `json:"id"`
	apiAccountIn
	Status string `json:"status"`
}

func toAPIAccount(a model.Account) apiAccount {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return apiAccount{ID: a.ID, Status: a.Status, apiAccountIn: apiAccountIn{Platform: a.Platform, Handle: a.Handle,
		ProfileURL: a.ProfileURL, DisplayName: a.DisplayName, Bio: a.Bio, Kind: a.Kind, Office: a.Office,
		Languages: nonNil(a.Languages), Audience: a.Audience, Purpose: a.Purpose, PostsPerWeek: a.PostsPerWeek,
		Email: a.Email, Contacts: nonNil(a.Contacts), Managers: nonNil(a.Managers), Project: a.Project}}
}

// apiAccounts lists the registry, filtered and paginated by limit and offset.
func (s *Server) apiAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := accountFilter(q)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	f.Limit, f.Offset = 50, 0
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 1000 {
			s.writeAPIError(w, r, errorf(errs.Invalid, "limit_must_be_a", "limit must be a number from 1 to 1000"))
			return
		}
	}
	if v := q.Get("offset"); v != "" {
		if f.Offset, err = strconv.Atoi(v); err != nil || f.Offset < 0 {
			s.writeAPIError(w, r, errorf(errs.Invalid, "offset_must_be_a", "offset must be a number of 0 or more"))
			return
		}
	}
	compliance, err := complianceParam(q.Get("compliance"))
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	accs, total, err := s.filteredAccounts(r.Context(), f, compliance)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	out := make([]apiAccount, len(accs))
	for i, a := range accs {
		out[i] = toAPIAccount(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out, "total": total, "limit": f.Limit, "offset": f.Offset})
}
