// Package media reads what a JPEG or PNG file says about where, when and with
// what it was taken (EXIF, XMP, IPTC and text chunks), and writes copies
// without it. The parsers are our own and small: they only walk the
// container and the few metadata structures that matter for policy 3.4(g),
// and they refuse a malformed file rather than guess.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// MaxImageBytes is the largest image Inspect and Strip accept.
const MaxImageBytes = 32 << 20

// GPS is a position in decimal degrees, south and west negative.
type GPS struct{ Lat, Lon float64 }

// Info is what Inspect found in an image.
type Info struct {
	Format string // "jpeg" or "png"
	EXIF   bool   // an EXIF block is present
	XMP    bool   // an XMP packet is present
	IPTC   bool   // IPTC data is present
	GPS    *GPS   // a position recorded in EXIF or XMP; nil when none
	Camera string // camera make and model, when recorded
	// Other names further metadata that Strip removes (comments, text
	// chunks, data after the image) and blocks that could not be read.
	Other []string
}

// HasMetadata reports whether Strip would remove anything.
func (i Info) HasMetadata() bool {
	return i.EXIF || i.XMP || i.IPTC || i.GPS != nil || i.Camera != "" || len(i.Other) > 0
}

var (
	// ErrUnsupported is returned for data that is neither JPEG nor PNG.
	ErrUnsupported = errors.New("not a JPEG or PNG image")
	// ErrTooLarge is returned for data over MaxImageBytes.
	ErrTooLarge = fmt.Errorf("image larger than %d MB", MaxImageBytes>>20)
	// ErrMalformed is wrapped by every error about a broken or truncated file.
	ErrMalformed = errors.New("malformed image")
)

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// sniff returns "jpeg", "png" or an error.
func sniff(data []byte) (string, error) {
	if len(data) > MaxImageBytes {
		return "", ErrTooLarge
	}
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "jpeg", nil
	case bytes.HasPrefix(data, pngSignature):
		return "png", nil
	}
	return "", ErrUnsupported
}

// Inspect reads the metadata of a JPEG or PNG image. It returns an error
// wrapping ErrMalformed for a truncated or broken file, ErrUnsupported for
// anything else and ErrTooLarge above MaxImageBytes.
func Inspect(data []byte) (Info, error) {
	format, err := sniff(data)
	if err != nil {
		return Info{}, err
	}
	r := newReader()
	if format == "jpeg" {
		err = r.jpeg(data)
	} else {
		err = r.png(data)
	}
	if err != nil {
		return Info{}, err
	}
	return r.info(format), nil
}

// Strip returns the image without EXIF, XMP, IPTC, comments, text chunks and
// anything after its end. The compressed pixel data and everything needed to
// decode it (tables, colour profile) are copied byte for byte.
func Strip(data []byte) ([]byte, error) {
	format, err := sniff(data)
	if err != nil {
		return nil, err
	}
	if format == "jpeg" {
		return stripJPEG(data)
	}
	return stripPNG(data)
}

// reader gathers metadata while a container is walked.
type reader struct {
	exif, xmp, iptc bool
	exifData        exifData
	xmpText         []byte
	other           []string
	// Work budgets for the whole file, so a file of many small hostile
	// blocks cannot multiply the work; counted down.
	ifdsLeft     int
	inflatedLeft int
	blocksLeft   int
}

// maxBlocks bounds the metadata blocks read in one file; cameras write a
// handful, a hostile file millions.
const maxBlocks = 4096

var tooManyBlocks = fmt.Sprintf("more than %d metadata blocks; the rest not read", maxBlocks)

func newReader() *reader {
	return &reader{ifdsLeft: maxIFDs, inflatedLeft: maxInflatedBytes, blocksLeft: maxBlocks}
}

// take reports whether another metadata block may be read. Past the budget
// the rest are only noted (Strip removes them all the same).
func (r *reader) take() bool {
	if r.blocksLeft == 0 {
		r.note(tooManyBlocks)
		return false
	}
	r.blocksLeft--
	return true
}

// maxNotes bounds Info.Other: a hostile file may hold millions of blocks.
const maxNotes = 32

const moreNotes = "further metadata blocks"

func (r *reader) note(s string) {
	for _, o := range r.other {
		if o == s {
			return
		}
	}
	switch {
	case len(r.other) < maxNotes-1:
		r.other = append(r.other, s)
	case len(r.other) == maxNotes-1:
		r.other = append(r.other, moreNotes)
	}
}

// addEXIF reads one EXIF (TIFF) block; the first readable position and
// camera win.
func (r *reader) addEXIF(b []byte) {
	r.exif = true
	d, err := parseTIFF(b, &r.ifdsLeft)
	if err != nil {
		r.note("EXIF block partly unreadable: " + err.Error())
	}
	if r.exifData.gps == nil {
		r.exifData.gps = d.gps
	}
	if r.exifData.camera == "" {
		r.exifData.camera = d.camera
	}
	if d.gpsWithoutPosition {
		r.exifData.gpsWithoutPosition = true
	}
}

func (r *reader) addXMP(b []byte) {
	r.xmp = true
	if len(r.xmpText)+len(b) <= MaxImageBytes {
		r.xmpText = append(r.xmpText, b...)
	}
}

func (r *reader) info(format string) Info {
	in := Info{Format: format, EXIF: r.exif, XMP: r.xmp, IPTC: r.iptc,
		GPS: r.exifData.gps, Camera: r.exifData.camera, Other: r.other}
	if r.xmp {
		x := readXMP(r.xmpText)
		if in.GPS == nil {
			in.GPS = x.gps
		}
		if in.Camera == "" {
			in.Camera = x.camera
		}
	}
	if in.GPS == nil && r.exifData.gpsWithoutPosition {
		in.Other = append(in.Other, "GPS block without a position")
	}
	return in
}

// cleanText makes a recorded string safe to show: no control characters,
// trimmed, at most 64 runes.
func cleanText(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	s := strings.Map(func(r rune) rune {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, string(b))
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64])
	}
	return s
}

// camera joins make and model, leaving out a make the model repeats.
func camera(mk, model string) string {
	switch {
	case mk == "":
		return model
	case model == "":
		return mk
	case strings.HasPrefix(strings.ToLower(model), strings.ToLower(mk)):
		return model
	}
	return mk + " " + model
}

// validPosition rejects the zero position, which cameras write when they
// have no fix, and out-of-range values.
func validPosition(lat, lon float64) *GPS {
	if lat != lat || lon != lon || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return nil
	}
	if lat == 0 && lon == 0 {
		return nil
	}
	return &GPS{Lat: lat, Lon: lon}
}
