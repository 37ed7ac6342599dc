package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/model"
)

func framesChecker(t testing.TB) *Checker {
	t.Helper()
	return compileFile(t, "../policy/testdata/frames.yaml")
}

// sentences returns the normalized text of each sentence tokenize finds.
func sentences(text string) []string {
	st, spans := sentenceSpans(text)
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = string(st.norm.text[sp[0]:sp[1]])
	}
	return out
}

func TestSentenceSplitting(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"We leave at 06:00. Tomorrow we rest!", []string{"we leave at 06:00.", "tomorrow we rest!"}},
		{"Dr. Mwangi and Mr. Smith met Mme. Diallo.", []string{"dr. mwangi and mr. smith met mme. diallo."}},
		{"Growth was 3.5 per cent. See unops.org/news.html now", []string{"growth was 3.5 per cent.", "see unops.org/news.html now"}},
		{"J. Smith leaves at 6 p.m. today", []string{"j. smith leaves at 6 p.m. today"}},
		{"Is it safe? Yes!! We go", []string{"is it safe?", "yes!!", "we go"}},
		{"Headline\nBody text here", []string{"headline", "body text here"}},
		{"¿Salimos mañana? Sí, a las 6.", []string{"¿salimos manana?", "si, a las 6."}},
		{"Tent no. 5 in block C", []string{"tent no. 5 in block c"}},
		{"Read https://www.unops.org/fr/a.b?x=1. Merci", []string{"read https://www.unops.org/fr/a.b?x=1.", "merci"}},
	}
	for _, tt := range tests {
		got := sentences(tt.text)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// builtinSpans runs a built-in over text and returns the normalized spans.
func builtinSpans(text string, run func(*tokens, func(span))) []string {
	st := new(state)
	st.norm.normalize(text)
	st.tokenize(text)
	x := tokens{t: st.norm.text, toks: st.toks, src: text, off: st.norm.off}
	var out []string
	run(&x, func(s span) { out = append(out, string(st.norm.text[s.start:s.end])) })
	return out
}

func TestBuiltinConcepts(t *testing.T) {
	tests := []struct {
		name string
		run  func(*tokens, func(span))
		text string
		want string // spans joined by "|"
	}{
		{"clock", clocks, "Leaving at 06:00, back by 6pm, 18h45 or 6 h 30", "06:00|6pm|18h45|6 h 30"},
		{"clock", clocks, "Convoy 0600 hrs, plane at 7 am, then 6.30pm; a las 6 y a las siete", "0600 hrs|7 am|6.30pm|a las 6|a las siete"},
		{"clock", clocks, "à six heures, seven o'clock, 1830h", "six heures|seven o'clock|1830h"},
		{"clock not", clocks, "3.50 million people, 24/7 services, 2026, 120 km, 12 hours", ""},
		{"date", dates, "On 12 March, March 12, 1er mars, 12 de marzo, 12/03 and 2026-03-12", "12 march|march 12|1er mars|12 de marzo|12/03|2026-03-12"},
		{"date", dates, "until the 14th; 12.03.2026", "the 14th|12.03.2026"},
		{"date not", dates, "Open 24/7, we may 5 times, 3.5 per cent, 1-2 days", ""},
		{"person", people, "Grace, 10, and Paul, 7 ans, with Sofía, de 6 años.", "grace, 10|paul, 7 ans|sofia, de 6 anos"},
		{"person", people, "A 10-year-old girl; Mohamed is 7. She's 10 now. (Amina 6, Idris 4)", "10-year-old|mohamed is 7|she's 10|amina 6|idris 4"},
		{"person", people, "Zeïnabou a 13 ans et María tiene nueve años", "zeinabou a 13 ans|maria tiene nueve anos"},
		{"person not", people, "In Juba, 40 schools opened. Grace, a teacher, joined.", ""},
		{"coordinates", coordinates, "GPS -1.6789, 29.2345 and 3.5, 4.2", "-1.6789, 29.2345"},
		{"named place", namedPlaces, "Leaving for Mahagi via Bunia on Monday, then à Goma", "mahagi|bunia|goma"},
		{"past year", func(x *tokens, emit func(span)) { pastYears(x, 2026, emit) },
			"In 2023, the 2024 attack, l'attentat de 2003; 2026, 2027, 1850, 12345, 2015-2026, 2023/24, 20 240", "2023|2024|2003"},
	}
	for _, tt := range tests {
		if got := strings.Join(builtinSpans(tt.text, tt.run), "|"); got != tt.want {
			t.Errorf("%s %q\n got %q\nwant %q", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestNumbered(t *testing.T) {
	for text, want := range map[string]string{
		"tent 14":           "tent 14",
		"Shelter B-12 here": "shelter b-12",
		"room no. 5":        "room no. 5",
		"flight KQ 310":     "flight kq 310",
		"on the RN4 road":   "rn4",
		"block C, sector 4": "block c",
		"in block 2026":     "",
		"the health sector": "",
		"a building block":  "",
	} {
		st := new(state)
		st.norm.normalize(text)
		st.tokenize(text)
		x := tokens{t: st.norm.text, toks: st.toks, src: text, off: st.norm.off}
		got := ""
		for _, term := range []string{"tent", "shelter", "room", "flight", "rn", "block", "sector"} {
			i := strings.Index(string(st.norm.text), term)
			if i < 0 {
				continue
			}
			e := i + len(term)
			if term == "rn" {
				e = wordEnd(st.norm.text, e)
			}
			if end, ok := numbered(&x, hit{start: i, end: e}); ok {
				got = string(st.norm.text[i:end])
				break
			}
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
}

func TestFrames(t *testing.T) {
	c := framesChecker(t)
	failures, run := c.RunExamples()
	for _, f := range failures {
		t.Error(f.String())
	}
	if run < 10 {
		t.Fatalf("ran %d examples", run)
	}
	check := func(text, lang string) []model.Finding {
		return c.Check(model.Draft{Text: text, Lang: lang}).Findings
	}
	// The finding spans the frame and its message names the parts, in the
	// draft's language.
	text := "Note: the convoy leaves Bunia tomorrow at 06:00, as planned."
	fs := check(text, "")
	if len(fs) != 1 || fs[0].Rule != "safety.movement" {
		t.Fatalf("findings %+v", fs)
	}
	if got := text[fs[0].Start:fs[0].End]; got != "leaves Bunia tomorrow" {
		t.Errorf("span %q", got)
	}
	if want := "Gives a movement (leaves), a place (Bunia) and a time (tomorrow)."; fs[0].Message != want {
		t.Errorf("message %q, want %q", fs[0].Message, want)
	}
	fs = check("Demain le convoi part de Bunia.", "")
	if len(fs) != 1 || fs[0].Message != "Donne un moment (Demain), un départ (part) et un lieu (Bunia)." {
		t.Errorf("French message: %+v", fs)
	}
	// Concepts in two sentences are no frame; a past marker cancels it; an
	// except phrase of a concept removes the term.
	for _, s := range []string{
		"The convoy leaves Bunia. Tomorrow we rest.",
		"Yesterday the convoy leaves Bunia at 06:00.",
		"Annual leave in Bunia tomorrow.",
	} {
		if fs := check(s, ""); len(fs) != 0 {
			t.Errorf("%q: %+v", s, fs)
		}
	}
	// The window: parts further apart than 4 words do not make the frame;
	// "not" just before the stance cancels it, "not" elsewhere does not.
	for s, want := range map[string]int{
		"The opposition is right.":                             1,
		"The opposition, as we said at length, is right.":      0,
		"The opposition is not right.":                         0,
		"Not once did we doubt it: shame on the government.":   1,
		"Shame on the government, which does not pay on time.": 1,
	} {
		if got := len(check(s, "")); got != want {
			t.Errorf("%q: %d findings, want %d", s, got, want)
		}
	}
}

func TestExplain(t *testing.T) {
	c := framesChecker(t)
	ex := c.Explain(model.Draft{Text: "The convoy leaves Bunia tomorrow."}, "")
	if len(ex.Findings) != 1 || len(ex.Findings[0].Parts) != 3 {
		t.Fatalf("explained %+v", ex.Findings)
	}
	var concepts []string
	for _, p := range ex.Findings[0].Parts {
		concepts = append(concepts, p.Concept+"="+p.Text)
	}
	if got := strings.Join(concepts, ","); got != "movement=leaves,place=Bunia,time=tomorrow" {
		t.Errorf("parts %s", got)
	}
	// Why a rule did not fire: what each sentence had and lacked.
	ex = c.Explain(model.Draft{Text: "The convoy leaves tomorrow. Yesterday it leaves Bunia."}, "safety.movement")
	if len(ex.Findings) != 0 || len(ex.Units) != 2 {
		t.Fatalf("units %+v", ex.Units)
	}
	if u := ex.Units[0]; u.Fired || len(u.Missing) != 1 || u.Missing[0] != "place" || u.Text != "The convoy leaves tomorrow." {
		t.Errorf("first sentence %+v", u)
	}
	if u := ex.Units[1]; u.Cancelled == nil || u.Cancelled.Text != "Yesterday" {
		t.Errorf("second sentence %+v", u)
	}
	if ex := c.Explain(model.Draft{Text: "x"}, "no.such-rule"); len(ex.Why) != 1 || !strings.Contains(ex.Why[0], "no enabled rule") {
		t.Errorf("unknown rule: %+v", ex.Why)
	}
}

// Frames stay sound on hostile text: offsets inside the text, linear work
// (the fuzz target below, and BenchmarkFramesHostile for the time).
func FuzzFrames(f *testing.F) {
	for _, s := range []string{
		"The convoy leaves Bunia tomorrow at 06:00.", "Grace, 10, tent 14", "\xff\xfe leaves\xff tomorrow 6h",
		"leaves leaves leaves tomorrow tomorrow", "a. b. c. d.", "Demain je pars à Juba avec le convoi de 6h",
		"The opposition is not right. Shame on the government!", "RN4 0600 hrs 12/03 -1.2345, 29.1234",
		"Our statement. An investigation\nour statement investigation", "abduct\xff our statement. investigation",
		"As stated in our press release, the abduction is under investigation.",
	} {
		f.Add(s)
	}
	c := framesChecker(f)
	def := compileDefault(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range []*Checker{c, def} {
			rep := c.Check(model.Draft{Text: text, Account: model.DraftAccount{Kind: "country-office"}})
			for _, fd := range rep.Findings {
				if fd.Image == nil && (fd.Start < 0 || fd.End < fd.Start || fd.End > len(text) || text[fd.Start:fd.End] != fd.Excerpt) {
					t.Fatalf("bad finding %+v in %q", fd, text)
				}
				if !utf8.ValidString(fd.Message) && utf8.ValidString(text) {
					t.Fatalf("message %q", fd.Message)
				}
			}
			c.Explain(model.Draft{Text: text}, "safety.movement")
			// Matches dropped by unless (discretion.sensitive in both packs).
			for _, d := range c.Explain(model.Draft{Text: text}, "discretion.sensitive").Dropped {
				if d.Start < 0 || d.End < d.Start || d.End > len(text) || text[d.Start:d.End] != d.Excerpt ||
					d.By.Start < 0 || d.By.End > len(text) || !strings.Contains(text, d.Sentence) {
					t.Fatalf("bad dropped match %+v in %q", d, text)
				}
			}
		}
	})
}

// BenchmarkFramesHostile checks 256 KB and 1 MB posts: one repeated word,
// one repeated frame, invalid UTF-8. MB/s stays about the same from one size
// to the other: the work grows with the size, not its square.
func BenchmarkFramesHostile(b *testing.B) {
	c := compileDefault(b)
	c.Check(model.Draft{Text: "warm Bunia"}) // the gazetteer decodes on first use
	for _, tc := range []struct{ name, unit string }{
		{"word", "leaves "},
		{"frame", "the convoy leaves Bunia tomorrow at 06:00 "},
		{"sides", "the government is not wrong "},
		{"person", "Grace, 10, tent 14 "},
		{"invalid", "leaves \xff\xfe tomorrow "},
	} {
		for _, size := range []int{256 << 10, 1 << 20} {
			text := strings.Repeat(tc.unit, size/len(tc.unit))
			b.Run(fmt.Sprintf("%s-%dKB", tc.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					c.Check(model.Draft{Text: text})
				}
			})
		}
	}
}

// wordsWithin counts the words that start strictly inside t: the parts
// "opposition" and "right" of "opposition is right" are 2 words apart and
// one word stands between them.
func TestWordsWithin(t *testing.T) {
	for _, tt := range []struct {
		text string
		n    int
		want bool
	}{
		{"opposition is ", 1, true},
		{"opposition is very ", 1, false},
		{"opposition is very ", 2, true},
		{"", 0, true},
		{"a, b. c ", 2, true},
		{"a, b. c d ", 2, false},
	} {
		if got := wordsWithin([]byte(tt.text), tt.n); got != tt.want {
			t.Errorf("wordsWithin(%q, %d) = %v", tt.text, tt.n, got)
		}
	}
}

// A concept under none_text cancels the frame anywhere in the draft: a
// statement named in one sentence covers the incident told in the next.
func TestFrameNoneText(t *testing.T) {
	c := compileFile(t, "../policy/packs/unops.yaml")
	incident := "Two colleagues were detained at the checkpoint today."
	for text, want := range map[string]bool{
		incident: true,
		"As announced in our press release of 3 May: two colleagues were detained at the checkpoint.": false,
		"Statement of 3 May. " + incident:                                         false,
		"No statement yet. " + incident:                                           true, // an except phrase of on-record
		"Comunicado del 3 de mayo. Dos colegas fueron detenidos hoy en el retén.": false,
	} {
		fired := false
		for _, f := range c.Check(model.Draft{Text: text, Account: model.DraftAccount{Kind: model.KindPersonal}}).Findings {
			fired = fired || f.Rule == "discretion.incident"
		}
		if fired != want {
			t.Errorf("%q: discretion.incident fired %v, want %v", text, fired, want)
		}
	}
	ex := c.Explain(model.Draft{Text: "Statement of 3 May. " + incident, Account: model.DraftAccount{Kind: model.KindPersonal}}, "discretion.incident")
	cancelled := false
	for _, u := range ex.Units {
		cancelled = cancelled || u.Cancelled != nil && u.Cancelled.Concept == "on-record"
	}
	if !cancelled {
		t.Errorf("explain shows no cancelling statement: %+v", ex.Units)
	}
}

func TestSentencesAsWritten(t *testing.T) {
	got := Sentences("Dr. Mwangi visited Goma at 6.30 p.m. today. ¡Gracias, Équipe! Next week  more\nSee you")
	want := []string{"Dr. Mwangi visited Goma at 6.30 p.m. today.", "¡Gracias, Équipe!", "Next week  more", "See you"}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
	if got := Sentences(""); len(got) != 0 {
		t.Errorf("Sentences(\"\") = %q", got)
	}
}
