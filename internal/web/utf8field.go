package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
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
			return "", offset, false
		}
		past := int(dec.InputOffset()) > offset
		if k, isKey := tok.(string); isKey && len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].wantKey {
			stack[len(stack)-1].key, stack[len(stack)-1].wantKey = k, false
			if past {
				return path(), offset, false
			}
			continue
		}
		if past {
			return path(), offset, false
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
