package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
)

// maxTextBytes bounds what one compressed text chunk may expand to, and
// maxInflatedBytes all of a file's, so zlib bombs cannot take the memory or
// the time; XMP packets are far smaller.
const (
	maxTextBytes     = 4 << 20
	maxInflatedBytes = 16 << 20
)

// pngChunk is one chunk; start and end cover length, type, data and CRC.
type pngChunk struct {
	typ        string
	start, end int
	data       []byte
}

// walkPNG checks the chunk structure and every CRC, calling visit for each
// chunk, and returns the offset just after IEND.
func walkPNG(data []byte, visit func(pngChunk)) (int, error) {
	pos := len(pngSignature)
	idat := false
	for first := true; ; first = false {
		if pos+12 > len(data) {
			return 0, malformed("PNG truncated: no IEND chunk")
		}
		n := binary.BigEndian.Uint32(data[pos:])
		typ := data[pos+4 : pos+8]
		if n > 1<<31-1 {
			return 0, malformed("PNG: chunk at offset %d has bad length %d", pos, n)
		}
		for _, c := range typ {
			if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
				return 0, malformed("PNG: bad chunk type %q at offset %d", typ, pos)
			}
		}
		end := uint64(pos) + 12 + uint64(n)
		if end > uint64(len(data)) {
			return 0, malformed("PNG truncated in chunk %s at offset %d", typ, pos)
		}
		body := data[pos+8 : pos+8+int(n)]
		want := binary.BigEndian.Uint32(data[pos+8+int(n):])
		if crc32.Update(crc32.ChecksumIEEE(typ), crc32.IEEETable, body) != want {
			return 0, malformed("PNG: bad CRC in chunk %s at offset %d", typ, pos)
		}
		c := pngChunk{typ: string(typ), start: pos, end: int(end), data: body}
		if first && (c.typ != "IHDR" || n != 13) {
			return 0, malformed("PNG does not start with an IHDR chunk")
		}
		visit(c)
		pos = c.end
		switch c.typ {
		case "IDAT":
			idat = true
		case "IEND":
			if !idat {
				return 0, malformed("PNG has no image data")
			}
			return pos, nil
		}
	}
}

// keepPNG reports whether Strip keeps a chunk.
func keepPNG(typ string) bool {
	switch typ {
	case "eXIf", "tEXt", "zTXt", "iTXt", "tIME":
		return false
	}
	return true
}

func stripPNG(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	_, err := walkPNG(data, func(c pngChunk) {
		if keepPNG(c.typ) {
			out = append(out, data[c.start:c.end]...)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (r *reader) png(data []byte) error {
	end, err := walkPNG(data, func(c pngChunk) {
		if keepPNG(c.typ) || !r.take() {
			return
		}
		switch c.typ {
		case "eXIf":
			r.addEXIF(c.data)
		case "tIME":
			r.note("PNG modification time")
		case "tEXt", "zTXt", "iTXt":
			r.pngText(c)
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

// pngText reads a text chunk. XMP lives in iTXt "XML:com.adobe.xmp";
// ImageMagick writes EXIF, XMP and IPTC as hex in "Raw profile type ..."
// chunks. Other keywords are only named.
func (r *reader) pngText(c pngChunk) {
	kw, rest, ok := bytes.Cut(c.data, []byte{0})
	if !ok {
		r.note("PNG text chunk unreadable")
		return
	}
	keyword := cleanText(kw)
	profile, isProfile := strings.CutPrefix(strings.ToLower(keyword), "raw profile type ")
	if keyword != "XML:com.adobe.xmp" && !isProfile {
		r.note(fmt.Sprintf("PNG text %q", keyword))
		return
	}
	text, err := r.pngTextBody(c.typ, rest)
	if err != nil {
		r.note(fmt.Sprintf("PNG text %q unreadable: %v", keyword, err))
		return
	}
	if !isProfile {
		r.addXMP(text)
		return
	}
	raw, err := rawProfile(text)
	if err != nil {
		r.note(fmt.Sprintf("PNG text %q unreadable: %v", keyword, err))
		return
	}
	switch profile {
	case "exif", "app1":
		if bytes.HasPrefix(raw, []byte("http://ns.adobe.com/xap/1.0/\x00")) {
			r.addXMP(raw)
		} else {
			r.addEXIF(raw)
		}
	case "xmp":
		r.addXMP(raw)
	case "iptc":
		r.iptc = true
	case "8bim":
		r.photoshop(raw)
	default:
		r.note(fmt.Sprintf("PNG text %q", keyword))
	}
}

// pngTextBody returns the (decompressed) text after a chunk's keyword.
func (r *reader) pngTextBody(typ string, rest []byte) ([]byte, error) {
	switch typ {
	case "tEXt":
		return rest, nil
	case "zTXt":
		if len(rest) < 1 {
			return nil, fmt.Errorf("no compression method")
		}
		return r.inflate(rest[1:])
	}
	// iTXt: compression flag, method, language tag, translated keyword, text.
	if len(rest) < 2 {
		return nil, fmt.Errorf("iTXt header cut short")
	}
	compressed := rest[0] == 1
	rest = rest[2:]
	for range 2 {
		_, after, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return nil, fmt.Errorf("iTXt header cut short")
		}
		rest = after
	}
	if compressed {
		return r.inflate(rest)
	}
	return rest, nil
}

func (r *reader) inflate(b []byte) ([]byte, error) {
	if r.inflatedLeft <= 0 {
		return nil, fmt.Errorf("more than %d MB of compressed text in the file", maxInflatedBytes>>20)
	}
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	text, err := io.ReadAll(io.LimitReader(zr, int64(min(maxTextBytes, r.inflatedLeft))))
	r.inflatedLeft -= len(text)
	return text, err
}

// rawProfile decodes ImageMagick's "\nname\n   length\nhex..." layout.
func rawProfile(text []byte) ([]byte, error) {
	fields := strings.SplitN(strings.TrimLeft(string(text), "\n"), "\n", 3)
	if len(fields) < 3 {
		return nil, fmt.Errorf("raw profile header cut short")
	}
	n, err := strconv.Atoi(strings.TrimSpace(fields[1]))
	if err != nil || n < 0 || n > maxTextBytes {
		return nil, fmt.Errorf("raw profile has bad length %q", strings.TrimSpace(fields[1]))
	}
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, fields[2])
	raw, err := hex.DecodeString(digits[:min(len(digits), 2*n)])
	if err != nil {
		return nil, fmt.Errorf("raw profile: %v", err)
	}
	return raw, nil
}
