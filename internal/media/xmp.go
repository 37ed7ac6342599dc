package media

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

type xmpData struct {
	gps    *GPS
	camera string
}

// readXMP finds the GPS position and camera in an XMP packet. It scans for
// the properties rather than parsing XML, so a damaged packet still gives
// up a position other software might read from it.
func readXMP(x []byte) xmpData {
	var d xmpData
	latText, okLat := xmpProp(x, "GPSLatitude")
	lonText, okLon := xmpProp(x, "GPSLongitude")
	if okLat && okLon {
		lat, ok1 := xmpCoord(latText)
		lon, ok2 := xmpCoord(lonText)
		if ok1 && ok2 {
			d.gps = validPosition(lat, lon)
		}
	}
	mk, _ := xmpProp(x, "Make")
	model, _ := xmpProp(x, "Model")
	d.camera = camera(cleanText([]byte(mk)), cleanText([]byte(model)))
	return d
}

// xmpProp returns the value of the first prefixed property named name,
// written either as an attribute (exif:GPSLatitude="...") or as an element
// (<exif:GPSLatitude>...</exif:GPSLatitude>).
func xmpProp(x []byte, name string) (string, bool) {
	for from := 0; from < len(x); {
		i := bytes.Index(x[from:], []byte(name))
		if i < 0 {
			return "", false
		}
		i += from
		from = i + len(name)
		if i == 0 || x[i-1] != ':' {
			continue
		}
		rest := bytes.TrimLeft(x[from:], " \t\r\n")
		switch {
		case len(rest) > 0 && rest[0] == '=':
			rest = bytes.TrimLeft(rest[1:], " \t\r\n")
			if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
				continue
			}
			end := bytes.IndexByte(rest[1:], rest[0])
			if end < 0 {
				continue
			}
			return string(rest[1 : 1+end]), true
		case len(rest) > 0 && rest[0] == '>':
			// An element: the name must open a tag, not close one. The
			// look-back is bounded so hostile text cannot make this quadratic.
			start := bytes.LastIndexByte(x[max(0, i-64):i], '<')
			if start < 0 || bytes.ContainsAny(x[max(0, i-64)+start:i], "/> \t\r\n") {
				continue
			}
			end := bytes.IndexByte(rest[1:], '<')
			if end < 0 {
				continue
			}
			return string(rest[1 : 1+end]), true
		}
	}
	return "", false
}

// xmpCoord reads an XMP GPSCoordinate ("DDD,MM,SSk", "DDD,MM.mmk") and the
// decimal forms some writers use instead ("48.8575N", "-48.8575").
func xmpCoord(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	sign := 1.0
	switch s[len(s)-1] {
	case 'S', 's', 'W', 'w':
		sign = -1
		s = s[:len(s)-1]
	case 'N', 'n', 'E', 'e':
		s = s[:len(s)-1]
	}
	parts := strings.Split(s, ",")
	if len(parts) > 3 {
		return 0, false
	}
	v := 0.0
	for i, div := range []float64{1, 60, 3600}[:len(parts)] {
		f, err := strconv.ParseFloat(strings.TrimSpace(parts[i]), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, false
		}
		if i == 0 && f < 0 {
			sign, f = -sign, -f
		} else if f < 0 {
			return 0, false
		}
		v += f / div
	}
	return sign * v, true
}
