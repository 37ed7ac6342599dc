package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/model"
)

// draftLines are lines decodeDraft reads and lines it leaves to
// encoding/json.
var draftLines = []string{
	`{"id":"post-1","text":"Today in Juba \u00e9 \"quoted\" \\ \/ \n\t\r\b\f","platform":"x","account":{"kind":"project","handle":"@UNOPS","project":{"name":"Juba Bridges","keywords":["bridge","Juba"],"end_date":"2027-01-01"}},"reply_to":"You people","images":["a.jpg"],"lang":"fr"}`,
	` { "text" : "Ça va ? 日本 🙄" , "account" : { } , "images" : [ ] } `,
	`{"text":"x","account":{"project":{}}}`,
	`{}`,
	`{"text":"x","Text":"y"}`,           // a key in another case
	`{"text":"x","text":"y"}`,           // a key twice
	`{"text":"x","extra":1}`,            // an unknown key
	`{"text":null}`,                     // null
	`{"text":"\ud83d\ude00 \ud800"}`,    // surrogates
	"{\"text\":\"\xff\"}",               // invalid UTF-8
	"{\"text\":\"a\tb\"}",               // a control character
	`{"text":"x"} {"text":"y"}`,         // two values
	`{"text":"x",}`,                     // a trailing comma
	`{"text":"x"`,                       // cut short
	`{"text":"\u00"}`,                   // a short escape
	`{"text":"\x"}`,                     // an unknown escape
	`{"text":"x","images":["a",]}`,      // a trailing comma in an array
	`{"text":"x","account":{"kind":1}}`, // a number
	`{"text":"x","account":{"handle":"a","handle":"b"}}`,
	`null`,
	`[]`,
	``,
}

// TestDecodeDraft checks decodeDraft against json.Unmarshal on the lines
// above and on the checker's corpus drafts as encoding/json writes them
// (with and without HTML escapes, as structs and as maps, whose keys come
// sorted).
func TestDecodeDraft(t *testing.T) {
	read := 0
	for _, line := range append(draftLines, corpusLines(t)...) {
		if compareDecode(t, []byte(line)) {
			read++
		}
	}
	if read < 1000 {
		t.Errorf("decodeDraft read only %d lines", read)
	}
}

func corpusLines(t *testing.T) []string {
	var lines []string
	for _, half := range []string{corpus.Tune, corpus.Test} {
		items, err := corpus.Load("../../internal/check/testdata/corpus", half)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			d := it.Draft()
			d.ReplyTo, d.Lang = it.Text, it.Lang
			m := map[string]any{"id": d.ID, "text": d.Text, "platform": d.Platform, "account": d.Account}
			for _, v := range []any{d, m} {
				for _, html := range []bool{true, false} {
					var b bytes.Buffer
					enc := json.NewEncoder(&b)
					enc.SetEscapeHTML(html)
					if err := enc.Encode(v); err != nil {
						t.Fatal(err)
					}
					lines = append(lines, strings.TrimSuffix(b.String(), "\n"))
				}
			}
		}
	}
	return lines
}

// compareDecode fails t when decodeDraft reads line differently from
// json.Unmarshal, and reports whether decodeDraft read it.
func compareDecode(t *testing.T, line []byte) bool {
	t.Helper()
	var got, want model.Draft
	if !decodeDraft(line, &got) {
		return false
	}
	if err := json.Unmarshal(line, &want); err != nil {
		t.Fatalf("%q: decodeDraft read it, json.Unmarshal says %v", line, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\ndecodeDraft  %#v\njson.Unmarshal %#v", line, got, want)
	}
	return true
}

func FuzzDecodeDraft(f *testing.F) {
	for _, line := range draftLines {
		f.Add([]byte(line))
	}
	f.Fuzz(func(t *testing.T, line []byte) { compareDecode(t, line) })
}
