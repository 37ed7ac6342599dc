package check

// TextLanguage is textLanguage, for tests.
var TextLanguage = textLanguage
