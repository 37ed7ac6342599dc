package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	mt "github.com/herald-gov/herald/internal/media/mediatest"
)

type want struct {
	format          string
	exif, xmp, iptc bool
	gps             *GPS
	camera          string
	other           []string // substrings each expected in some Info.Other entry
}

type imageCase struct {
	name  string
	data  []byte
	plain []byte // the encoder's output the case was built from
	want  want
}

func zlibBytes(b []byte) []byte {
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// cases builds the camera-style images every test below uses.
func cases(tb testing.TB) []imageCase {
	tb.Helper()
	img := mt.Photo(64, 48)
	jpg := mt.JPEG(tb, img, 90)
	pngData := mt.PNG(tb, img)
	le, be := binary.LittleEndian, binary.BigEndian
	cph := &GPS{55.6763, 12.5684}
	scl := &GPS{-33.4490, -70.6480}
	paris := &GPS{48.858333, 2.29}
	zero := mt.Camera{Make: "Canon", Model: "EOS R5", GPS: true, LatRef: "N", Lat: []uint32{0, 1, 0, 1, 0, 1},
		LonRef: "E", Lon: []uint32{0, 1, 0, 1, 0, 1}}
	noLon := mt.Copenhagen
	noLon.Lon, noLon.LonRef = nil, ""
	xmpGPS := mt.XMPPacket(`exif:GPSLatitude="48,51.5N" exif:GPSLongitude="2,17.4E" tiff:Make="FUJIFILM" tiff:Model="X-T4"`)
	itxtXMP := append([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"), xmpGPS...)
	itxtXMPz := append([]byte("XML:com.adobe.xmp\x00\x01\x00\x00\x00"), zlibBytes(xmpGPS)...)
	ztxtExif := append([]byte("Raw profile type exif\x00\x00"),
		zlibBytes(mt.RawProfileText("exif", append([]byte("Exif\x00\x00"), mt.EXIFTIFF(le, mt.Copenhagen)...)))...)
	// IFD0 links to itself as its next IFD: a cycle a naive reader follows forever.
	cycle := mt.BuildTIFF(be, [][]mt.TIFFEntry{{mt.ASCIIField(tagMake, "Loop")}}, map[int]int{0: 0})
	icc := mt.Segment(markerAPP2, []byte(idICC), []byte{1, 1}, bytes.Repeat([]byte{0x42}, 128))
	jfif := mt.Segment(markerAPP0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"))
	adobe := mt.Segment(markerAPPE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))

	return []imageCase{
		{"jpeg plain", jpg, jpg, want{format: "jpeg"}},
		{"jpeg exif little-endian gps", mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(le, mt.Copenhagen))), jpg,
			want{format: "jpeg", exif: true, gps: cph, camera: "Canon EOS 5D Mark IV"}},
		{"jpeg exif big-endian gps south west", mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(be, mt.Santiago))), jpg,
			want{format: "jpeg", exif: true, gps: scl, camera: "Apple iPhone 12"}},
		{"jpeg exif without gps", mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(le, mt.Camera{Make: "NIKON", Model: "D750"}))), jpg,
			want{format: "jpeg", exif: true, camera: "NIKON D750"}},
		{"jpeg gps ifd with zero position", mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(be, zero))), jpg,
			want{format: "jpeg", exif: true, camera: "Canon EOS R5", other: []string{"GPS block without a position"}}},
		{"jpeg gps ifd without longitude", mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(le, noLon))), jpg,
			want{format: "jpeg", exif: true, camera: "Canon EOS 5D Mark IV", other: []string{"GPS block without a position"}}},
		{"jpeg xmp gps", mt.SpliceJPEG(jpg, mt.APP1XMP(xmpGPS)), jpg,
			want{format: "jpeg", xmp: true, gps: paris, camera: "FUJIFILM X-T4"}},
		{"jpeg iptc", mt.SpliceJPEG(jpg, mt.APP13IPTC()), jpg, want{format: "jpeg", iptc: true}},
		{"jpeg everything", mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(le, mt.Copenhagen)), mt.APP1XMP(xmpGPS), mt.APP13IPTC(),
			mt.Segment(markerCOM, []byte("shot by A. Photographer"))), jpg,
			want{format: "jpeg", exif: true, xmp: true, iptc: true, gps: cph, camera: "Canon EOS 5D Mark IV",
				other: []string{"JPEG comment"}}},
		{"jpeg colour segments only", mt.SpliceJPEG(jpg, jfif, icc, adobe), mt.SpliceJPEG(jpg, jfif, icc, adobe),
			want{format: "jpeg"}},
		{"jpeg colour segments and metadata", mt.SpliceJPEG(jpg, jfif, mt.APP1EXIF(mt.EXIFTIFF(be, mt.Santiago)), icc, adobe,
			mt.Segment(0xEC, []byte("Ducky\x00\x01"))), mt.SpliceJPEG(jpg, jfif, icc, adobe),
			want{format: "jpeg", exif: true, gps: scl, camera: "Apple iPhone 12", other: []string{"APP12 block"}}},
		{"jpeg exif ifd cycle", mt.SpliceJPEG(jpg, mt.APP1EXIF(cycle)), jpg,
			want{format: "jpeg", exif: true, camera: "Loop", other: []string{"linked twice"}}},
		{"jpeg trailing data", append(mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(le, mt.Copenhagen))), "trailer"...), jpg,
			want{format: "jpeg", exif: true, gps: cph, camera: "Canon EOS 5D Mark IV", other: []string{"7 bytes after the end"}}},
		{"jpeg exif inside photoshop block", mt.SpliceJPEG(jpg, mt.Segment(markerAPPD, []byte(idPhotoshop),
			mt.PhotoshopBlock(resEXIF1, mt.EXIFTIFF(be, mt.Copenhagen)))), jpg,
			want{format: "jpeg", exif: true, gps: cph, camera: "Canon EOS 5D Mark IV"}},

		{"png plain", pngData, pngData, want{format: "png"}},
		{"png exif big-endian gps", mt.SplicePNG(pngData, mt.Chunk("eXIf", mt.EXIFTIFF(be, mt.Copenhagen))), pngData,
			want{format: "png", exif: true, gps: cph, camera: "Canon EOS 5D Mark IV"}},
		{"png xmp itxt", mt.SplicePNG(pngData, mt.Chunk("iTXt", itxtXMP)), pngData,
			want{format: "png", xmp: true, gps: paris, camera: "FUJIFILM X-T4"}},
		{"png xmp itxt compressed", mt.SplicePNG(pngData, mt.Chunk("iTXt", itxtXMPz)), pngData,
			want{format: "png", xmp: true, gps: paris, camera: "FUJIFILM X-T4"}},
		{"png imagemagick raw exif profile", mt.SplicePNG(pngData, mt.Chunk("zTXt", ztxtExif)), pngData,
			want{format: "png", exif: true, gps: cph, camera: "Canon EOS 5D Mark IV"}},
		{"png text and time", mt.SplicePNG(pngData, mt.Chunk("tEXt", []byte("Author\x00A. Photographer")),
			mt.Chunk("tIME", []byte{0x07, 0xE8, 5, 17, 9, 41, 0})), pngData,
			want{format: "png", other: []string{`PNG text "Author"`, "PNG modification time"}}},
		{"png keeps other chunks", mt.SplicePNG(pngData, mt.Chunk("gAMA", []byte{0, 0, 0xB1, 0x8F})),
			mt.SplicePNG(pngData, mt.Chunk("gAMA", []byte{0, 0, 0xB1, 0x8F})), want{format: "png"}},
	}
}

func TestInspect(t *testing.T) {
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			info, err := Inspect(c.data)
			if err != nil {
				t.Fatal(err)
			}
			w := c.want
			if info.Format != w.format || info.EXIF != w.exif || info.XMP != w.xmp || info.IPTC != w.iptc {
				t.Errorf("got format %q exif %v xmp %v iptc %v, want %q %v %v %v",
					info.Format, info.EXIF, info.XMP, info.IPTC, w.format, w.exif, w.xmp, w.iptc)
			}
			switch {
			case (info.GPS == nil) != (w.gps == nil):
				t.Errorf("GPS = %v, want %v", info.GPS, w.gps)
			case w.gps != nil && (math.Abs(info.GPS.Lat-w.gps.Lat) > 5e-5 || math.Abs(info.GPS.Lon-w.gps.Lon) > 5e-5):
				t.Errorf("GPS = %+v, want %+v", *info.GPS, *w.gps)
			}
			if info.Camera != w.camera {
				t.Errorf("Camera = %q, want %q", info.Camera, w.camera)
			}
			for _, o := range w.other {
				if !slices.ContainsFunc(info.Other, func(s string) bool { return strings.Contains(s, o) }) {
					t.Errorf("Other = %q, want an entry with %q", info.Other, o)
				}
			}
			if len(w.other) == 0 && len(info.Other) > 0 {
				t.Errorf("Other = %q, want none", info.Other)
			}
		})
	}
}

func TestStrip(t *testing.T) {
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			out, err := Strip(c.data)
			if err != nil {
				t.Fatal(err)
			}
			info, err := Inspect(out)
			if err != nil {
				t.Fatalf("stripped image does not inspect: %v", err)
			}
			if info.HasMetadata() || info.Format != c.want.format {
				t.Errorf("stripped image still has %+v", info)
			}
			// Only removable blocks were spliced into plain, so stripping
			// must give back exactly the bytes the encoder wrote.
			if !bytes.Equal(out, c.plain) {
				t.Errorf("stripped image (%d bytes) differs from the original encoding (%d bytes)", len(out), len(c.plain))
			}
			if c.want.format == "jpeg" {
				scan := jpegScan(t, c.plain)
				if !bytes.HasSuffix(out, scan) {
					t.Errorf("scan data (%d bytes) not kept byte for byte", len(scan))
				}
			}
			before, _, err := image.Decode(bytes.NewReader(c.data))
			if err != nil {
				t.Fatalf("decoding the original: %v", err)
			}
			after, _, err := image.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("decoding the stripped copy: %v", err)
			}
			samePixels(t, before, after)
		})
	}
}

// jpegScan returns the bytes from the first SOS marker to the end of an
// encoder's output, found with the segment lengths (not by searching).
func jpegScan(t *testing.T, jpg []byte) []byte {
	for p := 2; p+4 <= len(jpg); p += 2 + int(binary.BigEndian.Uint16(jpg[p+2:])) {
		if jpg[p] != 0xFF {
			t.Fatalf("no marker at %d", p)
		}
		if jpg[p+1] == markerSOS {
			return jpg[p:]
		}
	}
	t.Fatal("no SOS")
	return nil
}

func samePixels(t *testing.T, a, b image.Image) {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("bounds %v != %v", a.Bounds(), b.Bounds())
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("pixel (%d,%d) differs", x, y)
			}
		}
	}
}

func TestRefusesBrokenFiles(t *testing.T) {
	img := mt.Photo(16, 16)
	jpg := mt.JPEG(t, img, 80)
	pngData := mt.PNG(t, img)
	exif := mt.SpliceJPEG(jpg, mt.APP1EXIF(mt.EXIFTIFF(binary.LittleEndian, mt.Copenhagen)))
	badCRC := bytes.Clone(pngData)
	badCRC[len(pngSignature)+12+13+3]-- // last byte of IHDR's CRC
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrUnsupported},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), ErrUnsupported},
		{"text", []byte("hello, world"), ErrUnsupported},
		{"too large", append(bytes.Clone(jpg), make([]byte, MaxImageBytes)...), ErrTooLarge},
		{"jpeg segment length below 2", mt.SpliceJPEG(jpg, []byte{0xFF, markerAPP1, 0, 1}), ErrMalformed},
		{"jpeg segment length past the end", append(bytes.Clone(jpg[:2]), 0xFF, markerAPP1, 0xFF, 0xF0, 'E'), ErrMalformed},
		{"jpeg garbage between segments", mt.SpliceJPEG(jpg, mt.Segment(markerCOM, []byte("c")), []byte{0x12, 0x34}), ErrMalformed},
		{"jpeg scan before frame", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 1, 2, 0xFF, 0xD9}, ErrMalformed},
		{"jpeg without scan", []byte{0xFF, 0xD8, 0xFF, 0xD9}, ErrMalformed},
		{"jpeg second SOI", mt.SpliceJPEG(jpg, []byte{0xFF, 0xD8}), ErrMalformed},
		{"jpeg reserved marker", mt.SpliceJPEG(jpg, []byte{0xFF, 0x02, 0, 2}), ErrMalformed},
		{"png bad crc", badCRC, ErrMalformed},
		{"png chunk length past the end", append(bytes.Clone(pngData[:8]), 0x7F, 0xFF, 0xFF, 0xFF, 'I', 'H', 'D', 'R', 0, 0, 0, 0), ErrMalformed},
		{"png huge chunk length", append(bytes.Clone(pngData[:8]), 0xFF, 0xFF, 0xFF, 0xFF, 'I', 'H', 'D', 'R', 0, 0, 0, 0), ErrMalformed},
		{"png bad chunk type", mt.SplicePNG(pngData, mt.Chunk("t3Xt", []byte("x"))), ErrMalformed},
		{"png without IHDR first", append(bytes.Clone(pngSignature), pngData[8+25:]...), ErrMalformed},
		{"png without IDAT", append(bytes.Clone(pngData[:8+25]), mt.Chunk("IEND", nil)...), ErrMalformed},
	}
	for n := range len(exif) {
		cases = append(cases, struct {
			name string
			data []byte
			want error
		}{"jpeg truncated at " + strconv.Itoa(n), exif[:n], nil})
	}
	for n := range len(pngData) {
		cases = append(cases, struct {
			name string
			data []byte
			want error
		}{"png truncated at " + strconv.Itoa(n), pngData[:n], nil})
	}
	for _, c := range cases {
		_, err1 := Inspect(c.data)
		_, err2 := Strip(c.data)
		for _, err := range []error{err1, err2} {
			if err == nil {
				t.Errorf("%s: no error", c.name)
			} else if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("%s: error %q, want %q", c.name, err, c.want)
			}
		}
	}
}

// TestWorkBudgets checks that a file of many hostile blocks is cut off by
// the per-file budgets rather than read to the end.
func TestWorkBudgets(t *testing.T) {
	pngData := mt.PNG(t, mt.Photo(8, 8))
	var exifs [][]byte
	for range maxIFDs + 10 {
		exifs = append(exifs, mt.Chunk("eXIf", mt.EXIFTIFF(binary.BigEndian, mt.Camera{Make: "X"})))
	}
	bomb := zlibBytes(bytes.Repeat([]byte{' '}, maxTextBytes))
	var bombs [][]byte
	for range 6 {
		bombs = append(bombs, mt.Chunk("iTXt", append([]byte("XML:com.adobe.xmp\x00\x01\x00\x00\x00"), bomb...)))
	}
	for _, c := range []struct {
		name string
		data []byte
		note string
	}{
		{"many EXIF blocks", mt.SplicePNG(pngData, exifs...), "more than 256 IFDs"},
		{"zlib bombs", mt.SplicePNG(pngData, bombs...), "MB of compressed text"},
	} {
		info, err := Inspect(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.ContainsFunc(info.Other, func(s string) bool { return strings.Contains(s, c.note) }) {
			t.Errorf("%s: Other = %q, want a note with %q", c.name, info.Other, c.note)
		}
	}
}

func TestNotesAreBounded(t *testing.T) {
	var segs, chunks [][]byte
	for i := range maxBlocks + 10 {
		segs = append(segs, mt.Segment(mt.APPC, []byte("Ducky")))
		chunks = append(chunks, mt.Chunk("tEXt", []byte("k"+strconv.Itoa(i)+"\x00v")))
	}
	jpg := mt.SpliceJPEG(mt.JPEG(t, mt.Photo(8, 8), 80), segs...)
	pngData := mt.SplicePNG(mt.PNG(t, mt.Photo(8, 8)), chunks...)
	info, err := Inspect(jpg)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"APP12 block", "more than 4096 metadata blocks; the rest not read"}; !slices.Equal(info.Other, want) {
		t.Errorf("JPEG: Other = %q, want %q", info.Other, want)
	}
	info, err = Inspect(pngData)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Other) != maxNotes || info.Other[maxNotes-1] != moreNotes {
		t.Errorf("PNG: Other has %d entries ending %q; want %d ending %q", len(info.Other), info.Other[len(info.Other)-1], maxNotes, moreNotes)
	}
}
