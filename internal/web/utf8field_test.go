package web

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/model"
)

func TestInvalidUTF8Field(t *testing.T) {
	for _, c := range []struct {
		body, field string
		offset      int
	}{
		{"{\"text\":\"a\xffb\"}", "text", 10},
		{"{\"id\":1,\"account\":{\"kind\":\"x\",\"handle\":\"\xfe\"}}", "account.handle", 40},
		{"{\"images\":[\"ok\",\"\xff\"]}", "images[1]", 17},
		{"{\"x\":[{\"y\":1},{\"z\":\"caf\xe9\"}],\"w\":\"\"}", "x[1].z", 23},
		{"\xff{}", "", 0},
	} {
		field, offset, ok := invalidUTF8([]byte(c.body))
		if ok || field != c.field || offset != c.offset {
			t.Errorf("%q: field %q at %d (ok %v), want %q at %d", c.body, field, offset, ok, c.field, c.offset)
		}
	}
	if _, _, ok := invalidUTF8([]byte(`{"text":"café ✓"}`)); !ok {
		t.Error("valid UTF-8 refused")
	}
}

func FuzzInvalidUTF8Field(f *testing.F) {
	f.Add([]byte("{\"text\":\"a\xffb\"}"))
	f.Add([]byte("{\"a\":[1,{\"b\":\"\xc3\"}]}"))
	f.Add([]byte("[\"\xed\xa0\x80\"]"))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, offset, ok := invalidUTF8(body)
		if ok != utf8.Valid(body) {
			t.Fatalf("ok %v for %q", ok, body)
		}
		if !ok {
			if r, n := utf8.DecodeRune(body[offset:]); r != utf8.RuneError || n > 1 || !utf8.Valid(body[:offset]) {
				t.Fatalf("offset %d is not the first bad byte of %q", offset, body)
			}
		}
	})
}

// TestAPIRefusesInvalidUTF8: text that is not UTF-8 is refused with 400
// naming the field, not stored with U+FFFD.
func TestAPIRefusesInvalidUTF8(t *testing.T) {
	e := newTestEnv(t, nil)
	code, doc := apiDo(t, e, "POST", "/api/v1/checks", e.token(model.RoleStaff),
		"{\"text\":\"caf\xe9 au lait\",\"platform\":\"x\",\"account\":{\"kind\":\"personal\"}}")
	msg, _ := doc["error"].(map[string]any)["message"].(string)
	if code != http.StatusBadRequest || !strings.Contains(msg, `"text"`) || !strings.Contains(msg, "UTF-8") {
		t.Fatalf("check with Latin-1 text: %d %v", code, doc)
	}
	code, doc = apiDo(t, e, "POST", "/api/v1/advice", e.token(model.RoleStaff), "{\"question\":\"ok?\",\"text\":\"\xff\"}")
	msg, _ = doc["error"].(map[string]any)["message"].(string)
	if code != http.StatusBadRequest || !strings.Contains(msg, `"text"`) {
		t.Fatalf("advice with a bad byte: %d %v", code, doc)
	}
}
