package check

// TextLanguage is the language textLanguage tells from a text, for tests.
func TextLanguage(text string) string {
	counts := stopCounts(Fold(text))
	return textLanguage(&counts, text)
}
