package registry

import (
	"context"
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/draw"

	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store/storetest"
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

func TestImportFoundScored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		res, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest())
		if err != nil {
			t.Fatal(err)
		}
		list := "platform,handle,display_name\nx,UN0PS_Haiti,UNOPS Haïti\nx,unops_careers,Careers\n"
		if added, _, problems, err := f.svc.ImportFound(ctx, f.adminA, strings.NewReader(list)); err != nil || len(problems) > 0 || added != 2 {
			t.Fatalf("ImportFound = %d, %v, %v", added, problems, err)
		}
		queue, _, err := f.svc.Found(ctx, model.FoundNew, 0, 0)
		if err != nil || len(queue) != 2 {
			t.Fatal(queue, err)
		}
		imp, other := queue[0], queue[1]
		if imp.LookalikeScore == nil || *imp.LookalikeScore < 0.8 || imp.ImitatesID == nil || *imp.ImitatesID != res.Account.ID || len(imp.Reasons) == 0 {
			t.Errorf("UN0PS_Haiti: score %v, imitates %v, reasons %q; want high, @UNOPS_Haiti", imp.LookalikeScore, imp.ImitatesID, imp.Reasons)
		}
		if other.LookalikeScore == nil || *other.LookalikeScore >= *imp.LookalikeScore {
			t.Errorf("unops_careers scores %v, not below UN0PS_Haiti's %v", other.LookalikeScore, imp.LookalikeScore)
		}
	})
}
