package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// encodeReport is what --jsonl wrote before appendReport: encoding/json.
func encodeReport(r *model.Report) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(r)
	return b.Bytes(), err
}

// compareReport checks appendReport against encoding/json on r.
func compareReport(t *testing.T, r *model.Report) {
	t.Helper()
	want, err := encodeReport(r)
	got, ok := appendReport([]byte("prefix"), r)
	if err != nil || !ok {
		if err == nil || ok {
			t.Fatalf("encoding/json error %v, appendReport ok %v", err, ok)
		}
		return
	}
	if !bytes.Equal(got[len("prefix"):], want) {
		t.Fatalf("appendReport\n%s\nencoding/json\n%s", got[len("prefix"):], want)
	}
}

// reportOf builds a report whose strings and numbers come from the
// arguments, with every optional field set or not by the bits of opt.
func reportOf(s1, s2 string, n int, score float64, opt uint8) *model.Report {
	r := &model.Report{
		ID:       s1,
		Pack:     model.PackRef{ID: "unops", Version: s2},
		Platform: model.PlatformUsage{Name: s2, Length: n, Limit: -n},
		Lang:     s2,
	}
	if opt&1 != 0 {
		r.Truncated = n
	}
	if opt&2 != 0 {
		return r // findings null
	}
	r.Findings = []model.Finding{}
	for k := range int(opt>>2) % 4 {
		f := model.Finding{Rule: s1, Clause: "3.4(g)", Severity: "error", Start: n + k, End: -k, Message: s2 + s1}
		if opt&16 != 0 {
			f.Excerpt, f.Suggestion = s2, s1
		}
		if opt&32 != 0 {
			img := k - n
			f.Image = &img
		}
		if opt&64 != 0 {
			f.Classifier = &model.ClassifierScore{Model: s1, Score: score}
			if opt&128 != 0 {
				f.Classifier.Words = []string{s2, s1, ""}
			} else if k == 1 {
				f.Classifier.Words = []string{}
			}
		}
		r.Findings = append(r.Findings, f)
	}
	return r
}

func TestAppendReport(t *testing.T) {
	strs := []string{"", "plain", "say \"hi\" \\ <b>&amp;</b>", "\x00\x01\b\f\n\r\t\x1f\x7f", "é à ñ 🙂 \u2028\u2029 \u2027\u202a",
		"bad \xff\xfe utf8 \xe2\x80", "\xed\xa0\x80 surrogate", "end\xc3"}
	scores := []float64{0, 1, 0.5, 0.123, 1e-7, 1.5e-6, 1e-6, 1e21, 1e20, 123456789.125, -0.001, 1e-300, math.MaxFloat64, math.Inf(1), math.NaN()}
	for _, a := range strs {
		for _, b := range strs {
			for _, opt := range []uint8{0, 1, 2, 0xff, 0x7c, 0xd5, 0x44} {
				compareReport(t, reportOf(a, b, 42, 0.75, opt))
			}
		}
	}
	for _, sc := range scores {
		compareReport(t, reportOf("x", "y", -3, sc, 0xff))
	}
}

// TestAppendReportEveryField fills every field of a report, found by
// reflection, so that a field added to model.Report or what it holds fails
// here until appendReport writes it too.
func TestAppendReportEveryField(t *testing.T) {
	var r model.Report
	fillAll(t, reflect.ValueOf(&r).Elem())
	compareReport(t, &r)
}

// fillAll gives every field under v a value that is not its zero.
func fillAll(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Int:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillAll(t, v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			fillAll(t, v.Field(i))
		}
	default:
		t.Fatalf("a report field of kind %s: teach fillAll and appendReport", v.Kind())
	}
}

func FuzzAppendReport(f *testing.F) {
	f.Add("post-1", "1.0", 280, 0.731, uint8(0xff))
	f.Add("\u2028\xff\"", "\x00<>&", -1, 1e-9, uint8(0x45))
	f.Fuzz(func(t *testing.T, s1, s2 string, n int, score float64, opt uint8) {
		compareReport(t, reportOf(s1, s2, n, score, opt))
	})
}

// TestPlain8 checks the eight-byte test against the byte table, for every
// byte value in every position of otherwise plain words.
func TestPlain8(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			if got, want := plain8(binary.LittleEndian.Uint64(w)), plainJSON[c]; got != want {
				t.Errorf("byte %#x at %d: plain8 %v, want %v", c, pos, got, want)
			}
		}
	}
}
