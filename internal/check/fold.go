package check

import (
	"github.com/herald-gov/herald/internal/detect"
	"github.com/herald-gov/herald/internal/model"
)

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

// ModelText is text as a trained model reads it on account: folded (Fold),
// with the words that name the account's project masked
// (detect.MaskProject). Training reads the corpus through it, so that
// models learn what posts say, not which project they come from.
func ModelText(text string, account model.DraftAccount) []byte {
	return maskProject(nil, Fold(text), detect.ProjectNeedles(account.Project))
}

// maskProject appends folded to dst with the project's words (needles)
// masked.
func maskProject(dst, folded []byte, needles [][]string) []byte {
	dst = append(dst, folded...)
	detect.MaskProject(dst, needles)
	return dst
}
