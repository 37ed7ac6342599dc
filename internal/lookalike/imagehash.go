package lookalike

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // avatars come as GIF, JPEG, PNG or WebP
	_ "image/jpeg"
	_ "image/png"
	"io"
	"math"
	"math/bits"
	"sort"

	_ "golang.org/x/image/webp"
)

// Limits on an image to hash: avatars and emblems are small, and a decoder
// allocates width × height before it reads a pixel, so the header is read
// first and huge dimensions refused.
const (
	MaxImageBytes = 5 << 20
	MaxImageSide  = 2048
)

// ErrImage is returned for an image that cannot be hashed: too large,
// unknown format, or broken.
var ErrImage = errors.New("image")

// Hash is an image's perceptual hashes: dHash (gradients of a 9×8
// thumbnail) and pHash (signs of the low frequencies of a 32×32 thumbnail's
// DCT). Both survive scaling, recompression and small colour changes.
type Hash struct {
	D uint64 `json:"d"`
	P uint64 `json:"p"`
}

// Distances at or under which two hashes are the same picture, chosen on
// generated images (imagehash_test.go): rescaled, recompressed and recoloured
// copies of the emblem come within 5 (dHash) and 18 (pHash), other pictures
// 28 or more on both. pHash is looser because a symmetric emblem has many
// frequencies near zero whose sign JPEG noise flips.
const (
	matchD = 12
	matchP = 22
)

// Matches reports whether h and o are the same picture, and their distance:
// the mean of the dHash and pHash distances (0–64).
func (h Hash) Matches(o Hash) (int, bool) {
	p := bits.OnesCount64(h.P ^ o.P)
	d := bits.OnesCount64(h.D ^ o.D)
	return (p + d) / 2, p <= matchP && d <= matchD
}

// HashImage reads an image of at most MaxImageBytes and MaxImageSide pixels a
// side and hashes it.
func HashImage(r io.Reader) (Hash, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return Hash{}, err
	}
	if len(data) > MaxImageBytes {
		return Hash{}, fmt.Errorf("%w: larger than %d bytes", ErrImage, MaxImageBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Hash{}, fmt.Errorf("%w: %v", ErrImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return Hash{}, fmt.Errorf("%w: %s of %d×%d pixels (at most %d a side)", ErrImage, format, cfg.Width, cfg.Height, MaxImageSide)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Hash{}, fmt.Errorf("%w: %v", ErrImage, err)
	}
	return HashOf(img), nil
}

// HashOf hashes a decoded image.
func HashOf(img image.Image) Hash {
	return Hash{D: dHash(img), P: pHash(img)}
}

// gray shrinks img to w×h by averaging the luminance of the pixels falling
// in each cell, with transparency laid over white (avatars are shown on
// light pages).
func gray(img image.Image, w, h int) []float64 {
	b := img.Bounds()
	sum := make([]float64, w*h)
	n := make([]float64, w*h)
	sw, sh := b.Dx(), b.Dy()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		cy := (y - b.Min.Y) * h / sh
		for x := b.Min.X; x < b.Max.X; x++ {
			cx := (x - b.Min.X) * w / sw
			r, g, bl, a := img.At(x, y).RGBA()
			lum := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 0xffff
			white := 1 - float64(a)/0xffff // colours are alpha-premultiplied
			sum[cy*w+cx] += lum + white
			n[cy*w+cx]++
		}
	}
	for i := range sum {
		if n[i] > 0 {
			sum[i] /= n[i]
		}
	}
	// An image smaller than the thumbnail leaves empty cells: fill each from
	// the nearest source pixel's cell.
	if sw < w || sh < h {
		for y := range h {
			for x := range w {
				if n[y*w+x] == 0 {
					sx, sy := x*sw/w, y*sh/h
					sum[y*w+x] = sum[(sy*h/sh)*w+sx*w/sw]
				}
			}
		}
	}
	return sum
}

func dHash(img image.Image) uint64 {
	g := gray(img, 9, 8)
	var h uint64
	for y := range 8 {
		for x := range 8 {
			h <<= 1
			if g[y*9+x] < g[y*9+x+1] {
				h |= 1
			}
		}
	}
	return h
}

const dctN = 32

// dctCos[u][x] = cos((2x+1)uπ / 2N).
var dctCos = func() (c [8][dctN]float64) {
	for u := range 8 {
		for x := range dctN {
			c[u][x] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / (2 * dctN))
		}
	}
	return c
}()

func pHash(img image.Image) uint64 {
	g := gray(img, dctN, dctN)
	// Only the 8×8 lowest frequencies are needed: rows first, then columns.
	var rows [dctN][8]float64
	for y := range dctN {
		for u := range 8 {
			s := 0.0
			for x := range dctN {
				s += g[y*dctN+x] * dctCos[u][x]
			}
			rows[y][u] = s
		}
	}
	var coef [64]float64
	for v := range 8 {
		for u := range 8 {
			s := 0.0
			for y := range dctN {
				s += rows[y][u] * dctCos[v][y]
			}
			coef[v*8+u] = s
		}
	}
	// Compare with the median of the coefficients but the mean (DC term).
	ac := append([]float64(nil), coef[1:]...)
	sort.Float64s(ac)
	med := ac[len(ac)/2]
	var h uint64
	for _, c := range coef {
		h <<= 1
		if c > med {
			h |= 1
		}
	}
	return h
}
