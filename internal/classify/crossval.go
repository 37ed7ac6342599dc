package classify

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// CrossValidation is what k-fold cross-validation chose and measured: for
// data too small to spare a validation split (the checker's corpus).
type CrossValidation struct {
	Lambda float64
	Epochs int
	// Scores holds each example's score by the model trained without its
	// fold, with the chosen settings: the data to choose a threshold on.
	Scores []float64
	AP     float64 // average precision of Scores (each example counted its o.Weights)
}

// CrossValidate trains k models per L2 strength of o, each without one fold
// (folds drawn by o.Seed), and keeps the strength and number of epochs with
// the best average precision of the pooled held-out scores. No example
// scores itself, so the figures are those of unseen text; with o.Groups,
// no example is scored by a model that saw one of its group.
func CrossValidate(examples []Example, k int, o TrainOptions) (CrossValidation, error) {
	if k < 2 {
		return CrossValidation{}, errors.New("cross-validation: fewer than 2 folds")
	}
	if pos := count(examples); pos < k || len(examples)-pos < k {
		return CrossValidation{}, fmt.Errorf("cross-validation: %d positives of %d examples for %d folds", pos, len(examples), k)
	}
	bits, lambdas, epochs := o.settings()
	if o.Groups != nil && len(o.Groups) != len(examples) {
		return CrossValidation{}, fmt.Errorf("cross-validation: %d groups for %d examples", len(o.Groups), len(examples))
	}
	if o.Weights != nil && len(o.Weights) != len(examples) {
		return CrossValidation{}, fmt.Errorf("cross-validation: %d weights for %d examples", len(o.Weights), len(examples))
	}
	fold := make([]int, len(examples))
	rng := rand.New(rand.NewPCG(o.Seed, 0x666f6c6473))
	groupFold := map[string]int{}
	for i := range fold {
		if o.Groups == nil || o.Groups[i] == "" {
			fold[i] = rng.IntN(k)
			continue
		}
		f, ok := groupFold[o.Groups[i]]
		if !ok {
			f = rng.IntN(k)
			groupFold[o.Groups[i]] = f
		}
		fold[i] = f
	}
	dim := 1<<bits + numShape
	labels := make([]bool, len(examples))
	for i, e := range examples {
		labels[i] = e.Label
	}
	best := CrossValidation{AP: -1}
	for _, l := range lambdas {
		// path[e][i]: example i's held-out score after e+1 epochs.
		path := make([][]float64, epochs)
		for e := range path {
			path[e] = make([]float64, len(examples))
		}
		for f := range k {
			var tr, held []Example
			var at []int
			var weight []float64
			for i, e := range examples {
				if fold[i] == f {
					held, at = append(held, e), append(at, i)
				} else {
					tr = append(tr, e)
					if o.Weights != nil {
						weight = append(weight, o.Weights[i])
					}
				}
			}
			trv, hv := vectorize(tr, o.Fold, bits), vectorize(held, o.Fold, bits)
			trv.weight = weight
			sgd(trv, dim, l, epochs, o.Seed, func(e int, w []float64, s, bias float64) {
				for j, i := range at {
					path[e-1][i] = sigmoid(hv.dot(j, w, s, bias))
				}
			})
		}
		for e, scores := range path {
			if ap := weightedAP(scores, labels, o.Weights); ap > best.AP {
				best = CrossValidation{Lambda: l, Epochs: e + 1, Scores: scores, AP: ap}
			}
		}
	}
	return best, nil
}

// TrainCV trains on every example with the L2 strength and number of
// epochs k-fold cross-validation chose (CrossValidate), and takes the
// header's threshold and figures from the held-out scores: for data too
// small to spare a validation split. It also returns the cross-validation.
func TrainCV(examples []Example, k int, o TrainOptions) (*Model, CrossValidation, error) {
	if err := o.check(); err != nil {
		return nil, CrossValidation{}, err
	}
	cv, err := CrossValidate(examples, k, o)
	if err != nil {
		return nil, cv, err
	}
	bits, _, _ := o.settings()
	dim := 1<<bits + numShape
	f := fit{lambda: cv.Lambda, epochs: cv.Epochs, w: make([]float64, dim+1)}
	all := vectorize(examples, o.Fold, bits)
	all.weight = o.Weights
	sgd(all, dim, cv.Lambda, cv.Epochs, o.Seed, func(e int, w []float64, s, bias float64) {
		if e == cv.Epochs {
			for k := range w {
				f.w[k] = w[k] * s
			}
			f.w[dim] = bias
		}
	})
	// The header's figures: the held-out scores of the examples that weigh.
	var labels []bool
	var scores []float64
	for i, e := range examples {
		if o.Weights == nil || o.Weights[i] > 0 {
			labels, scores = append(labels, e.Label), append(scores, cv.Scores[i])
		}
	}
	held := Data{Source: fmt.Sprintf("%d-fold cross-validation of the training data", k), Examples: len(examples),
		Positives: count(examples), SHA256: Digest(examples)}
	m, err := newModel(f, bits).finish(o, examples, f, held, scores, labels, o.target())
	return m, cv, err
}
