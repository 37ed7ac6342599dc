package check

// TextLanguage is the language textLanguage tells from folded text, for tests.
func TextLanguage(t []byte) string {
	counts := stopCounts(t)
	return textLanguage(&counts)
}
