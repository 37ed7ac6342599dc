// Package mediatest builds camera-style images for tests: a real image
// encoded by the standard library, with EXIF, XMP, IPTC and PNG text
// blocks written here and spliced in where cameras and editors put them.
package mediatest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"testing"
)

// JPEG markers and identifiers the builders write.
const (
	APP0 = 0xE0
	APP1 = 0xE1
	APP2 = 0xE2
	APPC = 0xEC
	APPD = 0xED
	APPE = 0xEE
	COM  = 0xFE

	IDXMP       = "http://ns.adobe.com/xap/1.0/\x00"
	IDICC       = "ICC_PROFILE\x00"
	IDPhotoshop = "Photoshop 3.0\x00"
)

// TIFF tags and types, and Photoshop resource ids, the builders write.
const (
	TagMake      = 0x010F
	TagModel     = 0x0110
	TagDateTime  = 0x0132
	TagExifIFD   = 0x8769
	TagGPSIFD    = 0x8825
	TagGPSLatRef = 1
	TagGPSLat    = 2
	TagGPSLonRef = 3
	TagGPSLon    = 4
	TypeASCII    = 2
	TypeLong     = 4
	TypeRational = 5
	ResIPTC      = 0x0404
	ResEXIF      = 0x0422
)

// Photo is a w×h image with gradients and some structure, so encoders
// produce non-trivial data.
func Photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xFF), 0xFF})
		}
	}
	return img
}

// JPEG encodes img with image/jpeg.
func JPEG(tb testing.TB, img image.Image, quality int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// PNG encodes img with image/png.
func PNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Segment is a JPEG marker segment with its length field.
func Segment(marker byte, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	out := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(body)+2))
	return append(out, body...)
}

// SpliceJPEG inserts segments right after SOI, where cameras put them.
func SpliceJPEG(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// Chunk is a PNG chunk with its CRC.
func Chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// SplicePNG inserts chunks right after IHDR, before any image data.
func SplicePNG(p []byte, chunks ...[]byte) []byte {
	const afterIHDR = 8 + 12 + 13
	out := append([]byte{}, p[:afterIHDR]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[afterIHDR:]...)
}

// TIFFEntry is one IFD field; when IFD > 0 the field points at ifds[IFD].
type TIFFEntry struct {
	Tag, Type uint16
	Count     uint32
	Data      []byte
	IFD       int
}

// BuildTIFF lays out IFDs (ifds[0] is IFD0) and their out-of-line values in
// byte order o. next[i] = j chains IFD i to IFD j.
func BuildTIFF(o binary.ByteOrder, ifds [][]TIFFEntry, next map[int]int) []byte {
	offs := make([]int, len(ifds))
	cursor := 8
	for i, ifd := range ifds {
		offs[i] = cursor
		cursor += 2 + 12*len(ifd) + 4
	}
	out := make([]byte, cursor)
	if o == binary.LittleEndian {
		copy(out, "II")
	} else {
		copy(out, "MM")
	}
	o.PutUint16(out[2:], 42)
	o.PutUint32(out[4:], uint32(offs[0]))
	for i, ifd := range ifds {
		p := offs[i]
		o.PutUint16(out[p:], uint16(len(ifd)))
		for k, e := range ifd {
			q := p + 2 + 12*k
			o.PutUint16(out[q:], e.Tag)
			o.PutUint16(out[q+2:], e.Type)
			o.PutUint32(out[q+4:], e.Count)
			switch {
			case e.IFD > 0:
				o.PutUint32(out[q+8:], uint32(offs[e.IFD]))
			case len(e.Data) <= 4:
				copy(out[q+8:], e.Data)
			default:
				o.PutUint32(out[q+8:], uint32(len(out)))
				out = append(out, e.Data...)
			}
		}
		if j, ok := next[i]; ok {
			o.PutUint32(out[p+2+12*len(ifd):], uint32(offs[j]))
		}
	}
	return out
}

// ASCIIField is a NUL-terminated ASCII field.
func ASCIIField(tag uint16, s string) TIFFEntry {
	return TIFFEntry{Tag: tag, Type: TypeASCII, Count: uint32(len(s) + 1), Data: append([]byte(s), 0)}
}

// RationalField holds numerator, denominator pairs.
func RationalField(o binary.ByteOrder, tag uint16, parts ...uint32) TIFFEntry {
	b := make([]byte, 4*len(parts))
	for i, p := range parts {
		o.PutUint32(b[4*i:], p)
	}
	return TIFFEntry{Tag: tag, Type: TypeRational, Count: uint32(len(parts) / 2), Data: b}
}

// Camera is what a test camera records. Lat and Lon are numerator,
// denominator pairs for degrees, minutes and seconds; nil leaves them out.
type Camera struct {
	Make, Model    string
	GPS            bool
	LatRef, LonRef string
	Lat, Lon       []uint32
}

// Copenhagen is 55°40'34.6"N 12°34'6.1"E, i.e. 55.67628, 12.56836.
var Copenhagen = Camera{Make: "Canon", Model: "Canon EOS 5D Mark IV", GPS: true,
	LatRef: "N", Lat: []uint32{55, 1, 40, 1, 346, 10},
	LonRef: "E", Lon: []uint32{12, 1, 34, 1, 61, 10}}

// Santiago is 33°26'56.4"S 70°38'52.8"W, i.e. -33.4490, -70.6480.
var Santiago = Camera{Make: "Apple", Model: "iPhone 12", GPS: true,
	LatRef: "S", Lat: []uint32{33, 1, 26, 1, 564, 10},
	LonRef: "W", Lon: []uint32{70, 1, 38, 1, 528, 10}}

// EXIFTIFF builds IFD0 (Make, Model, DateTime), an Exif sub-IFD and, when
// c.GPS, a GPS IFD, the way a camera lays them out.
func EXIFTIFF(o binary.ByteOrder, c Camera) []byte {
	ifd0 := []TIFFEntry{
		ASCIIField(TagMake, c.Make),
		ASCIIField(TagModel, c.Model),
		ASCIIField(TagDateTime, "2024:05:17 09:41:00"),
		{Tag: TagExifIFD, Type: TypeLong, Count: 1, IFD: 1},
	}
	ifds := [][]TIFFEntry{ifd0, {ASCIIField(0x9003, "2024:05:17 09:41:00")}}
	if c.GPS {
		ifds[0] = append(ifd0, TIFFEntry{Tag: TagGPSIFD, Type: TypeLong, Count: 1, IFD: 2})
		var g []TIFFEntry
		if c.LatRef != "" {
			g = append(g, ASCIIField(TagGPSLatRef, c.LatRef))
		}
		if c.Lat != nil {
			g = append(g, RationalField(o, TagGPSLat, c.Lat...))
		}
		if c.LonRef != "" {
			g = append(g, ASCIIField(TagGPSLonRef, c.LonRef))
		}
		if c.Lon != nil {
			g = append(g, RationalField(o, TagGPSLon, c.Lon...))
		}
		ifds = append(ifds, g)
	}
	return BuildTIFF(o, ifds, nil)
}

// APP1EXIF wraps a TIFF structure in a JPEG EXIF segment.
func APP1EXIF(tiff []byte) []byte { return Segment(APP1, []byte("Exif\x00\x00"), tiff) }

// XMPPacket is an XMP packet whose rdf:Description carries props.
func XMPPacket(props string) []byte {
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" ` + props + `/>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`)
}

// APP1XMP wraps an XMP packet in a JPEG segment.
func APP1XMP(packet []byte) []byte { return Segment(APP1, []byte(IDXMP), packet) }

// IPTCRecord is an IPTC IIM dataset 2:tag.
func IPTCRecord(tag byte, s string) []byte {
	return append([]byte{0x1C, 2, tag, byte(len(s) >> 8), byte(len(s))}, s...)
}

// PhotoshopBlock is one 8BIM image resource with an empty name.
func PhotoshopBlock(id uint16, data []byte) []byte {
	b := []byte("8BIM")
	b = binary.BigEndian.AppendUint16(b, id)
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// APP13IPTC is a Photoshop segment with an IPTC caption, city and byline.
func APP13IPTC() []byte {
	iptc := bytes.Join([][]byte{IPTCRecord(120, "Market day in Juba"), IPTCRecord(90, "Juba"), IPTCRecord(80, "A. Photographer")}, nil)
	return Segment(APPD, []byte(IDPhotoshop), PhotoshopBlock(ResIPTC, iptc))
}

// RawProfileText is ImageMagick's hex layout for a profile in a PNG text chunk.
func RawProfileText(name string, raw []byte) []byte {
	var b bytes.Buffer
	b.WriteString("\n" + name + "\n")
	b.WriteString("    " + strconv.Itoa(len(raw)) + "\n")
	const hexdigits = "0123456789abcdef"
	for i, c := range raw {
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
		if i%36 == 35 {
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// GPSJPEG is a small JPEG as a phone writes it: EXIF with camera and the
// Copenhagen position, XMP and IPTC.
func GPSJPEG(tb testing.TB) []byte {
	tb.Helper()
	return SpliceJPEG(JPEG(tb, Photo(64, 48), 90),
		APP1EXIF(EXIFTIFF(binary.LittleEndian, Copenhagen)),
		APP1XMP(XMPPacket(`exif:GPSLatitude="55,40.5767N" exif:GPSLongitude="12,34.1017E"`)),
		APP13IPTC())
}
