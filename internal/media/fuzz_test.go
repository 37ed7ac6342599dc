package media

import (
	"errors"
	"math"
	"testing"
)

// seeds are the built test images plus a few cut and corrupted copies.
func seeds(f *testing.F) {
	for _, c := range cases(f) {
		f.Add(c.data)
		f.Add(c.data[:len(c.data)/2])
		if len(c.data) > 40 {
			bad := append([]byte{}, c.data...)
			bad[30] ^= 0xFF
			f.Add(bad)
		}
	}
}

func FuzzInspect(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %q wraps none of the package's errors", err)
			}
			return
		}
		if g := info.GPS; g != nil && (math.IsNaN(g.Lat) || math.Abs(g.Lat) > 90 || math.Abs(g.Lon) > 180 || g.Lat == 0 && g.Lon == 0) {
			t.Fatalf("impossible position %+v", *g)
		}
	})
}

func FuzzStrip(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Strip(data)
		_, inspectErr := Inspect(data)
		if (err == nil) != (inspectErr == nil) {
			t.Fatalf("Strip error %v but Inspect error %v", err, inspectErr)
		}
		if err != nil {
			return
		}
		info, err := Inspect(out)
		if err != nil {
			t.Fatalf("stripped output does not inspect: %v", err)
		}
		if info.HasMetadata() {
			t.Fatalf("stripped output still has metadata: %+v", info)
		}
		again, err := Strip(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("stripping twice changed the image (err %v)", err)
		}
	})
}
