package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// JPEG markers we treat specially.
const (
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerTEM  = 0x01
	markerRST0 = 0xD0
	markerRST7 = 0xD7
	markerAPP0 = 0xE0
	markerAPP1 = 0xE1
	markerAPP2 = 0xE2
	markerAPPD = 0xED
	markerAPPE = 0xEE
	markerAPPF = 0xEF
	markerCOM  = 0xFE
)

// Identifiers at the start of APPn payloads.
const (
	idJFIF        = "JFIF\x00"
	idEXIF        = "Exif\x00"
	idXMP         = "http://ns.adobe.com/xap/1.0/\x00"
	idXMPExtended = "http://ns.adobe.com/xmp/extension/\x00"
	idICC         = "ICC_PROFILE\x00"
	idPhotoshop   = "Photoshop 3.0\x00"
	idAdobe       = "Adobe"
)

// jpegSegment is one marker segment. For a scan (SOS) end includes the
// entropy-coded data that follows its header.
type jpegSegment struct {
	marker     byte
	start, end int    // bytes of the segment from its 0xFF marker byte
	payload    []byte // after the length field, without entropy-coded data
}

// walkJPEG checks the structure of a JPEG from SOI to EOI, calling visit for
// every segment in between, and returns the offset just after EOI. Each
// step moves forward at least two bytes, so hostile input cannot loop.
func walkJPEG(data []byte, visit func(jpegSegment)) (int, error) {
	pos := 2 // after SOI, checked by sniff
	frame, scan := false, false
	for {
		if pos >= len(data) {
			return 0, malformed("JPEG truncated: no end-of-image marker")
		}
		if data[pos] != 0xFF {
			return 0, malformed("JPEG: expected a marker at offset %d", pos)
		}
		for pos < len(data) && data[pos] == 0xFF { // fill bytes
			pos++
		}
		if pos >= len(data) {
			return 0, malformed("JPEG truncated: no end-of-image marker")
		}
		m := data[pos]
		start := pos - 1
		pos++
		switch {
		case m == markerEOI:
			if !scan {
				return 0, malformed("JPEG has no image data")
			}
			return pos, nil
		case m == 0x00 || m == markerSOI:
			return 0, malformed("JPEG: unexpected marker 0x%02X at offset %d", m, start)
		case m == markerTEM || (m >= markerRST0 && m <= markerRST7):
			visit(jpegSegment{marker: m, start: start, end: pos})
			continue
		case m < 0xC0:
			return 0, malformed("JPEG: reserved marker 0x%02X at offset %d", m, start)
		}
		if pos+2 > len(data) {
			return 0, malformed("JPEG truncated in segment 0x%02X at offset %d", m, start)
		}
		n := int(binary.BigEndian.Uint16(data[pos:]))
		if n < 2 {
			return 0, malformed("JPEG: segment 0x%02X at offset %d has bad length %d", m, start, n)
		}
		if pos+n > len(data) {
			return 0, malformed("JPEG truncated in segment 0x%02X at offset %d", m, start)
		}
		payload := data[pos+2 : pos+n]
		pos += n
		switch {
		case m == markerSOS:
			if !frame {
				return 0, malformed("JPEG: scan before frame header at offset %d", start)
			}
			scan = true
			pos = scanEnd(data, pos)
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			frame = true // SOFn; C4, C8 and CC are DHT, JPG and DAC
		}
		visit(jpegSegment{marker: m, start: start, end: pos, payload: payload})
	}
}

// scanEnd returns the offset of the marker that ends the entropy-coded data
// starting at pos (stuffed 0xFF00 and restart markers belong to the data),
// or len(data) when it runs to the end.
func scanEnd(data []byte, pos int) int {
	for {
		i := bytes.IndexByte(data[pos:], 0xFF)
		if i < 0 {
			return len(data)
		}
		pos += i
		j := pos + 1
		for j < len(data) && data[j] == 0xFF {
			j++
		}
		if j >= len(data) {
			return len(data)
		}
		if b := data[j]; b != 0x00 && (b < markerRST0 || b > markerRST7) {
			return pos
		}
		pos = j + 1
	}
}

// keepJPEG reports whether Strip keeps a segment: everything needed to
// decode and colour the image, nothing that describes it.
func keepJPEG(s jpegSegment) bool {
	switch {
	case s.marker == markerAPP0:
		return hasID(s.payload, idJFIF)
	case s.marker == markerAPP2:
		return hasID(s.payload, idICC)
	case s.marker == markerAPPE:
		return hasID(s.payload, idAdobe)
	case s.marker >= markerAPP0 && s.marker <= markerAPPF, s.marker == markerCOM:
		return false
	}
	return true
}

// hasID reports whether a payload starts with an identifier, without
// copying the payload.
func hasID(p []byte, id string) bool { return len(p) >= len(id) && string(p[:len(id)]) == id }

func (r *reader) jpeg(data []byte) error {
	end, err := walkJPEG(data, func(s jpegSegment) {
		if keepJPEG(s) || !r.take() {
			return
		}
		p := s.payload
		switch {
		case s.marker == markerAPP1 && hasID(p, idEXIF) && len(p) >= 6:
			r.addEXIF(s.payload[6:])
		case s.marker == markerAPP1 && hasID(p, idXMP):
			r.addXMP(s.payload[len(idXMP):])
		case s.marker == markerAPP1 && hasID(p, idXMPExtended):
			// GUID (32), full length (4) and offset (4) precede the data.
			if len(p) >= len(idXMPExtended)+40 {
				r.addXMP(s.payload[len(idXMPExtended)+40:])
			} else {
				r.xmp = true
			}
		case s.marker == markerAPPD && hasID(p, idPhotoshop):
			r.photoshop(s.payload[len(idPhotoshop):])
		case s.marker == markerCOM:
			r.note("JPEG comment")
		case s.marker == markerAPP2 && hasID(p, "MPF\x00"):
			r.note("multi-picture index (MPF)")
		default:
			r.note(appNames[s.marker-markerAPP0])
		}
	})
	if err != nil {
		return err
	}
	if end < len(data) {
		r.note(fmt.Sprintf("%d bytes after the end of the image", len(data)-end))
	}
	return nil
}

// appNames names APPn segments without an identifier we know.
var appNames = func() (names [16]string) {
	for i := range names {
		names[i] = fmt.Sprintf("APP%d block", i)
	}
	return names
}()

func stripJPEG(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, markerSOI)
	_, err := walkJPEG(data, func(s jpegSegment) {
		if keepJPEG(s) {
			out = append(out, data[s.start:s.end]...)
		}
	})
	if err != nil {
		return nil, err
	}
	return append(out, 0xFF, markerEOI), nil
}
