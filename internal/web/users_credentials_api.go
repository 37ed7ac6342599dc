package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// apiCredential is a stored platform token as the API shows it: where it
// applies and when it was set, never its value.
type apiCredential struct {
	Platform  string    `json:"platform"`
	AccountID int64     `json:"account_id"` // 0: every account of the platform
	UpdatedAt time.Time `json:"updated_at"`
}

// apiCredentialTarget is the body of the credential operations: a
// platform, or an account (whose platform it takes).
type apiCredentialTarget struct {
	Platform  string `json:"platform"`
	AccountID int64  `json:"account_id"`
}

// apiCredentials lists the stored tokens by platform, then account, in
// pages ({items, next_cursor}); without a secret key the list is empty and
// storing one says why.
func (s *Server) apiCredentials(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	infos, err := s.monitor.Credentials(r.Context())
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	// A handful of rows: paged in memory, keyed by platform and account.
	key := func(c apiCredential) string { return fmt.Sprintf("%s/%020d", c.Platform, c.AccountID) }
	var items []apiCredential
	for _, c := range infos {
		it := apiCredential{Platform: c.Platform, AccountID: c.AccountID, UpdatedAt: c.UpdatedAt.UTC()}
		if key(it) > lr.After {
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b apiCredential) int { return strings.Compare(key(a), key(b)) })
	items = items[:min(len(items), lr.Limit+1)]
	writeList(w, lr, items, func(i int) string { return key(items[i]) })
}

// readCredentialTarget decodes the body into v and checks its target t.
func (s *Server) readCredentialTarget(r *http.Request, v any, t *apiCredentialTarget) error {
	if err := decodeJSON(r, v); err != nil {
		return err
	}
	var err error
	t.Platform, t.AccountID, err = s.credentialTarget(r.Context(), t.Platform, t.AccountID)
	return err
}

// apiSetCredential stores a token, encrypted; the answer never holds it.
func (s *Server) apiSetCredential(w http.ResponseWriter, r *http.Request) {
	var in struct {
		apiCredentialTarget
		Token string `json:"token"`
	}
	err := s.readCredentialTarget(r, &in, &in.apiCredentialTarget)
	if err == nil {
		err = s.storeCredential(r.Context(), actor(r), in.Platform, in.AccountID, in.Token)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiCredential{Platform: in.Platform, AccountID: in.AccountID, UpdatedAt: s.cfg.Now().UTC()})
}

// apiTestCredential reads an account with the stored token now.
func (s *Server) apiTestCredential(w http.ResponseWriter, r *http.Request) {
	var in apiCredentialTarget
	err := s.readCredentialTarget(r, &in, &in)
	var res credentialTest
	if err == nil {
		res, err = s.tryCredential(r, in.Platform, in.AccountID)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiRevokeCredential(w http.ResponseWriter, r *http.Request) {
	var in apiCredentialTarget
	err := s.readCredentialTarget(r, &in, &in)
	if err == nil {
		err = s.removeCredential(r.Context(), actor(r), in.Platform, in.AccountID)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
