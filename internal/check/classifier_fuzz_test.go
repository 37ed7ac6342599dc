package check

import (
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// FuzzCheckModels checks any text with the default pack, whose rules use
// the embedded models: findings keep valid offsets, scores stay in [0, 1],
// and the words a model names are pieces of the text.
func FuzzCheckModels(f *testing.F) {
	c := compileDefault(f)
	f.Add("Shut up, you PATHETIC idiots!!! 🙄", "you idiot", "project")
	f.Add("\xff\x00une enque\u0302te\u200d sooo amazing", "", "personal")
	f.Add("We love this wonderful bridge, the best ever", "Go back where you came from", "corporate")
	f.Fuzz(func(t *testing.T, text, reply, kind string) {
		d := model.Draft{Text: text, ReplyTo: reply, Account: model.DraftAccount{Kind: kind}}
		rep := c.Check(d)
		checkOffsets(t, text, rep)
		for _, fd := range rep.Findings {
			v := fd.Classifier
			if v == nil {
				continue
			}
			if !(v.Score >= 0 && v.Score <= 1) {
				t.Fatalf("%s: score %v", fd.Rule, v.Score)
			}
			for _, w := range v.Words {
				if w == "" || !(strings.Contains(text, w) || strings.Contains(reply, w)) {
					t.Fatalf("%s: word %q is not in the text", fd.Rule, w)
				}
			}
		}
	})
}
