package main

import (
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/model"
)

// appendReport appends r as one JSON line, byte for byte as a json.Encoder
// with HTML escaping off writes it (FuzzAppendReport checks this), without
// reflection: encoding a report was about a twelfth of --jsonl's time. ok is
// false for a report encoding/json refuses (a score that is not a finite
// number); the caller then encodes it with encoding/json.
func appendReport(b []byte, r *model.Report) (_ []byte, ok bool) {
	b = append(b, '{')
	if r.ID != "" {
		b = append(b, `"id":`...)
		b = appendJSONString(b, r.ID)
		b = append(b, ',')
	}
	b = append(b, `"pack":{"id":`...)
	b = appendJSONString(b, r.Pack.ID)
	b = append(b, `,"version":`...)
	b = appendJSONString(b, r.Pack.Version)
	b = append(b, `},"platform":{"name":`...)
	b = appendJSONString(b, r.Platform.Name)
	b = append(b, `,"length":`...)
	b = strconv.AppendInt(b, int64(r.Platform.Length), 10)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(r.Platform.Limit), 10)
	b = append(b, `},"findings":`...)
	if r.Findings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Findings {
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = appendFinding(b, &r.Findings[i]); !ok {
				return b, false
			}
		}
		b = append(b, ']')
	}
	if r.Truncated != 0 {
		b = append(b, `,"truncated":`...)
		b = strconv.AppendInt(b, int64(r.Truncated), 10)
	}
	if r.Lang != "" {
		b = append(b, `,"lang":`...)
		b = appendJSONString(b, r.Lang)
	}
	return append(b, '}', '\n'), true
}

func appendFinding(b []byte, f *model.Finding) (_ []byte, ok bool) {
	b = append(b, `{"rule":`...)
	b = appendJSONString(b, f.Rule)
	b = append(b, `,"clause":`...)
	b = appendJSONString(b, f.Clause)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, f.Severity)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(f.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(f.End), 10)
	if f.Excerpt != "" {
		b = append(b, `,"excerpt":`...)
		b = appendJSONString(b, f.Excerpt)
	}
	b = append(b, `,"message":`...)
	b = appendJSONString(b, f.Message)
	if f.Suggestion != "" {
		b = append(b, `,"suggestion":`...)
		b = appendJSONString(b, f.Suggestion)
	}
	if f.Image != nil {
		b = append(b, `,"image":`...)
		b = strconv.AppendInt(b, int64(*f.Image), 10)
	}
	if c := f.Classifier; c != nil {
		if math.IsNaN(c.Score) || math.IsInf(c.Score, 0) {
			return b, false
		}
		b = append(b, `,"classifier":{"model":`...)
		b = appendJSONString(b, c.Model)
		b = append(b, `,"score":`...)
		b = appendJSONFloat(b, c.Score)
		if len(c.Words) > 0 {
			b = append(b, `,"words":[`...)
			for i, w := range c.Words {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, w)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}'), true
}

// appendJSONFloat writes a finite float64 as encoding/json does: the
// shortest decimal that reads back the same, in exponent form (e-7, e+21)
// only below 1e-6 and from 1e21 on.
func appendJSONFloat(b []byte, f float64) []byte {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// strconv pads a one-digit exponent to two ("e-07"); JSON does not.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// plainJSON marks the ASCII bytes a JSON string carries as they are:
// printable, not the quote nor the backslash. No byte from 0x80 is plain.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plain8 reports whether the eight bytes of x are all plain: none below
// 0x20 or from 0x80, none a quote or a backslash. (v-ones)&^v has a byte's
// high bit set where v has a zero byte, and v-0x20s&^v where v has a byte
// below 0x20; a borrow only follows such a byte, so nothing is missed.
func plain8(x uint64) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	q, bs := x^'"'*ones, x^'\\'*ones
	return (x|(x-0x20*ones)&^x|(q-ones)&^q|(bs-ones)&^bs)&highs == 0
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s quoted as encoding/json does without HTML
// escaping: the quote and backslash escaped, control characters as \b, \f,
// \n, \r, \t or \u00XX, each byte of invalid UTF-8 as \ufffd, and U+2028
// and U+2029 escaped; everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plain8(binary.LittleEndian.Uint64([]byte(s[i:i+8]))) {
			i += 8
			continue
		}
		c := s[i]
		if plainJSON[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
