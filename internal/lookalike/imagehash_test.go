package lookalike

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/draw"
)

func scaled(src image.Image, size int) image.Image {
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return dst
}

func encode(t *testing.T, img image.Image, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 55})
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func hashBytes(t *testing.T, data []byte) Hash {
	t.Helper()
	h, err := HashImage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// recolour shifts every colour a little, as a re-export or filter would.
func recolour(src image.Image) image.Image {
	b := src.Bounds()
	dst := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
			dst.SetNRGBA(x, y, color.NRGBA{uint8(min(255, int(c.R)+25)), uint8(int(c.G) * 9 / 10), c.B, c.A})
		}
	}
	return dst
}

func TestHashSameEmblem(t *testing.T) {
	emblem := HashOf(PlaceholderEmblem(256))
	copies := map[string][]byte{
		"scaled to 48 px, PNG":         encode(t, scaled(PlaceholderEmblem(256), 48), "png"),
		"scaled to 400 px, JPEG q55":   encode(t, scaled(PlaceholderEmblem(256), 400), "jpeg"),
		"JPEG q55":                     encode(t, PlaceholderEmblem(256), "jpeg"),
		"GIF (palette)":                encode(t, PlaceholderEmblem(200), "gif"),
		"recoloured, scaled to 128 px": encode(t, recolour(scaled(PlaceholderEmblem(256), 128)), "jpeg"),
	}
	for name, data := range copies {
		d, ok := hashBytes(t, data).Matches(emblem)
		if !ok {
			t.Errorf("%s: does not match the emblem (pHash distance %d)", name, d)
		}
	}
}

func TestHashDifferentImages(t *testing.T) {
	emblem := HashOf(PlaceholderEmblem(256))
	rng := rand.New(rand.NewPCG(1, 2))
	noise := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
	}
	square := image.NewNRGBA(image.Rect(0, 0, 128, 128))
	gradient := image.NewNRGBA(image.Rect(0, 0, 128, 128))
	checker := image.NewNRGBA(image.Rect(0, 0, 128, 128))
	inverted := image.NewNRGBA(image.Rect(0, 0, 128, 128))
	pe := PlaceholderEmblem(128)
	for y := range 128 {
		for x := range 128 {
			v := uint8(0xff)
			if x > 30 && x < 98 && y > 30 && y < 98 {
				v = 0x20
			}
			square.SetNRGBA(x, y, color.NRGBA{v, v, 0x80, 0xff})
			gradient.SetNRGBA(x, y, color.NRGBA{uint8(x * 2), uint8(y * 2), 0x80, 0xff})
			c := uint8(0)
			if (x/16+y/16)%2 == 0 {
				c = 0xff
			}
			checker.SetNRGBA(x, y, color.NRGBA{c, c, c, 0xff})
			o := pe.NRGBAAt(x, y)
			inverted.SetNRGBA(x, y, color.NRGBA{0xff - o.R, 0xff - o.G, 0xff - o.B, 0xff})
		}
	}
	for name, img := range map[string]image.Image{"noise": noise, "dark square": square, "gradient": gradient,
		"checkerboard": checker, "inverted emblem": inverted} {
		if d, ok := HashOf(img).Matches(emblem); ok {
			t.Errorf("%s matches the emblem (pHash distance %d)", name, d)
		}
	}
}

// The committed default emblem is the one PlaceholderEmblem draws.
func TestDefaultPackEmblem(t *testing.T) {
	data, err := os.ReadFile("../policy/packs/emblem.png")
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := hashBytes(t, data).Matches(HashOf(PlaceholderEmblem(256))); !ok || d != 0 {
		t.Errorf("packs/emblem.png is not the placeholder (distance %d); run go generate ./internal/lookalike", d)
	}
}

// pngHeader is the start of a PNG claiming w×h pixels, enough for DecodeConfig.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestHashImageRefuses(t *testing.T) {
	cases := map[string][]byte{
		"huge dimensions": pngHeader(100000, 100000),
		"one side huge":   pngHeader(10, MaxImageSide+1),
		"too many bytes":  append(encode(t, PlaceholderEmblem(8), "png"), make([]byte, MaxImageBytes)...),
		"not an image":    []byte("<html>not an image</html>"),
		"empty":           nil,
		"truncated PNG":   encode(t, PlaceholderEmblem(64), "png")[:100],
	}
	for name, data := range cases {
		_, err := HashImage(bytes.NewReader(data))
		if !errors.Is(err, ErrImage) {
			t.Errorf("%s: err = %v, want ErrImage", name, err)
		}
	}
	_, err := HashImage(bytes.NewReader(pngHeader(100000, 100000)))
	if err == nil || !strings.Contains(err.Error(), "100000") {
		t.Errorf("huge image error %v does not give its size", err)
	}
}

func BenchmarkHashImage(b *testing.B) {
	var buf bytes.Buffer
	png.Encode(&buf, PlaceholderEmblem(400))
	data := buf.Bytes()
	for b.Loop() {
		if _, err := HashImage(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzHashImage(f *testing.F) {
	var png8, gif8 bytes.Buffer
	png.Encode(&png8, PlaceholderEmblem(8))
	gif.Encode(&gif8, PlaceholderEmblem(8), nil)
	for _, seed := range [][]byte{png8.Bytes(), gif8.Bytes(), pngHeader(1, 1), pngHeader(100000, 1), []byte("RIFF\x00\x00\x00\x00WEBPVP8L"), nil} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := HashImage(bytes.NewReader(data)); err != nil && !errors.Is(err, ErrImage) {
			t.Fatalf("error %v is not ErrImage", err)
		}
	})
}
