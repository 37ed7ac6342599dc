package media

import "encoding/binary"

// Photoshop image resources that carry metadata.
const (
	resIPTC  = 0x0404
	resEXIF1 = 0x0422
	resEXIF3 = 0x0423
	resXMP   = 0x0424
)

// photoshop reads the image resource blocks of a Photoshop APP13 segment
// (or a PNG "Raw profile type 8bim"): IPTC, and the EXIF and XMP that
// Photoshop may keep there as well.
func (r *reader) photoshop(b []byte) {
	other := len(b) == 0 // an empty block is still something Strip removes
	for len(b) > 0 {
		// signature (4), id (2), padded Pascal name (>= 2), size (4)
		if len(b) < 12 {
			r.note("Photoshop resources partly unreadable")
			return
		}
		switch string(b[:4]) {
		case "8BIM", "PHUT", "AgHg", "DCSR":
		default:
			r.note("Photoshop resources partly unreadable")
			return
		}
		id := binary.BigEndian.Uint16(b[4:])
		p := 6 + 1 + int(b[6])
		p += p & 1 // the name, with its length byte, is padded to even
		if p+4 > len(b) {
			r.note("Photoshop resources partly unreadable")
			return
		}
		size := int(binary.BigEndian.Uint32(b[p:]))
		p += 4
		if size < 0 || size > len(b)-p {
			r.note("Photoshop resources partly unreadable")
			return
		}
		data := b[p : p+size]
		switch id {
		case resIPTC:
			r.iptc = true
		case resEXIF1, resEXIF3:
			r.addEXIF(data)
		case resXMP:
			r.addXMP(data)
		default:
			other = true
		}
		p += size + size&1
		b = b[min(p, len(b)):]
	}
	if other {
		r.note("Photoshop resources")
	}
}
