package classify

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"
)

// FormatVersion is the version of the model file format this package
// writes and reads.
const FormatVersion = 1

// Multilingual is the language of a model trained on text in several
// languages (ISO 639-2 "mul"): the checker lets it judge text in any.
const Multilingual = "mul"

// magic opens every model file.
var magic = [8]byte{'H', 'R', 'L', 'D', 'M', 'O', 'D', 'L'}

// Bounds a model file must keep.
const (
	minBucketBits = 10
	maxBucketBits = 22
	maxHeader     = 64 << 10
	// MaxFileSize bounds a model file: the largest table plus its header.
	MaxFileSize = 16 + maxHeader + 4 + 2*(1<<maxBucketBits+numShape+1) + sha256.Size
)

// Header is what a model file says about itself, as JSON in the file.
type Header struct {
	Name        string   `json:"name"`     // offensive-en
	Language    string   `json:"language"` // the language of its training data: en, or Multilingual
	Description string   `json:"description,omitempty"`
	Created     string   `json:"created"` // YYYY-MM-DD
	Features    Features `json:"features"`
	// Threshold is the score from which the model says "positive", chosen
	// on the validation split (Validation.TargetPrecision).
	Threshold  float64    `json:"threshold"`
	Training   Data       `json:"training"`
	Validation Validation `json:"validation"`
}

// Features are the settings of the feature extraction.
type Features struct {
	Folding    string   `json:"folding"` // the normalization of the text: check.FoldName
	BucketBits int      `json:"bucket_bits"`
	WordNgrams []int    `json:"word_ngrams"` // [1, 2]
	CharNgrams []int    `json:"char_ngrams"` // [4, 4]: smallest and largest, in runes, within words
	Shape      []string `json:"shape"`
}

// Data describes a data set the model saw.
type Data struct {
	Source    string  `json:"source,omitempty"` // the file's folder and name: subjectivity/train.jsonl
	Examples  int     `json:"examples"`
	Positives int     `json:"positives"`
	SHA256    string  `json:"sha256"` // of the examples as read (Digest)
	Seed      uint64  `json:"seed,omitempty"`
	Lambda    float64 `json:"lambda,omitempty"` // L2 regularization chosen
	Epochs    int     `json:"epochs,omitempty"` // epochs chosen
}

// Validation is the data the hyperparameters and threshold were chosen on,
// and what the model (as stored, half precision) measured there.
type Validation struct {
	Data
	TargetPrecision  float64 `json:"target_precision"`
	Precision        float64 `json:"precision"` // at Threshold
	Recall           float64 `json:"recall"`
	F1               float64 `json:"f1"`
	AveragePrecision float64 `json:"average_precision"`
}

// Model is a trained linear classifier. It is immutable and safe for
// concurrent use.
type Model struct {
	Header Header
	w      []uint16 // half-precision: buckets, then shape features, then the bias
	bits   int      // 2^bits hashed weights
	// tail is w's shape weights then bias, widened once (widen): every
	// score reads them, where it reads only a text's buckets of the rest.
	tail [numShape + 1]float32
	// digest is the SHA-256 of the model file, computed when first asked
	// for: only `herald model show` prints it.
	digest func() [sha256.Size]byte
}

// validName reports whether s can name a model: 1 to 64 lower-case ASCII
// letters, digits, '_' and '-', not starting with '_' or '-'. (As a regular
// expression, ^[a-z0-9][a-z0-9_-]{0,63}$, it took 7.8 M instructions to
// compile at every start.)
func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '_' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// buckets is the number of hashed weights.
func (m *Model) buckets() int { return 1 << m.bits }

// Digest is the SHA-256 of the model file, hex-encoded.
func (m *Model) Digest() string { return fmt.Sprintf("%x", m.digest()) }

// Size is the model's file size in bytes.
func (m *Model) Size() int { return len(m.Marshal()) }

// Vector is the hashed features of one text. Every model reads the same
// features, whatever its number of buckets, so a text scored by several
// models is read once: Extract, then a Bank of the models scores it.
type Vector struct {
	set   featureSet
	shape [numShape]float32
}

// Extract computes the features of a text as written (orig) and folded by
// the checker's normalization, reusing f's memory.
func (f *Vector) Extract(orig string, folded []byte) {
	f.set.reset(false)
	f.shape = f.set.extract(orig, folded)
}

// vectors are the scratch vectors of Score, pooled between calls.
var vectorPool = sync.Pool{New: func() any { return new(Vector) }}

// Score is the probability that the text is of the positive class. orig is
// the text as written (for the share of capitals); folded is the same text
// through the checker's normalization.
func (m *Model) Score(orig string, folded []byte) float64 {
	f := vectorPool.Get().(*Vector)
	defer vectorPool.Put(f)
	f.Extract(orig, folded)
	z, _, _ := m.bestWindow(f.set.idx, &f.shape)
	return sigmoid(z)
}

// window is how many features of a text a model reads at once. The models
// learned from texts of a few sentences (the corpus's drafts: 163 features
// at the median, 373 at the 99th percentile; tweets), and a linear model's
// sum over a far longer text judges it as no text it saw: a few leaning
// words in each paragraph add up to a finding, and one paragraph that is a
// problem drowns in the others. A longer text is read in windows of this
// many features, a new one every half window, so that any stretch of half a
// window lies whole in one; its score is the highest window's. On the
// corpus's tune half, models trained on half its triplets and read on the
// other half found a positive joined with seven clean drafts 0.700 of the
// time against 0.593 read whole, and judged single drafts as before; 256
// found more there (0.738) but cost offensive-en average precision on the
// longest tweets (0.733 to 0.728), which it learned whole (bench/quality
// -joined; docs/QUALITY.md, "Long posts").
const window = 384

// windows yields the windows [lo, hi) of a text of n features: one for a
// text of a window or less.
func windows(n int) func(yield func(lo, hi int) bool) {
	return func(yield func(lo, hi int) bool) {
		for lo := 0; ; lo += window / 2 {
			hi := min(lo+window, n)
			if !yield(lo, hi) || hi == n {
				return
			}
		}
	}
}

// bestWindow is the model's raw output on its highest window of the
// features idx, and that window.
func (m *Model) bestWindow(idx []uint32, shape *[numShape]float32) (z float64, lo, hi int) {
	if len(idx) <= window {
		return m.linear(m.sum(idx), len(idx), shape), 0, len(idx)
	}
	for l, h := range windows(len(idx)) {
		if v := m.linear(m.sum(idx[l:h]), h-l, shape); l == 0 || v > z {
			z, lo, hi = v, l, h
		}
	}
	return z, lo, hi
}

// sum adds up the model's weights of the features idx.
func (m *Model) sum(idx []uint32) (s float32) {
	w, shift := m.w[:1<<m.bits], 32-m.bits
	for _, x := range idx {
		s += fromHalf(w[x>>shift])
	}
	return s
}

// linear is the model's raw output from the sum of hashed weights of n
// features and the shape features.
func (m *Model) linear(sum float32, n int, shape *[numShape]float32) float64 {
	z := float64(m.tail[numShape])
	if n > 0 {
		z += float64(sum) / math.Sqrt(float64(n))
	}
	for k, v := range shape {
		z += float64(v * m.tail[k])
	}
	return z
}

// widen fills m.tail from m.w.
func (m *Model) widen() {
	for k := range m.tail {
		m.tail[k] = fromHalf(m.w[m.buckets()+k])
	}
}

// Weighed is a token of the folded text and how much it pushed the score
// up: [Start, End) are byte offsets into the folded text.
type Weighed struct {
	Start, End int
	Weight     float64
}

// explainSets are the scratch feature sets of Explain, with tokens.
var explainSets = sync.Pool{New: func() any { return new(featureSet) }}

// Explain returns up to k tokens of the text that pushed its score up the
// most, heaviest first. A bigram's weight is shared by its two words.
func (m *Model) Explain(orig string, folded []byte, k int) []Weighed {
	f := explainSets.Get().(*featureSet)
	defer explainSets.Put(f)
	f.reset(true)
	shape := f.extract(orig, folded)
	if len(f.idx) == 0 {
		return nil
	}
	toks := make([]Weighed, len(f.toks))
	for i, t := range f.toks {
		toks[i] = Weighed{Start: t.start, End: t.end}
	}
	// The words of the window that scored: in a long text, those of the
	// paragraph that made the finding.
	lo, hi := 0, len(f.idx)
	if hi > window {
		_, lo, hi = m.bestWindow(f.idx, &shape)
	}
	for i := lo; i < hi; i++ {
		idx := f.idx[i]
		v := float64(fromHalf(m.w[bucket(idx, m.bits)]))
		if t := f.tok[i]; t >= 0 {
			toks[t].Weight += v
		} else {
			toks[-t].Weight += v / 2
			toks[-t-1].Weight += v / 2
		}
	}
	scale := 1 / math.Sqrt(float64(hi-lo))
	out := toks[:0]
	for _, t := range toks {
		if t.Weight *= scale; t.Weight > 0 {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Weighed) int { return cmp.Compare(b.Weight, a.Weight) })
	return slices.Clip(out[:min(k, len(out))])
}

// Marshal encodes the model file: magic, format version, header length and
// JSON header, weight count and half-precision weights (little endian), and
// the SHA-256 of everything before it.
func (m *Model) Marshal() []byte {
	hdr, err := json.Marshal(&m.Header)
	if err != nil {
		panic(err) // a Header always encodes
	}
	var b bytes.Buffer
	b.Write(magic[:])
	binary.Write(&b, binary.LittleEndian, uint32(FormatVersion))
	binary.Write(&b, binary.LittleEndian, uint32(len(hdr)))
	b.Write(hdr)
	binary.Write(&b, binary.LittleEndian, uint32(len(m.w)))
	binary.Write(&b, binary.LittleEndian, m.w)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

// Load decodes and checks a model file: its magic, format version, sizes,
// digest, header and weights. name is used in errors. The model keeps data
// (for Digest): the caller must not change it afterwards.
func Load(name string, data []byte) (*Model, error) {
	m, err := load(name, data, true)
	if err == nil {
		m.digest = sync.OnceValue(func() [sha256.Size]byte { return sha256.Sum256(data) })
	}
	return m, err
}

// load is Load without the digest of the whole file, which the caller sets;
// without verify, the file's trailing digest is not checked (for the models
// embedded in the binary, whose digests a test checks).
func load(name string, data []byte, verify bool) (*Model, error) {
	fail := func(format string, a ...any) (*Model, error) {
		return nil, fmt.Errorf("model %s: %s", name, fmt.Sprintf(format, a...))
	}
	if len(data) > MaxFileSize {
		return fail("%d bytes is larger than a model can be (%d)", len(data), MaxFileSize)
	}
	if len(data) < 16+4+sha256.Size || !bytes.Equal(data[:8], magic[:]) {
		return fail("not a Herald model file")
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != FormatVersion {
		return fail("format version %d; this Herald reads version %d", v, FormatVersion)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	hl := int(binary.LittleEndian.Uint32(data[12:]))
	if hl > maxHeader || 16+hl+4 > len(body) {
		return fail("header length %d does not fit the file", hl)
	}
	if verify {
		if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
			return fail("digest mismatch: the file is damaged or was changed")
		}
	}
	m := &Model{}
	dec := json.NewDecoder(bytes.NewReader(data[16 : 16+hl]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m.Header); err != nil {
		return fail("header: %v", err)
	}
	if dec.More() {
		return fail("header: data after the JSON object")
	}
	h := &m.Header
	f := &h.Features
	switch {
	case !validName(h.Name):
		return fail("name %q is not lower-case letters, digits and dashes", h.Name)
	case h.Language == "":
		return fail("no language")
	case f.Folding == "":
		return fail("features: no folding")
	case f.BucketBits < minBucketBits || f.BucketBits > maxBucketBits:
		return fail("features: bucket_bits %d is not between %d and %d", f.BucketBits, minBucketBits, maxBucketBits)
	case !slices.Equal(f.WordNgrams, []int{1, 2}) || !slices.Equal(f.CharNgrams, []int{gram, gram}) || !slices.Equal(f.Shape, shapeNames[:]):
		return fail("features: word_ngrams %v, char_ngrams %v, shape %v are not the ones this Herald computes", f.WordNgrams, f.CharNgrams, f.Shape)
	case !(h.Threshold > 0 && h.Threshold < 1):
		return fail("threshold %v is not between 0 and 1", h.Threshold)
	}
	rest := body[16+hl:]
	n := int(binary.LittleEndian.Uint32(rest))
	want := 1<<f.BucketBits + numShape + 1
	if n != want || len(rest) != 4+2*n {
		return fail("%d weights in %d bytes; bucket_bits %d needs %d", n, len(rest)-4, f.BucketBits, want)
	}
	m.w = make([]uint16, n)
	if !readHalves(m.w, rest[4:4+2*n]) {
		i := slices.IndexFunc(m.w, func(v uint16) bool { return v&0x7c00 == 0x7c00 })
		return fail("weight %d is not a finite number", i)
	}
	m.bits = f.BucketBits
	m.widen()
	return m, nil
}

// LoadFile reads and checks the model file at path.
func LoadFile(path string) (*Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("model %s: %d bytes is larger than a model can be (%d)", path, st.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// ErrUnknownModel is returned for a model name that is not embedded.
var ErrUnknownModel = errors.New("no such model")

// readHalves decodes little-endian half-precision weights from b into w,
// four at a time, and reports whether every one is finite.
func readHalves(w []uint16, b []byte) bool {
	const (
		exp   = 0x7c007c007c007c00 // the exponent bits of four halves
		low   = 0x0001000100010001
		sign  = 0x8000800080008000
		quads = 4
	)
	var infinite uint64 // a lane's sign bit is set once a weight is infinite or NaN
	i := 0
	for ; i+quads <= len(w); i += quads {
		x := binary.LittleEndian.Uint64(b[2*i:])
		// y has a zero lane where all the exponent bits of a weight are set;
		// y-low borrows into that lane's sign bit, which y never has.
		y := x&exp ^ exp
		infinite |= (y - low) &^ y & sign
		q := w[i : i+quads : i+quads]
		q[0], q[1], q[2], q[3] = uint16(x), uint16(x>>16), uint16(x>>32), uint16(x>>48)
	}
	ok := infinite == 0
	for ; i < len(w); i++ {
		w[i] = binary.LittleEndian.Uint16(b[2*i:])
		ok = ok && w[i]&0x7c00 != 0x7c00
	}
	return ok
}
