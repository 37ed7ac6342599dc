package lookalike

import (
	"image"
	"image/color"
	"math"
)

// PlaceholderEmblem draws the default pack's emblem: a plain geometric mark
// of Herald's own (a blue disk, a white ring and a white triangle), standing
// in for the organization's approved emblem, which is its own to supply.
func PlaceholderEmblem(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x1f, 0x4e, 0x8c, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	c := float64(size) / 2
	for y := range size {
		for x := range size {
			dx, dy := (float64(x)+0.5-c)/c, (float64(y)+0.5-c)/c
			r := math.Hypot(dx, dy)
			switch {
			case r > 0.95:
				img.SetNRGBA(x, y, white)
			case r > 0.72 && r < 0.82:
				img.SetNRGBA(x, y, white)
			case inTriangle(dx, dy):
				img.SetNRGBA(x, y, white)
			default:
				img.SetNRGBA(x, y, blue)
			}
		}
	}
	return img
}

// inTriangle reports whether (x, y), in -1..1 with y down, is inside an
// upward triangle centred on the origin.
func inTriangle(x, y float64) bool {
	const top, bottom, half = -0.5, 0.4, 0.5
	if y < top || y > bottom {
		return false
	}
	w := half * (y - top) / (bottom - top)
	return x >= -w && x <= w
}
