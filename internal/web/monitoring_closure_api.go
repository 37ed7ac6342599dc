package web

import (
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
)

// The closing decisions of policy 4.6 through the API, as on the closing
// page: close with the checklist (and, optionally, the handle kept
// parked), keep open, propose closure, and draft a farewell post.

func (s *Server) apiCloseAccount(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ContentArchived         bool   `json:"content_archived"`
		CredentialsRevoked      bool   `json:"credentials_revoked"`
		RemovedFromVerification bool   `json:"removed_from_verification"`
		KeepHandleParked        bool   `json:"keep_handle_parked"`
		Reason                  string `json:"reason"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	c := monitor.Checklist{ContentArchived: in.ContentArchived, CredentialsRevoked: in.CredentialsRevoked,
		RemovedFromVerification: in.RemovedFromVerification, KeepHandleParked: in.KeepHandleParked}
	acc, err := s.monitor.Close(r.Context(), actor(r), id, c, strings.TrimSpace(in.Reason))
	s.accountResult(w, r, acc, err)
}

func (s *Server) apiKeepOpen(w http.ResponseWriter, r *http.Request) {
	s.apiReasoned(w, r, func(id int64, reason string) (*model.Account, error) {
		return s.monitor.KeepOpen(r.Context(), actor(r), id, reason)
	})
}

// apiProposeClosure proposes an account for closure before its grace
// period ends, as the account page's status form does.
func (s *Server) apiProposeClosure(w http.ResponseWriter, r *http.Request) {
	s.apiReasoned(w, r, func(id int64, reason string) (*model.Account, error) {
		return s.registry.Transition(r.Context(), actor(r), id, model.StatusClosureProposed, reason)
	})
}

// apiReasoned runs a decision on the account of the path that takes only
// a reason, and answers with the account.
func (s *Server) apiReasoned(w http.ResponseWriter, r *http.Request, decide func(id int64, reason string) (*model.Account, error)) {
	var in struct {
		Reason string `json:"reason"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	acc, err := decide(id, strings.TrimSpace(in.Reason))
	s.accountResult(w, r, acc, err)
}

func (s *Server) accountResult(w http.ResponseWriter, r *http.Request, acc *model.Account, err error) {
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIAccount(*acc))
}

// apiDraftFarewell drafts the farewell post pointing followers to
// main_account (0 or absent: the platform's first open corporate account);
// its author then edits it and sends it for review.
func (s *Server) apiDraftFarewell(w http.ResponseWriter, r *http.Request) {
	var in struct {
		MainAccount int64 `json:"main_account"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	dv, err := s.draftFarewellOn(r, id, in.MainAccount)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIDraft(dv))
}
