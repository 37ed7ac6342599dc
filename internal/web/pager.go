package web

import (
	"net/url"
	"strconv"
)

// pager links the previous and next pages of an offset-paginated list.
type pager struct {
	Page       int
	Prev, Next string
}

// pageParam reads ?page=N (1-based, at most 100,000).
func pageParam(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 100_000)
}

func newPager(path string, q url.Values, page, perPage, total int) pager {
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	p := pager{Page: page}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page*perPage < total {
		p.Next = link(page + 1)
	}
	return p
}
