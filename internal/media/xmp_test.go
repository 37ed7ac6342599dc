package media

import (
	"math"
	"testing"
)

func TestReadXMP(t *testing.T) {
	cases := []struct {
		name     string
		packet   string
		lat, lon float64 // both 0: no position expected
		camera   string
	}{
		{"attributes degrees and decimal minutes", `<rdf:Description exif:GPSLatitude="48,51.5N" exif:GPSLongitude="2,17.4E"/>`, 48.858333, 2.29, ""},
		{"attributes degrees minutes seconds south west", `<rdf:Description exif:GPSLatitude='33,26,56.4S' exif:GPSLongitude='70,38,52.8W'/>`, -33.449, -70.648, ""},
		{"elements", `<exif:GPSLatitude>55,40.5767N</exif:GPSLatitude><exif:GPSLongitude>12,34.1017E</exif:GPSLongitude>`, 55.676278, 12.568362, ""},
		{"other prefix and decimal form", `<e:GPSLatitude>-1.2921</e:GPSLatitude><e:GPSLongitude>36.8219E</e:GPSLongitude>`, -1.2921, 36.8219, ""},
		{"ref properties are not coordinates", `exif:GPSLatitudeRef="N" exif:GPSLongitudeRef="E"`, 0, 0, ""},
		{"zero position", `exif:GPSLatitude="0,0N" exif:GPSLongitude="0,0E"`, 0, 0, ""},
		{"latitude only", `exif:GPSLatitude="48,51.5N"`, 0, 0, ""},
		{"out of range", `exif:GPSLatitude="91,0N" exif:GPSLongitude="2,0E"`, 0, 0, ""},
		{"garbage values", `exif:GPSLatitude="north" exif:GPSLongitude="1,2,3,4E"`, 0, 0, ""},
		{"unterminated", `exif:GPSLatitude="48,51.5N exif:GPSLongitude=`, 0, 0, ""},
		{"camera", `tiff:Make="SONY" tiff:Model="ILCE-7M3" exifEX:LensModel="FE 24-70"`, 0, 0, "SONY ILCE-7M3"},
		{"closing tag only", `</exif:GPSLatitude></exif:GPSLongitude>`, 0, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := readXMP([]byte(c.packet))
			switch {
			case c.lat == 0 && c.lon == 0:
				if d.gps != nil {
					t.Errorf("GPS = %+v, want none", *d.gps)
				}
			case d.gps == nil:
				t.Errorf("no GPS, want %v, %v", c.lat, c.lon)
			case math.Abs(d.gps.Lat-c.lat) > 1e-5 || math.Abs(d.gps.Lon-c.lon) > 1e-5:
				t.Errorf("GPS = %+v, want %v, %v", *d.gps, c.lat, c.lon)
			}
			if d.camera != c.camera {
				t.Errorf("camera = %q, want %q", d.camera, c.camera)
			}
		})
	}
}
