package classify

import (
	"cmp"
	"slices"
)

// Point is precision and recall at one threshold: a score at or above the
// threshold is predicted positive.
type Point struct {
	Threshold         float64
	TP, FP, FN        int
	Precision, Recall float64
	F1                float64
}

// At counts the predictions at threshold t.
func At(scores []float64, labels []bool, t float64) Point {
	p := Point{Threshold: t}
	for i, s := range scores {
		switch {
		case s >= t && labels[i]:
			p.TP++
		case s >= t:
			p.FP++
		case labels[i]:
			p.FN++
		}
	}
	p.fill()
	return p
}

func (p *Point) fill() {
	if p.TP+p.FP > 0 {
		p.Precision = float64(p.TP) / float64(p.TP+p.FP)
	}
	if p.TP+p.FN > 0 {
		p.Recall = float64(p.TP) / float64(p.TP+p.FN)
	}
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
}

// ranked sorts the examples by score, highest first (ties by index, so the
// order is deterministic).
func ranked(scores []float64) []int {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	return order
}

// AveragePrecision is the mean of the precision at each positive example,
// examples ranked by score: the area under the precision-recall curve.
func AveragePrecision(scores []float64, labels []bool) float64 {
	return weightedAP(scores, labels, nil)
}

// weightedAP is AveragePrecision with each example counted weights[i]
// times (nil: once): with whole weights, that of the data with each
// example repeated.
func weightedAP(scores []float64, labels []bool, weights []float64) float64 {
	weight := func(i int) float64 {
		if weights == nil {
			return 1
		}
		return weights[i]
	}
	pos := 0.0
	for i, l := range labels {
		if l {
			pos += weight(i)
		}
	}
	if pos == 0 {
		return 0
	}
	order := ranked(scores)
	tp, all, sum := 0.0, 0.0, 0.0
	for k := 0; k < len(order); {
		// Examples with equal scores are predicted together.
		j, tpTie := k, 0.0
		for j < len(order) && scores[order[j]] == scores[order[k]] {
			w := weight(order[j])
			if labels[order[j]] {
				tpTie += w
			}
			all += w
			j++
		}
		tp += tpTie
		if tpTie > 0 {
			sum += tpTie * tp / all
		}
		k = j
	}
	return sum / pos
}

// points are the operating points of scores, one per distinct score taken
// as the threshold, highest first.
func points(scores []float64, labels []bool) []Point {
	order := ranked(scores)
	pos := 0
	for _, l := range labels {
		if l {
			pos++
		}
	}
	var out []Point
	tp := 0
	for k := 0; k < len(order); {
		j := k
		for j < len(order) && scores[order[j]] == scores[order[k]] {
			if labels[order[j]] {
				tp++
			}
			j++
		}
		p := Point{Threshold: scores[order[k]], TP: tp, FP: j - tp, FN: pos - tp}
		p.fill()
		out = append(out, p)
		k = j
	}
	return out
}

// ChooseThreshold returns the operating point with the highest recall whose
// precision reaches target, and whether one does; when none does, the point
// with the highest F1. Thresholds are the scores themselves.
func ChooseThreshold(scores []float64, labels []bool, target float64) (Point, bool) {
	var best, bestF1 Point
	found := false
	for _, p := range points(scores, labels) {
		if p.Precision >= target && p.Recall > best.Recall {
			best, found = p, true
		}
		if p.F1 > bestF1.F1 {
			bestF1 = p
		}
	}
	if !found {
		return bestF1, false
	}
	return best, true
}

// BestPrecision returns the operating point with the highest precision
// whose recall reaches target, and whether one does: where the curve stands
// at a recall a rule must reach.
func BestPrecision(scores []float64, labels []bool, target float64) (Point, bool) {
	var best Point
	found := false
	for _, p := range points(scores, labels) {
		if p.Recall >= target && (!found || p.Precision > best.Precision) {
			best, found = p, true
		}
	}
	return best, found
}
