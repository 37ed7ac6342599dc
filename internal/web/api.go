package web

import (
	"net/http"
)

// openapi serves the API's description; TestOpenAPIInStep keeps it in
// step with the route table. Each room holds its own API handlers.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	body, err := files.ReadFile("openapi.json")
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}
