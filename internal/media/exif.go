package media

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// exifData is what one TIFF structure says.
type exifData struct {
	camera             string
	gps                *GPS
	gpsWithoutPosition bool // a GPS IFD with zero or missing coordinates
}

// TIFF tags we read.
const (
	tagMake       = 0x010F
	tagModel      = 0x0110
	tagExifIFD    = 0x8769
	tagGPSIFD     = 0x8825
	tagGPSLatRef  = 1
	tagGPSLat     = 2
	tagGPSLonRef  = 3
	tagGPSLon     = 4
	maxIFDs       = 256 // per file; far more than any camera writes, bounds hostile chains
	ifdEntrySize  = 12
	ifdKindMain   = 0 // IFD0 and the chain after it
	ifdKindSub    = 1 // Exif sub-IFD
	ifdKindGPS    = 2
	typeASCII     = 2
	typeRational  = 5
	typeSRational = 10
)

// typeSizes is the byte size of each TIFF field type; 0 marks an unknown type.
var typeSizes = [...]uint64{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4}

type tiff struct {
	b     []byte
	order binary.ByteOrder
}

type ifdRef struct {
	off  uint32
	kind int
}

// parseTIFF reads camera and GPS position from a TIFF structure (the body of
// an EXIF block), in either byte order. On error it returns what it read
// before the error. ifdsLeft is the file's remaining budget of IFDs to read,
// shared by all its EXIF blocks so that many blocks cannot add up to a hang.
func parseTIFF(b []byte, ifdsLeft *int) (exifData, error) {
	var d exifData
	if len(b) >= 6 && string(b[:5]) == "Exif\x00" {
		b = b[6:] // some PNG writers keep the JPEG APP1 header in eXIf
	}
	if len(b) < 8 {
		return d, errors.New("too short for a TIFF header")
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.order = binary.LittleEndian
	case "MM":
		t.order = binary.BigEndian
	default:
		return d, errors.New("no TIFF byte order mark")
	}
	if t.order.Uint16(b[2:]) != 42 {
		return d, errors.New("bad TIFF magic number")
	}
	var mk, model string
	var lat, lon []float64
	latRef, lonRef := byte('N'), byte('E')
	gpsSeen := false
	queue := []ifdRef{{t.order.Uint32(b[4:]), ifdKindMain}}
	visited := map[uint32]bool{}
	var err error
	for len(queue) > 0 && err == nil {
		ref := queue[0]
		queue = queue[1:]
		if visited[ref.off] {
			err = fmt.Errorf("IFD at offset %d is linked twice", ref.off)
			break
		}
		if *ifdsLeft <= 0 {
			err = fmt.Errorf("more than %d IFDs in the file", maxIFDs)
			break
		}
		*ifdsLeft--
		visited[ref.off] = true
		var entries []byte
		var next uint32
		entries, next, err = t.ifd(ref.off)
		if err != nil {
			break
		}
		if ref.kind == ifdKindGPS {
			gpsSeen = true
		}
		for e := entries; len(e) >= ifdEntrySize; e = e[ifdEntrySize:] {
			tag := t.order.Uint16(e)
			typ, count, val, ok := t.value(e)
			if !ok {
				continue // an unreadable field we do not need is not fatal
			}
			switch ref.kind {
			case ifdKindMain, ifdKindSub:
				switch tag {
				case tagMake:
					if typ == typeASCII && mk == "" {
						mk = cleanText(val)
					}
				case tagModel:
					if typ == typeASCII && model == "" {
						model = cleanText(val)
					}
				case tagExifIFD, tagGPSIFD:
					kind := ifdKindSub
					if tag == tagGPSIFD {
						kind = ifdKindGPS
					}
					if off, ok := t.pointer(typ, count, val); ok {
						queue = append(queue, ifdRef{off, kind})
					}
				}
			case ifdKindGPS:
				switch tag {
				case tagGPSLatRef:
					if len(val) > 0 {
						latRef = val[0]
					}
				case tagGPSLonRef:
					if len(val) > 0 {
						lonRef = val[0]
					}
				case tagGPSLat:
					lat = t.rationals(typ, val)
				case tagGPSLon:
					lon = t.rationals(typ, val)
				}
			}
		}
		if ref.kind == ifdKindMain && next != 0 {
			queue = append(queue, ifdRef{next, ifdKindMain})
		}
	}
	d.camera = camera(mk, model)
	if gpsSeen {
		la, okLat := degrees(lat, latRef, 'S')
		lo, okLon := degrees(lon, lonRef, 'W')
		if okLat && okLon {
			d.gps = validPosition(la, lo)
		}
		d.gpsWithoutPosition = d.gps == nil
	}
	return d, err
}

// ifd returns the entries of the IFD at off and the offset of the next one.
func (t tiff) ifd(off uint32) (entries []byte, next uint32, err error) {
	o := uint64(off)
	if o < 8 || o+2 > uint64(len(t.b)) {
		return nil, 0, fmt.Errorf("IFD offset %d outside the block", off)
	}
	n := uint64(t.order.Uint16(t.b[o:]))
	end := o + 2 + n*ifdEntrySize
	if end > uint64(len(t.b)) {
		return nil, 0, fmt.Errorf("IFD at offset %d with %d entries overruns the block", off, n)
	}
	entries = t.b[o+2 : end]
	if end+4 <= uint64(len(t.b)) {
		next = t.order.Uint32(t.b[end:])
	}
	return entries, next, nil
}

// value returns a field's type, count and bytes, or !ok when the type is
// unknown or the bytes lie outside the block.
func (t tiff) value(e []byte) (typ uint16, count uint32, val []byte, ok bool) {
	typ = t.order.Uint16(e[2:])
	count = t.order.Uint32(e[4:])
	if int(typ) >= len(typeSizes) || typeSizes[typ] == 0 {
		return typ, count, nil, false
	}
	size := uint64(count) * typeSizes[typ]
	if size <= 4 {
		return typ, count, e[8 : 8+size], true
	}
	off := uint64(t.order.Uint32(e[8:]))
	if off+size > uint64(len(t.b)) {
		return typ, count, nil, false
	}
	return typ, count, t.b[off : off+size], true
}

// pointer reads an IFD offset stored as LONG or IFD.
func (t tiff) pointer(typ uint16, count uint32, val []byte) (uint32, bool) {
	if (typ != 4 && typ != 13) || count < 1 || len(val) < 4 {
		return 0, false
	}
	return t.order.Uint32(val), true
}

// rationals reads up to three (signed) rationals; a component 0/0 counts as
// zero, any other zero denominator makes the value unreadable (nil).
func (t tiff) rationals(typ uint16, val []byte) []float64 {
	if typ != typeRational && typ != typeSRational {
		return nil
	}
	var out []float64
	for len(val) >= 8 && len(out) < 3 {
		var num, den float64
		if typ == typeRational {
			num, den = float64(t.order.Uint32(val)), float64(t.order.Uint32(val[4:]))
		} else {
			num, den = float64(int32(t.order.Uint32(val))), float64(int32(t.order.Uint32(val[4:])))
		}
		val = val[8:]
		switch {
		case den != 0:
			out = append(out, num/den)
		case num == 0:
			out = append(out, 0)
		default:
			return nil
		}
	}
	return out
}

// degrees turns degrees, minutes and seconds with a hemisphere reference
// into signed decimal degrees.
func degrees(dms []float64, ref, negative byte) (float64, bool) {
	if len(dms) == 0 {
		return 0, false
	}
	v := 0.0
	for i, div := range []float64{1, 60, 3600}[:len(dms)] {
		if dms[i] < 0 && i > 0 {
			return 0, false
		}
		v += dms[i] / div
	}
	if ref == negative || ref == negative+('a'-'A') {
		v = -v
	}
	return v, true
}
