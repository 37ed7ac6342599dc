package registry

import (
	"image"
	"image/color"
	"slices"
	"testing"

	"golang.org/x/image/draw"

	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/policy"
)

func TestAvatarEmblem(t *testing.T) {
	p, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	emblems, err := EmblemHashes(p)
	if err != nil || len(emblems) == 0 {
		t.Fatalf("EmblemHashes = %v, %v", emblems, err)
	}
	small := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	draw.CatmullRom.Scale(small, small.Bounds(), lookalike.PlaceholderEmblem(256), image.Rect(0, 0, 256, 256), draw.Src, nil)
	photo := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			photo.SetNRGBA(x, y, color.NRGBA{uint8(x * 4), 0x60, uint8(y * 4), 0xff})
		}
	}
	yes, no := IsEmblem(lookalike.HashOf(small), emblems), IsEmblem(lookalike.HashOf(photo), emblems)
	if !yes || no {
		t.Fatalf("IsEmblem: scaled emblem %v, other picture %v", yes, no)
	}
	base := AccountInput{Kind: "country-office", Platform: "x", Handle: "@UNOPS_Kenya", DisplayName: "UNOPS Kenya", Email: "kenya.comms@unops.org"}
	for _, c := range []struct {
		name   string
		emblem *bool
		want   bool
	}{{"emblem", &yes, false}, {"other picture", &no, true}, {"avatar unknown", nil, false}} {
		a := base
		a.AvatarEmblem = c.emblem
		got := slices.ContainsFunc(CheckAccount(p, a), func(f Finding) bool { return f.Rule == "account.avatar-emblem" && f.Clause == "4.3" })
		if got != c.want {
			t.Errorf("%s: 4.3 emblem finding %v, want %v", c.name, got, c.want)
		}
	}
}
