package web

import "github.com/herald-gov/herald/internal/auth"

// PageRoute is a GET route of the route table outside the API.
type PageRoute struct {
	Pattern string // "GET /path/{id}"
	Perm    auth.Permission
}

// PageRoutes lists the route table's GET routes outside the API, for the
// browser tests of web_test that visit every page. (The table's handlers are
// method values on a zero Server, never called here.)
func PageRoutes() []PageRoute {
	var out []PageRoute
	for _, rt := range (&Server{}).routeTable() {
		if rt.pattern[:4] == "GET " && !rt.isAPI() {
			out = append(out, PageRoute{rt.pattern, rt.perm})
		}
	}
	return out
}
