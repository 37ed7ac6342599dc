package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// invalidUTF8 finds the first byte of body that is not UTF-8 and names the
// JSON field whose text holds it ("account.handle", "images[0]"; "" when
// it is outside any field). ok is true when body is valid UTF-8. The JSON
// decoder would store U+FFFD in its place, so the API refuses the body
// instead, naming the field, and nothing is lost silently.
func invalidUTF8(body []byte) (field string, offset int, ok bool) {
	if utf8.Valid(body) {
		return "", 0, true
	}
	for offset < len(body) {
		r, n := utf8.DecodeRune(body[offset:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		offset += n
	}
	return fieldAt(body, offset), offset, false
}

// loneSurrogate finds the first \u escape of a JSON string in body that is
// half of a UTF-16 pair without the other half ("\ud800"), which the JSON
// decoder would also store as U+FFFD. found is false when there is none.
func loneSurrogate(body []byte) (offset int, found bool) {
	inString := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\' && i+1 < len(body) && body[i+1] == 'u':
			r, ok := hex4(body[i+2:])
			switch {
			case !ok:
			case utf16.IsSurrogate(r) && r < 0xdc00:
				if next, ok := hex4(body[min(i+8, len(body)):]); i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u' && ok && next >= 0xdc00 && next <= 0xdfff {
					i += 11
					continue
				}
				return i, true
			case utf16.IsSurrogate(r):
				return i, true
			}
			i += 5
		case c == '\\':
			i++
		}
	}
	return 0, false
}

// hex4 reads the four hexadecimal digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	return rune(n), err == nil
}

// fieldAt names the JSON field whose text holds byte offset of body
// ("account.handle", "images[0]"; "" when it is outside any field).
func fieldAt(body []byte, offset int) string {
	type frame struct {
		obj, wantKey bool
		key          string
		idx          int
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			switch {
			case f.obj && f.key != "":
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			case !f.obj:
				b.WriteString("[" + strconv.Itoa(f.idx) + "]")
			}
		}
		return b.String()
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if top := &stack[len(stack)-1]; top.obj {
			top.wantKey = true
		} else {
			top.idx++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		past := int(dec.InputOffset()) > offset
		if k, isKey := tok.(string); isKey && len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].wantKey {
			stack[len(stack)-1].key, stack[len(stack)-1].wantKey = k, false
			if past {
				return path()
			}
			continue
		}
		if past {
			return path()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{obj: true, wantKey: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}
