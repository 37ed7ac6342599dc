package classify

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Example is one labelled text.
type Example struct {
	Text  string
	Label bool // true: the positive class (offensive, subjective)
	// Folded is the text as the model reads it, when the caller folds it
	// another way than TrainOptions.Fold alone (check.ModelText masks a
	// project's name); nil: Fold(Text).
	Folded []byte
}

// folded is e's text as the model reads it.
func (e *Example) folded(fold func(string) []byte) []byte {
	if e.Folded != nil {
		return e.Folded
	}
	return fold(e.Text)
}

// Digest is the SHA-256 of examples as a canonical list (label, tab, text,
// then tab and the folded text where the caller gave it, newline per
// example), hex-encoded: the same data gives the same digest
// whatever file format it was read from.
func Digest(examples []Example) string {
	h := sha256.New()
	for _, e := range examples {
		l := byte('0')
		if e.Label {
			l = '1'
		}
		h.Write([]byte{l, '\t'})
		h.Write([]byte(e.Text))
		if e.Folded != nil {
			h.Write([]byte{'\t'})
			h.Write(e.Folded)
		}
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TrainOptions say how to train a model.
type TrainOptions struct {
	Name, Language, Description string
	// Fold is the checker's normalization and Folding its name, recorded
	// in the header (check.Fold and check.FoldName).
	Fold    func(string) []byte
	Folding string
	// BucketBits: 2^BucketBits hashed weights (default 18).
	BucketBits int
	Seed       uint64
	// Lambdas are the L2 strengths tried (default: 1e-4 down to 1e-6);
	// MaxEpochs the most passes over the data (default 20). The pair with
	// the best average precision on the validation data is kept.
	Lambdas   []float64
	MaxEpochs int
	// Weights, for cross-validation (CrossValidate, TrainCV): when set,
	// one entry per example, the factor of its gradient and what it counts
	// in the held-out average precision that chooses the L2 strength and
	// epochs (whole weights count as the example repeated); examples of
	// weight 0 teach nothing and the header's figures leave them out.
	Weights []float64
	// TargetPrecision: the threshold is the one with the highest recall at
	// this precision on the validation data (default 0.8).
	TargetPrecision float64
	Created         string // YYYY-MM-DD, recorded in the header
	TrainSource     string // file names, recorded in the header
	ValSource       string
	Workers         int // hyperparameter settings trained at once (default 2)
	// Groups, for cross-validation (CrossValidate, TrainCV): when set, one
	// entry per example, and examples of the same non-empty group share a
	// fold, so that a draft's translations never score it held out.
	Groups []string
}

// vectors is a data set as sparse, scaled feature vectors (compressed rows).
type vectors struct {
	off    []int
	idx    []uint32
	val    []float32
	labels []bool
	weight []float64 // of each example's gradient; nil: 1
}

func vectorize(examples []Example, fold func(string) []byte, bits int) *vectors {
	v := &vectors{off: []int{0}}
	var f featureSet
	for _, e := range examples {
		f.reset(false)
		shape := f.extract(e.Text, e.folded(fold))
		ids := f.idx
		for i, h := range ids {
			ids[i] = bucket(h, bits)
		}
		slices.Sort(ids)
		scale := float32(0)
		if len(ids) > 0 {
			scale = float32(1 / math.Sqrt(float64(len(ids))))
		}
		for i := 0; i < len(ids); {
			j := i
			for j < len(ids) && ids[j] == ids[i] {
				j++
			}
			v.idx = append(v.idx, ids[i])
			v.val = append(v.val, float32(j-i)*scale)
			i = j
		}
		for k, s := range shape {
			if s != 0 {
				v.idx = append(v.idx, uint32(1<<bits+k))
				v.val = append(v.val, s)
			}
		}
		v.off = append(v.off, len(v.idx))
		v.labels = append(v.labels, e.Label)
	}
	return v
}

func (v *vectors) len() int { return len(v.labels) }

// dot is w·x_i + bias, with w scaled by s.
func (v *vectors) dot(i int, w []float64, s, bias float64) float64 {
	z := 0.0
	for k := v.off[i]; k < v.off[i+1]; k++ {
		z += w[v.idx[k]] * float64(v.val[k])
	}
	return z*s + bias
}

// fit is the outcome of training with one L2 strength.
type fit struct {
	lambda float64
	epochs int
	ap     float64
	w      []float64 // weights then the bias
}

// eta0 is the first learning rate of stochastic gradient descent.
const eta0 = 0.5

// sgd trains logistic regression with L2 strength lambda by stochastic
// gradient descent (learning rate eta0/(1+eta0·lambda·t), the L2 decay kept
// as a scale factor so an update touches only the example's features), each
// example's gradient times its weight (tr.weight). After each epoch e it
// calls done with the weights, their scale and the bias.
func sgd(tr *vectors, dim int, lambda float64, epochs int, seed uint64, done func(e int, w []float64, s, bias float64)) {
	w := make([]float64, dim)
	s, bias := 1.0, 0.0
	order := make([]int, tr.len())
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0x6865726c64)) // one order for every lambda
	t := 0.0
	for e := 1; e <= epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			y := 0.0
			if tr.labels[i] {
				y = 1
			}
			g := sigmoid(tr.dot(i, w, s, bias)) - y
			if tr.weight != nil {
				g *= tr.weight[i]
			}
			eta := eta0 / (1 + eta0*lambda*t)
			t++
			s *= 1 - eta*lambda
			if s < 1e-9 {
				for k := range w {
					w[k] *= s
				}
				s = 1
			}
			step := eta * g / s
			for k := tr.off[i]; k < tr.off[i+1]; k++ {
				w[tr.idx[k]] -= step * float64(tr.val[k])
			}
			bias -= eta * g
		}
		done(e, w, s, bias)
	}
}

// fitOn trains with one L2 strength and keeps the epoch with the best
// average precision on val.
func fitOn(tr, val *vectors, dim int, lambda float64, epochs int, seed uint64) fit {
	best := fit{lambda: lambda, ap: -1}
	scores := make([]float64, val.len())
	sgd(tr, dim, lambda, epochs, seed, func(e int, w []float64, s, bias float64) {
		for i := range scores {
			scores[i] = val.dot(i, w, s, bias)
		}
		if ap := AveragePrecision(scores, val.labels); ap > best.ap {
			best.ap, best.epochs = ap, e
			best.w = make([]float64, dim+1)
			for k := range w {
				best.w[k] = w[k] * s
			}
			best.w[dim] = bias
		}
	})
	return best
}

// check refuses options a model cannot be trained with.
func (o TrainOptions) check() error {
	bits, _, _ := o.settings()
	switch {
	case o.Fold == nil || o.Folding == "":
		return errors.New("train: no folding function")
	case !validName(o.Name):
		return fmt.Errorf("train: name %q is not lower-case letters, digits and dashes", o.Name)
	case o.Language == "":
		return errors.New("train: no language")
	case bits < minBucketBits || bits > maxBucketBits:
		return fmt.Errorf("train: bucket bits %d is not between %d and %d", bits, minBucketBits, maxBucketBits)
	}
	for _, w := range o.Weights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("train: example weight %v", w)
		}
	}
	return nil
}

// target is the precision the threshold is chosen for (default 0.8).
func (o TrainOptions) target() float64 {
	if o.TargetPrecision == 0 {
		return 0.8
	}
	return o.TargetPrecision
}

// settings are o's bucket bits, L2 strengths and epochs, defaults filled.
func (o TrainOptions) settings() (bits int, lambdas []float64, epochs int) {
	bits, lambdas, epochs = o.BucketBits, o.Lambdas, o.MaxEpochs
	if bits == 0 {
		bits = 18
	}
	if len(lambdas) == 0 {
		lambdas = []float64{1e-4, 3e-5, 1e-5, 3e-6, 1e-6}
	}
	if epochs == 0 {
		epochs = 20
	}
	return bits, lambdas, epochs
}

// Train fits a model on train, choosing the L2 strength and the number of
// epochs on val, then the threshold on val with the weights as stored (half
// precision). The same examples, options and seed give the same file, bit
// for bit.
func Train(train, val []Example, o TrainOptions) (*Model, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		name string
		ex   []Example
	}{{"training", train}, {"validation", val}} {
		pos := count(d.ex)
		if pos == 0 || pos == len(d.ex) {
			return nil, fmt.Errorf("train: the %s data needs examples of both classes (%d of %d positive)", d.name, pos, len(d.ex))
		}
	}
	if o.Weights != nil {
		return nil, errors.New("train: example weights are for cross-validation (TrainCV)")
	}
	bits, lambdas, epochs := o.settings()
	target := o.target()
	workers := max(o.Workers, 1)
	if o.Workers == 0 {
		workers = 2
	}

	tr := vectorize(train, o.Fold, bits)
	va := vectorize(val, o.Fold, bits)
	dim := 1<<bits + numShape
	fits := make([]fit, len(lambdas))
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for i, l := range lambdas {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fits[i] = fitOn(tr, va, dim, l, epochs, o.Seed)
		})
	}
	wg.Wait()
	best := fits[0]
	for _, f := range fits[1:] {
		if f.ap > best.ap {
			best = f
		}
	}

	m := newModel(best, bits)
	scores := make([]float64, len(val))
	labels := make([]bool, len(val))
	for i, e := range val {
		scores[i] = m.Score(e.Text, e.folded(o.Fold))
		labels[i] = e.Label
	}
	valData := Data{Source: o.ValSource, Examples: len(val), Positives: count(val), SHA256: Digest(val)}
	return m.finish(o, train, best, valData, scores, labels, target)
}

// newModel stores a fit's weights in half precision.
func newModel(f fit, bits int) *Model {
	m := &Model{bits: bits, w: make([]uint16, len(f.w))}
	for k, x := range f.w {
		m.w[k] = toHalf(float32(x))
	}
	m.widen()
	return m
}

// finish writes the header of a model trained on train with f: the
// threshold with the best recall at target precision among the validation
// scores, and what they measure there.
func (m *Model) finish(o TrainOptions, train []Example, f fit, valData Data, scores []float64, labels []bool, target float64) (*Model, error) {
	pt, _ := ChooseThreshold(scores, labels, target)
	m.Header = Header{
		Name:        o.Name,
		Language:    o.Language,
		Description: o.Description,
		Created:     o.Created,
		Features: Features{
			Folding:    o.Folding,
			BucketBits: m.bits,
			WordNgrams: []int{1, 2},
			CharNgrams: []int{gram, gram},
			Shape:      shapeNames[:],
		},
		Threshold: pt.Threshold,
		Training: Data{Source: o.TrainSource, Examples: len(train), Positives: count(train), SHA256: Digest(train),
			Seed: o.Seed, Lambda: f.lambda, Epochs: f.epochs},
		Validation: Validation{
			Data:             valData,
			TargetPrecision:  target,
			Precision:        round4(pt.Precision),
			Recall:           round4(pt.Recall),
			F1:               round4(pt.F1),
			AveragePrecision: round4(AveragePrecision(scores, labels)),
		},
	}
	if !(pt.Threshold > 0 && pt.Threshold < 1) {
		return nil, fmt.Errorf("train: the chosen threshold %v is not between 0 and 1; the data cannot be separated this way", pt.Threshold)
	}
	sum := sha256.Sum256(m.Marshal())
	m.digest = func() [sha256.Size]byte { return sum }
	return m, nil
}

func count(ex []Example) int {
	n := 0
	for _, e := range ex {
		if e.Label {
			n++
		}
	}
	return n
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Split divides examples into a training part and a validation part of
// about one in ten, chosen by seed; for data without a validation split.
func Split(examples []Example, seed uint64) (train, val []Example) {
	rng := rand.New(rand.NewPCG(seed, 0x73706c6974))
	for _, e := range examples {
		if rng.IntN(10) == 0 {
			val = append(val, e)
		} else {
			train = append(train, e)
		}
	}
	return train, val
}
