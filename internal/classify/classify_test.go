package classify

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fold is a stand-in for the checker's normalization (lower case, white
// space collapsed), enough for the package's own tests.
func fold(s string) []byte { return []byte(strings.Join(strings.Fields(strings.ToLower(s)), " ")) }

// toyData is a small separable set: insults are positive.
func toyData() (train, val []Example) {
	bad := []string{"you idiot", "what a stupid idiot", "shut up you moron", "stupid moron", "idiots everywhere",
		"you are a moron", "total idiot move", "such a stupid take", "moron alert", "shut up idiot"}
	good := []string{"the bridge opened today", "thanks for the update", "school opens in may", "water for 300 families",
		"the road is finished", "a new clinic in juba", "training for 45 engineers", "the report is out", "see the photos", "meeting at noon"}
	for i := range bad {
		e := []Example{{Text: bad[i], Label: true}, {Text: good[i], Label: false}}
		if i%5 == 4 {
			val = append(val, e...)
		} else {
			train = append(train, e...)
		}
	}
	return train, val
}

func toyModel(t testing.TB) *Model {
	t.Helper()
	train, val := toyData()
	m, err := Train(train, val, TrainOptions{Name: "toy-en", Language: "en", Fold: fold, Folding: "test-fold", BucketBits: 12, Seed: 7, Created: "2026-12-04"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainSeparates(t *testing.T) {
	m := toyModel(t)
	insult := m.Score("what an idiot", fold("what an idiot"))
	fact := m.Score("the clinic opened", fold("the clinic opened"))
	if !(insult > m.Header.Threshold && fact < m.Header.Threshold) {
		t.Errorf("insult %.3f, fact %.3f, threshold %.3f: want the insult above and the fact below", insult, fact, m.Header.Threshold)
	}
	h := m.Header
	if h.Training.Examples != 16 || h.Training.Positives != 8 || h.Validation.Examples != 4 || h.Training.Epochs == 0 {
		t.Errorf("header %+v does not describe the data", h)
	}
}

func TestExplain(t *testing.T) {
	m := toyModel(t)
	text := "thanks, you stupid idiot"
	f := fold(text)
	ws := m.Explain(text, f, 2)
	if len(ws) == 0 {
		t.Fatal("no words weighed")
	}
	got := string(f[ws[0].Start:ws[0].End])
	if got != "idiot" && got != "stupid" {
		t.Errorf("heaviest word %q, want idiot or stupid (all: %v)", got, ws)
	}
	for i := 1; i < len(ws); i++ {
		if ws[i].Weight > ws[i-1].Weight {
			t.Errorf("not heaviest first: %v", ws)
		}
	}
}

func TestMarshalLoad(t *testing.T) {
	m := toyModel(t)
	data := m.Marshal()
	l, err := Load("toy", data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(l.Marshal(), data) {
		t.Error("a loaded model does not marshal to the same bytes")
	}
	for _, s := range []string{"you idiot", "the road", ""} {
		if a, b := m.Score(s, fold(s)), l.Score(s, fold(s)); a != b {
			t.Errorf("%q: %v before, %v after loading", s, a, b)
		}
	}
	if l.Digest() != m.Digest() {
		t.Errorf("digest %s after loading, %s when trained", l.Digest(), m.Digest())
	}
	if l.Size() != len(data) {
		t.Errorf("Size %d, file %d bytes", l.Size(), len(data))
	}
}

// reseal rewrites a file's trailing digest after a change.
func reseal(b []byte) []byte {
	sum := sha256.Sum256(b[:len(b)-sha256.Size])
	copy(b[len(b)-sha256.Size:], sum[:])
	return b
}

func TestLoadRefuses(t *testing.T) {
	good := toyModel(t).Marshal()
	hl := int(binary.LittleEndian.Uint32(good[12:]))
	cases := map[string]func([]byte) []byte{
		"empty":     func([]byte) []byte { return nil },
		"magic":     func(b []byte) []byte { b[0] = 'X'; return b },
		"version":   func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 2); return reseal(b) },
		"digest":    func(b []byte) []byte { b[len(b)/2] ^= 1; return b },
		"truncated": func(b []byte) []byte { return reseal(b[:len(b)-2]) },
		"header length": func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[12:], uint32(len(b)))
			return reseal(b)
		},
		"weight count": func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[16+hl:], 5)
			return reseal(b)
		},
		"infinite weight": func(b []byte) []byte {
			binary.LittleEndian.PutUint16(b[16+hl+4:], 0x7c00)
			return reseal(b)
		},
		"unknown header key": func(b []byte) []byte {
			return replaceHeader(b, hl, `"name":"toy-en"`, `"nome":"toy-en"`)
		},
		"bad threshold": func(b []byte) []byte {
			return replaceHeader(b, hl, `"threshold":`, `"threshold":7,"x":`)
		},
		"bucket bits": func(b []byte) []byte { return replaceHeader(b, hl, `"bucket_bits":12`, `"bucket_bits":13`) },
	}
	for name, damage := range cases {
		b := damage(bytes.Clone(good))
		if _, err := Load(name, b); err == nil {
			t.Errorf("%s: loaded", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// replaceHeader edits the JSON header and fixes its length and the digest.
func replaceHeader(b []byte, hl int, old, new string) []byte {
	hdr := strings.Replace(string(b[16:16+hl]), old, new, 1)
	out := append([]byte(nil), b[:12]...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	out = append(out, b[16+hl:]...)
	return reseal(out)
}

func FuzzLoad(f *testing.F) {
	train, val := toyData()
	m, err := Train(train, val, TrainOptions{Name: "toy-en", Language: "en", Fold: fold, Folding: "test-fold", BucketBits: 10, Created: "2026-12-04"})
	if err != nil {
		f.Fatal(err)
	}
	good := m.Marshal()
	f.Add(good)
	f.Add(good[:40])
	f.Add([]byte("HRLDMODL"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load("fuzz", data)
		if err != nil {
			return
		}
		// A model that loads scores any text to a probability.
		for _, s := range []string{"", "you idiot!!", "ÉTÉ ☃ \xff"} {
			if p := m.Score(s, fold(s)); !(p >= 0 && p <= 1) {
				t.Fatalf("score %v of %q", p, s)
			}
			m.Explain(s, fold(s), 3)
		}
		if !bytes.Equal(m.Marshal(), data) {
			t.Fatal("a loaded model marshals to other bytes")
		}
	})
}

func TestHalf(t *testing.T) {
	for _, c := range []struct {
		in   float32
		want float32
	}{{0, 0}, {1, 1}, {-2.5, -2.5}, {65504, 65504}, {1e6, 65504}, {-1e6, -65504}, {1e-9, 0},
		{6.1035156e-05, 6.1035156e-05}, {5.9604645e-08, 0}, {6e-5, 0}, {0.1, 0.099975586}, {1.0009766, 1.0009766}} {
		if got := fromHalf(toHalf(c.in)); got != c.want {
			t.Errorf("%g → %#04x → %g, want %g", c.in, toHalf(c.in), got, c.want)
		}
	}
	// Every finite normal half survives the round trip.
	for h := 0; h < 1<<16; h++ {
		if e := uint16(h) & 0x7c00; e == 0x7c00 || e == 0 {
			continue
		}
		if got := toHalf(fromHalf(uint16(h))); got != uint16(h) && !(h == 0x8000 && got == 0x8000) {
			t.Fatalf("%#04x → %g → %#04x", h, fromHalf(uint16(h)), got)
		}
	}
	if fromHalf(0x7c00) != 0 || toHalf(float32(math.NaN())) != 0 {
		t.Error("infinity or NaN is not read or written as 0")
	}
}

func TestMetrics(t *testing.T) {
	scores := []float64{0.9, 0.8, 0.7, 0.6, 0.5, 0.4}
	labels := []bool{true, true, false, true, false, false}
	p := At(scores, labels, 0.6)
	if p.TP != 3 || p.FP != 1 || p.FN != 0 || p.Precision != 0.75 || p.Recall != 1 {
		t.Errorf("At 0.6: %+v", p)
	}
	// AP: positives at ranks 1, 2, 4: (1 + 1 + 3/4) / 3.
	if ap := AveragePrecision(scores, labels); math.Abs(ap-2.75/3) > 1e-12 {
		t.Errorf("average precision %v, want %v", ap, 2.75/3)
	}
	pt, ok := ChooseThreshold(scores, labels, 0.9)
	if !ok || pt.Threshold != 0.8 || pt.Recall != 2.0/3 {
		t.Errorf("at precision 0.9: %+v %v, want threshold 0.8", pt, ok)
	}
	if pt, ok := ChooseThreshold(scores, []bool{false, false, false, true, true, true}, 0.9); ok {
		t.Errorf("precision 0.9 is out of reach but %+v was chosen", pt)
	}
	if pt, ok := BestPrecision(scores, labels, 0.5); !ok || pt.Threshold != 0.8 || pt.Precision != 1 {
		t.Errorf("at recall 0.5: %+v %v, want threshold 0.8", pt, ok)
	}
	if pt, ok := BestPrecision(scores, labels, 1); !ok || pt.Threshold != 0.6 || pt.Precision != 0.75 {
		t.Errorf("at recall 1: %+v %v, want threshold 0.6", pt, ok)
	}
}

func TestFeatures(t *testing.T) {
	var toks []string
	text := "I don't know, YOU ARE WRONG!! 🙄 #tag"
	f := fold(text)
	var fs featureSet
	fs.reset(true)
	shape := fs.extract(text, f)
	for _, w := range fs.toks {
		toks = append(toks, string(f[w.start:w.end]))
	}
	if len(fs.tok) != len(fs.idx) || len(fs.idx) < 30 {
		t.Errorf("%d features, %d token references", len(fs.idx), len(fs.tok))
	}
	want := []string{"i", "don't", "know", "you", "are", "wrong", "🙄", "tag"}
	if strings.Join(toks, "|") != strings.Join(want, "|") {
		t.Errorf("tokens %q, want %q", toks, want)
	}
	// YOU ARE WRONG: 11 of the 23 letters shouted.
	if shape[shapeExclaim] != 1 || shape[shapeQuestion] != 0 || shape[shapeYou] != float32(1)/3 || shape[shapeShout] != float32(11)/23 {
		t.Errorf("shape %v", shape)
	}
}

// TestShouting: capitals are shouting in three words or more, not in an
// acronym, a code or a town's name.
func TestShouting(t *testing.T) {
	for _, c := range []struct {
		text string
		want float32
	}{
		{"My IBAN is GB93PITW55383148579181", 0},
		{"ZIP: 7412 SL", 0},
		{"353 Buerlia 227 Apt. 391 SANDEFJORD Norway", 0},
		{"UNOPS and WFP met the WHO team", 0},
		{"STOP LYING TO US", 1},
		{"SHAME ON THÉ Government", float32(10) / 20},
		{"DON'T DO IT", 1},
		{"I AM", 0},
		{"I AM SO DONE", float32(8) / 9},            // "I" neither breaks the run nor counts
		{"Room 3 at 5 PM TODAY", 0},                 // two words
		{"CALL 555 NOW OR NEVER", float32(10) / 14}, // a number breaks the run: NOW OR NEVER
		{"NO, NO, NO. We said no.", float32(6) / 14},
	} {
		got := shouting(c.text)
		if got != c.want {
			t.Errorf("shouting(%q) = %v, want %v", c.text, got, c.want)
		}
		if ref := refShouting(c.text); ref != got {
			t.Errorf("%q: reference %v, fast %v", c.text, ref, got)
		}
	}
}

// TrainCV chooses its settings on held-out folds and gives the same file for
// the same data and seed; every example gets a score it did not train on.
func TestTrainCV(t *testing.T) {
	train, val := toyData()
	ex := append(train, val...)
	o := TrainOptions{Name: "toy-mul", Language: Multilingual, Fold: fold, Folding: "test-fold", BucketBits: 12, Seed: 3, Created: "2026-12-05"}
	m, cv, err := TrainCV(ex, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Scores) != len(ex) || cv.Epochs == 0 || cv.AP <= 0.5 {
		t.Errorf("cross-validation %+v does not describe held-out scores of %d examples", cv, len(ex))
	}
	if h := m.Header; h.Validation.Examples != len(ex) || h.Training.Epochs != cv.Epochs || h.Training.Lambda != cv.Lambda {
		t.Errorf("header %+v does not record the cross-validation", h)
	}
	again, _, err := TrainCV(ex, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Marshal(), again.Marshal()) {
		t.Error("the same data and seed gave two different files")
	}
	if _, _, err := TrainCV(ex, 40, o); err == nil {
		t.Error("40 folds of 10 positives accepted")
	}
}

// TestEmbeddedDigests checks the digest of every embedded model file, which
// Embedded leaves unchecked at start-up.
func TestEmbeddedDigests(t *testing.T) {
	for _, name := range EmbeddedNames() {
		data, err := embedded.ReadFile("models/" + name + ext)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load(name, data); err != nil {
			t.Error(err)
		}
	}
}

// TestBankScores checks that a bank's scores are each model's Score, bit
// for bit, for every layout of a table (one to eight models, two sizes).
func TestBankScores(t *testing.T) {
	var models []*Model
	for _, name := range EmbeddedNames() {
		m, err := Embedded(name)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	texts := []string{"", "What an IDIOT!!! you people??", "Demain à 6h le convoi part de Bukavu vers Goma.",
		"Hoy en Bogotá, UNOPS entregó 12 escuelas reconstruidas al Ministerio de Educación. ¿Sí?",
		"The opposition party is right, and the government is wrong. 🙂 #vote",
		strings.Repeat("Water points were repaired in three villages. ", 30) + "What an IDIOT!!! you people??"} // several windows
	for n := 1; n <= len(models); n++ {
		for _, list := range [][]*Model{models[:n], models[len(models)-n:]} {
			b := NewBank(list)
			scores := make([]float64, b.Len())
			var v Vector
			for _, s := range texts {
				f := fold(s)
				v.Extract(s, f)
				for g := range b.Groups() {
					b.ScoreGroup(g, &v, scores)
				}
				for i, m := range list {
					if want := m.Score(s, f); scores[i] != want || b.Model(i) != m {
						t.Errorf("%d models, %s on %q: bank %v, Score %v", len(list), m.Header.Name, s, scores[i], want)
					}
				}
			}
		}
	}
}

// TestReadHalves checks the four-at-a-time decoding against one at a time,
// with an infinite or NaN weight in every position.
func TestReadHalves(t *testing.T) {
	for n := range 11 {
		for bad := -1; bad < n; bad++ {
			b := make([]byte, 2*n)
			for i := range n {
				v := uint16(0x3c00 + 37*i) // finite
				if i%3 == 1 {
					v = 0x7bff | 0x8000
				}
				if i == bad {
					v = 0x7c00 | uint16(i%2)<<15 | uint16(i%3) // ±infinity or NaN
				}
				binary.LittleEndian.PutUint16(b[2*i:], v)
			}
			w := make([]uint16, n)
			if ok := readHalves(w, b); ok != (bad < 0) {
				t.Errorf("n %d, bad %d: ok %v", n, bad, ok)
			}
			for i := range w {
				if w[i] != binary.LittleEndian.Uint16(b[2*i:]) {
					t.Errorf("n %d: weight %d read %#x", n, i, w[i])
				}
			}
		}
	}
}

// TestValidName checks validName against the regular expression it replaces.
func TestValidName(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	names := []string{"", "a", "offensive-en", "corpus-sides", "0x", "_a", "-a", "a_", "a-", "A", "aB", "é", "a b", "a.b", "a\n",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "z9_-"}
	for c := range 256 {
		names = append(names, string(rune(c)), "a"+string([]byte{byte(c)}))
	}
	for _, n := range names {
		if got, want := validName(n), re.MatchString(n); got != want {
			t.Errorf("validName(%q) = %v, want %v", n, got, want)
		}
	}
}

// TestEmbeddedDigest checks that an embedded model's Digest is its file's.
func TestEmbeddedDigest(t *testing.T) {
	m, err := Embedded("offensive-en")
	if err != nil {
		t.Fatal(err)
	}
	data, err := embedded.ReadFile("models/offensive-en" + ext)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%x", sha256.Sum256(data)); m.Digest() != want {
		t.Errorf("Digest %s, file %s", m.Digest(), want)
	}
}

// With Groups, examples of one group share a fold: a copy of each example,
// in its original's group, is scored by the same held-out model (it never
// scores itself through its twin), and a wrong number of groups is refused.
func TestCrossValidateGroups(t *testing.T) {
	train, val := toyData()
	ex := append(train, val...)
	n := len(ex)
	twice := append(slices.Clone(ex), ex...)
	groups := make([]string, 2*n)
	for i := range n {
		groups[i] = strconv.Itoa(i)
		groups[i+n] = groups[i]
	}
	o := TrainOptions{Fold: fold, BucketBits: 12, Seed: 3, Lambdas: []float64{1e-5}, MaxEpochs: 5, Groups: groups}
	cv, err := CrossValidate(twice, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if cv.Scores[i] != cv.Scores[i+n] {
			t.Fatalf("example %d and its copy scored %v and %v: not in one fold", i, cv.Scores[i], cv.Scores[i+n])
		}
	}
	o.Groups = groups[:n]
	if _, err := CrossValidate(twice, 4, o); err == nil {
		t.Error("fewer groups than examples accepted")
	}
}

// Example weights: whole weights count in the average precision as the
// example repeated; weights of 1 give the file no weights give; weight 0
// leaves an example out of the header's figures; a set of weights trains
// the same file twice; wrong weights are refused.
func TestTrainCVWeights(t *testing.T) {
	scores := []float64{0.9, 0.8, 0.7, 0.6, 0.5, 0.4}
	labels := []bool{true, false, true, false, true, false}
	weights := []float64{1, 2, 0, 3, 1, 1}
	var rs []float64
	var rl []bool
	for i, w := range weights {
		for range int(w) {
			rs, rl = append(rs, scores[i]), append(rl, labels[i])
		}
	}
	if a, b := weightedAP(scores, labels, weights), AveragePrecision(rs, rl); math.Abs(a-b) > 1e-12 {
		t.Errorf("weighted average precision %v, with the examples repeated %v", a, b)
	}

	train, val := toyData()
	ex := append(train, val...)
	o := TrainOptions{Name: "toy-mul", Language: Multilingual, Fold: fold, Folding: "test-fold", BucketBits: 12, Seed: 3, Created: "2026-12-05",
		Lambdas: []float64{1e-5}, MaxEpochs: 10}
	plain, _, err := TrainCV(ex, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Weights = make([]float64, len(ex))
	for i := range o.Weights {
		o.Weights[i] = 1
	}
	ones, _, err := TrainCV(ex, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain.Marshal(), ones.Marshal()) {
		t.Error("weights of 1 gave another file than no weights")
	}
	zeros := 0
	for i, e := range ex {
		if !e.Label && i%3 == 0 {
			o.Weights[i] = 0
			zeros++
		} else if i%2 == 0 {
			o.Weights[i] = 0.5
		}
	}
	m, cv, err := TrainCV(ex, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := TrainCV(ex, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Marshal(), again.Marshal()) {
		t.Error("the same data, weights and seed gave two different files")
	}
	if bytes.Equal(m.Marshal(), plain.Marshal()) {
		t.Error("the weights changed nothing")
	}
	var ls []bool
	var ss []float64
	for i, e := range ex {
		if o.Weights[i] > 0 {
			ls, ss = append(ls, e.Label), append(ss, cv.Scores[i])
		}
	}
	if zeros == 0 || m.Header.Validation.AveragePrecision != round4(AveragePrecision(ss, ls)) {
		t.Errorf("header average precision %v, want %v over the %d examples of weight above 0",
			m.Header.Validation.AveragePrecision, round4(AveragePrecision(ss, ls)), len(ss))
	}

	o.Weights = o.Weights[1:]
	if _, _, err := TrainCV(ex, 4, o); err == nil {
		t.Error("fewer weights than examples accepted")
	}
	o.Weights = append([]float64{-1}, o.Weights...)
	if _, _, err := TrainCV(ex, 4, o); err == nil {
		t.Error("a negative weight accepted")
	}
	o.Weights[0] = 1
	if _, err := Train(train, val, o); err == nil {
		t.Error("Train accepted example weights")
	}
}

// TestWindows: a text of a window or less is one window; a longer one is
// covered by windows a half window apart, the last ending at the text's
// end, so that every stretch of half a window lies whole in one.
func TestWindows(t *testing.T) {
	for _, n := range []int{0, 1, window - 1, window, window + 1, 3*window/2 + 7, 1000, 5 * window} {
		var ws [][2]int
		for lo, hi := range windows(n) {
			ws = append(ws, [2]int{lo, hi})
		}
		if n <= window && (len(ws) != 1 || ws[0] != [2]int{0, n}) {
			t.Errorf("n=%d: windows %v, want one", n, ws)
			continue
		}
		if last := ws[len(ws)-1]; last[1] != n || ws[0][0] != 0 {
			t.Errorf("n=%d: windows %v do not cover the text", n, ws)
		}
		for s := 0; s+window/2 <= n; s++ {
			inside := false
			for _, w := range ws {
				inside = inside || w[0] <= s && s+window/2 <= w[1]
			}
			if !inside {
				t.Fatalf("n=%d: the stretch from %d is in no window of %v", n, s, ws)
			}
		}
		for _, w := range ws {
			if w[1]-w[0] > window || w[1] <= w[0] && n > 0 {
				t.Errorf("n=%d: window %v", n, w)
			}
		}
	}
}

// TestLongText: an offensive sentence among many plain ones is judged as
// in a post of its own size, where read whole it drowned; and the words
// that explain the score are the sentence's.
func TestLongText(t *testing.T) {
	m, err := Embedded("offensive-en")
	if err != nil {
		t.Fatal(err)
	}
	plain := []string{"The new school opened on Monday with twelve classrooms.", "Teachers received training on the curriculum in March.",
		"The road to the district hospital was resurfaced last year.", "Water points were repaired in three villages of the province."}
	bad := "Shut up, you pathetic idiot."
	var parts []string
	for i := range 60 {
		parts = append(parts, plain[i%len(plain)])
		if i == 30 {
			parts = append(parts, bad)
		}
	}
	long := strings.Join(parts, " ")
	f := fold(long)
	var v Vector
	v.Extract(long, f)
	if len(v.set.idx) < 3*window {
		t.Fatalf("the long text has %d features, want several windows", len(v.set.idx))
	}
	// Read whole, as before windows.
	var sum float32
	for _, h := range v.set.idx {
		sum += fromHalf(m.w[bucket(h, m.bits)])
	}
	whole := sigmoid(m.linear(sum, len(v.set.idx), &v.shape))
	got, alone := m.Score(long, f), m.Score(bad, fold(bad))
	if alone < m.Header.Threshold || got < m.Header.Threshold || whole >= m.Header.Threshold {
		t.Errorf("the sentence alone %.3f, among plain ones %.3f, read whole %.3f; threshold %.3f", alone, got, whole, m.Header.Threshold)
	}
	top := m.Explain(long, f, 3)
	if len(top) == 0 {
		t.Fatal("no words explain the score")
	}
	at := strings.Index(long, bad)
	for _, w := range top {
		if w.Start < at-window || w.End > at+len(bad)+window { // bytes: generous bounds
			t.Errorf("explaining word %q is far from the offensive sentence", long[w.Start:w.End])
		}
	}
}
