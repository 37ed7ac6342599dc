package media

import (
	"encoding/binary"
	"image"
	"math/rand/v2"
	"testing"

	mt "github.com/herald-gov/herald/internal/media/mediatest"
)

// bigPhoto is a JPEG of about 3 MB, the size of a phone photo, with EXIF
// and XMP: noise keeps the encoder from compressing it small.
func bigPhoto(b *testing.B) []byte {
	b.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2300, 1750))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.UintN(256))
	}
	jpg := mt.SpliceJPEG(mt.JPEG(b, img, 85),
		mt.APP1EXIF(mt.EXIFTIFF(binary.LittleEndian, mt.Copenhagen)),
		mt.APP1XMP(mt.XMPPacket(`exif:GPSLatitude="55,40.5767N" exif:GPSLongitude="12,34.1017E"`)))
	return jpg
}

func BenchmarkInspect(b *testing.B) {
	jpg := bigPhoto(b)
	b.SetBytes(int64(len(jpg)))
	for b.Loop() {
		if info, err := Inspect(jpg); err != nil || info.GPS == nil {
			b.Fatal(info, err)
		}
	}
	b.ReportMetric(float64(len(jpg))/1e6, "MB/image")
}

func BenchmarkStrip(b *testing.B) {
	jpg := bigPhoto(b)
	b.SetBytes(int64(len(jpg)))
	for b.Loop() {
		if _, err := Strip(jpg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(jpg))/1e6, "MB/image")
}
