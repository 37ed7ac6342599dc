package check

// FoldName names the normalization Fold applies. A trained model records
// the folding it was trained under (internal/classify), and the checker
// refuses a model folded another way; change the name when the
// normalization changes.
const FoldName = "herald-fold-1"

// Fold returns s normalized as the checker matches it: lower case, accents
// removed, white space collapsed (normalize). Models read text folded so.
func Fold(s string) []byte {
	var n normalized
	n.normalize(s)
	return n.text
}
