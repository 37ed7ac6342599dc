package web

import (
	"net/http"
	"strings"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
)

// selfCheckView is the personal account self-check. Nothing entered is
// stored: the page says so, and there is no "save" to tick.
type selfCheckView struct {
	In        registry.AccountInput
	Platforms []string
	Checked   bool
	Findings  []registry.Finding
}

func (s *Server) selfCheckPage(w http.ResponseWriter, r *http.Request) {
	v := selfCheckView{Platforms: s.platforms()}
	s.render(w, r, http.StatusOK, "selfcheck", page{Title: tr(r, "title.selfcheck"), Active: "/my-accounts-check", Data: v})
}

// selfCheck gives the policy's advice (5.2, 3.4(l)) on a personal account,
// point by point.
func (s *Server) selfCheck(w http.ResponseWriter, r *http.Request) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := registry.AccountInput{Kind: model.KindPersonal, Platform: f("platform"), Handle: f("handle"),
		DisplayName: f("display_name"), Bio: f("bio"), WorkUse: r.PostFormValue("work_use") != "", Lang: pageLang(r)}
	v := selfCheckView{In: in, Platforms: s.platforms(), Checked: true,
		Findings: registry.CheckAccount(s.checker.Pack(), in)}
	s.render(w, r, http.StatusOK, "selfcheck", page{Title: tr(r, "title.selfcheck"), Active: "/my-accounts-check", Data: v})
}
