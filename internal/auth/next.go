package auth

import (
	"net/url"
	"strings"
)

// SafeNext returns where to send a browser after sign-in: next when it is
// a path on this site, else "/". Browsers forgive a great deal in a
// Location header (a tab or newline is dropped, a backslash is a slash), so
// anything that is not plainly a path is refused rather than repaired: a
// scheme or host, a backslash or a control character (also in the
// percent-decoded path), a space, or a path that does not start with
// exactly one slash.
func SafeNext(next string) string {
	const home = "/"
	if len(next) > 2048 || strings.ContainsRune(next, '\\') || strings.IndexFunc(next, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	// u.Path is decoded: "/%09/x" and "/%2F/x" are refused here.
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') ||
		strings.IndexFunc(p, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
		return home
	}
	return next
}
