package detect

import (
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// Realistic 280-character posts, one without a digit and one with the
// figures, dates and amounts ordinary news posts carry.
const (
	postWords  = "Clean water changes everything. With our partners and the local government, we are building pipelines, kiosks and treatment plants so that families in Juba can count on safe water every day. Read the story of the women who now run the network: unops.org/news #WaterForAll"
	postDigits = "In 2025, 1,234,567 people in 12 countries gained access to clean water. Our USD 2.5 million programme (2024-2026) built 340 kiosks and 3 treatment plants; v2.3 of the report is out on 15.02.2026. Contact press@unops.org or see unops.org/news. #SDG6 #WaterForAll 45% ↑"
	// postPhoneShaped is the phone detector's worst case: a 280-character
	// post of phone-shaped digit runs that are valid in no region.
	postPhoneShaped = "Ref 11 22 33 44 55, 11 22 33 44 56, 11 22 33 44 57, 11 22 33 44 58, 11 22 33 44 59, 11 22 33 44 60, 11 22 33 44 61, 11 22 33 44 62, 11 22 33 44 63, 11 22 33 44 64, 11 22 33 44 65, 11 22 33 44 66, 11 22 33 44 67, 11 22 33 44 68, 11 22 33 44 69, 11 22 33 44 70, 11 22 33 44"
)

var benchPosts = []struct{ name, text string }{{"words", postWords}, {"digits", postDigits}, {"phoneshaped", postPhoneShaped}}

// benchInput is a fresh input per check, as the engine builds it, so that
// nothing memoized by an earlier iteration is reused.
func benchInput(text string) *Input {
	draft := &model.Draft{Text: text, Platform: "instagram", Account: model.DraftAccount{
		Kind: model.KindProject, Project: &model.Project{Name: "Juba Urban Water", Keywords: []string{"sanitation"}}}}
	return &Input{Text: text, Draft: draft, Org: testOrg, Params: testParams, Now: testNow}
}

func BenchmarkDetectors(b *testing.B) {
	for _, n := range Names() {
		d, err := New(n, nil, testOrg, testParams)
		if err != nil {
			continue
		}
		for _, post := range benchPosts {
			b.Run(n+"/"+post.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					d.Detect(benchInput(post.text))
				}
			})
		}
	}
}

// BenchmarkCheck runs every detector on one input, as one check does.
func BenchmarkCheck(b *testing.B) {
	var ds []Detector
	for _, n := range Names() {
		if d, err := New(n, nil, testOrg, testParams); err == nil {
			ds = append(ds, d)
		}
	}
	for _, post := range benchPosts {
		b.Run(post.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				in := benchInput(post.text)
				for _, d := range ds {
					d.Detect(in)
				}
			}
		})
	}
}
