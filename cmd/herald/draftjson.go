package main

import (
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/model"
)

// decodeDraft reads a --jsonl line written the plain way (each key of
// model.Draft spelled as its JSON tag and given once, string values, no
// null, valid UTF-8, escapes other than surrogate pairs) into d and
// reports whether it could. It exists for speed: encoding/json spent about
// a tenth of a --jsonl run on these lines. Any other line is left to
// encoding/json; on the lines it reads, the result equals json.Unmarshal's
// (FuzzDecodeDraft).
func decodeDraft(line []byte, d *model.Draft) bool {
	p := draftParser{b: line}
	var seen uint
	ok := p.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return p.once(&seen, 1) && p.str(&d.ID)
		case "text":
			return p.once(&seen, 2) && p.str(&d.Text)
		case "platform":
			return p.once(&seen, 4) && p.str(&d.Platform)
		case "reply_to":
			return p.once(&seen, 8) && p.str(&d.ReplyTo)
		case "lang":
			return p.once(&seen, 16) && p.str(&d.Lang)
		case "images":
			return p.once(&seen, 32) && p.strings(&d.Images)
		case "account":
			return p.once(&seen, 64) && p.account(&d.Account)
		}
		return false
	})
	p.space()
	return ok && p.i == len(p.b)
}

// draftParser reads JSON from b[i:].
type draftParser struct {
	b []byte
	i int
}

// once marks a key's bit in seen and reports whether it was the first time:
// a key given twice is left to encoding/json.
func (p *draftParser) once(seen *uint, bit uint) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

func (p *draftParser) account(a *model.DraftAccount) bool {
	var seen uint
	return p.object(func(key []byte) bool {
		switch string(key) {
		case "kind":
			return p.once(&seen, 1) && p.str(&a.Kind)
		case "handle":
			return p.once(&seen, 2) && p.str(&a.Handle)
		case "project":
			if !p.once(&seen, 4) {
				return false
			}
			a.Project = new(model.Project)
			return p.project(a.Project)
		}
		return false
	})
}

func (p *draftParser) project(pr *model.Project) bool {
	var seen uint
	return p.object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return p.once(&seen, 1) && p.str(&pr.Name)
		case "keywords":
			return p.once(&seen, 2) && p.strings(&pr.Keywords)
		case "end_date":
			return p.once(&seen, 4) && p.str(&pr.EndDate)
		}
		return false
	})
}

// space skips JSON white space.
func (p *draftParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte reads c after white space.
func (p *draftParser) byte(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object reads an object, calling value after each key (with no escape in
// it) to read the value.
func (p *draftParser) object(value func(key []byte) bool) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		if !p.byte('"') {
			return false
		}
		start := p.i
		for p.i < len(p.b) && p.b[p.i] != '"' && p.b[p.i] != '\\' {
			p.i++
		}
		if p.i == len(p.b) || p.b[p.i] != '"' {
			return false
		}
		key := p.b[start:p.i]
		p.i++
		if !p.byte(':') || !value(key) {
			return false
		}
		if p.byte('}') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}

// strings reads an array of strings; [] gives an empty slice, not nil, as
// encoding/json does.
func (p *draftParser) strings(dst *[]string) bool {
	if !p.byte('[') {
		return false
	}
	out := []string{}
	if !p.byte(']') {
		for {
			var s string
			if !p.str(&s) {
				return false
			}
			out = append(out, s)
			if p.byte(']') {
				break
			}
			if !p.byte(',') {
				return false
			}
		}
	}
	*dst = out
	return true
}

// str reads a string.
func (p *draftParser) str(dst *string) bool {
	if !p.byte('"') {
		return false
	}
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.b[start:p.i]
			if !ascii && !utf8.Valid(s) {
				return false
			}
			*dst = string(s)
			p.i++
			return true
		case c == '\\':
			return p.escaped(start, dst)
		case c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p.i++
	}
	return false
}

// escaped reads the rest of a string with escapes in it, from start.
func (p *draftParser) escaped(start int, dst *string) bool {
	var out []byte
	run := start // start of the bytes not yet copied
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			seg := p.b[run:p.i]
			out = append(out, seg...)
			if !utf8.Valid(out) {
				return false
			}
			*dst = string(out)
			p.i++
			return true
		case c < 0x20:
			return false
		case c != '\\':
			p.i++
			continue
		}
		out = append(out, p.b[run:p.i]...)
		if p.i+1 >= len(p.b) {
			return false
		}
		switch e := p.b[p.i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(p.b[p.i+2:])
			if !ok || (r >= 0xD800 && r < 0xE000) { // surrogates: left to encoding/json
				return false
			}
			out = utf8.AppendRune(out, r)
			p.i += 4
		default:
			return false
		}
		p.i += 2
		run = p.i
	}
	return false
}

// hex4 reads the four hexadecimal digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
