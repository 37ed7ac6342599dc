package detect

import (
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// FuzzDetectors runs every text detector over arbitrary bytes: no panic,
// and every span within the text.
func FuzzDetectors(f *testing.F) {
	for _, s := range []string{
		"Call +41 22 917 8000 or 06 12 34 56 78, jane.doe@gmail.com",
		"4°51'34\"N 31°34'17\"E and -1.2921,36.8219",
		"12 rue de la Paix, Calle Mayor 5, 221B Baker Street, P.O. Box 12",
		"GB82 WEST 1234 5698 7654 32 4111 1111 1111 1111 1 85 05 78 006 084 91",
		"In 2015, 3 millones de personas; https://bit.ly/x #a #b",
		"\xff\xfe\x00 2019-2020 ( 0 (", "+", "(", "@", "°", "N 4.", "nº 1", "Plot 1",
		"PSC 1, Box 2\nAPO AE 12345", "> 3654 Brixtonlaan 380\n> Suite 7\n> Belgium 42940",
		"the corner of Oak 12 and Pine St.", "address: Lindenhof 14, 8001 Zürich", "ul. Długa 5, 3º B,",
		"Card 6304 1234 5674", "call (123) 456-7890 x12", "北京市朝阳区建国路88号院", "霞が関1丁目2番3号に",
		"서울 강남구 테헤란로 152에", "1-2-3 Kasumigaseki, Chiyoda-ku", "3-chome", "4111 1111 1111 1111 123",
	} {
		f.Add(s)
	}
	var dets []Detector
	for _, n := range Names() {
		if d, err := New(n, nil, testOrg, testParams); err == nil {
			dets = append(dets, d)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		draft := &model.Draft{Text: text, Platform: "x",
			Account: model.DraftAccount{Project: &model.Project{Name: text, Keywords: []string{text}}}}
		in := &Input{Text: text, Draft: draft, Org: testOrg, Params: testParams, Now: testNow}
		for _, d := range dets {
			for _, m := range d.Detect(in) {
				if m.Start < 0 || m.Start > m.End || m.End > len(text) || m.Image != nil {
					t.Fatalf("%T: bad match %+v for %q", d, m, text)
				}
			}
		}
	})
}
