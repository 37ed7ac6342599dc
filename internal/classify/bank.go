package classify

// A Bank scores one text with several models in one pass over its
// features. Every model reads the same hashed features (Load refuses any
// other settings), so models with the same number of buckets share a
// table: the weights of a bucket for up to eight models lie side by side,
// widened to float32 once, and one read of a feature's bucket serves them
// all. Each model's sum is still added up feature by feature in the
// order of the text, in float32, so a bank's scores are Score's bit for bit.

// bankWidth is the most models one table holds: eight float32 weights of a
// bucket fill half a cache line.
const bankWidth = 8

// Bank holds the weights of a fixed list of models. It is immutable and
// safe for concurrent use.
type Bank struct {
	models []*Model
	groups []bankGroup
	group  []int // by model: its group
}

// bankGroup is one table: the models (indexes into Bank.models) whose
// weights it holds, stride columns per bucket.
type bankGroup struct {
	bits    int
	stride  int // 1, 2 or 8
	models  []int
	w       []float32 // bucket b of column k at w[b*stride+k]
	buckets int
}

// NewBank lays out the weights of models. A model may appear once.
func NewBank(models []*Model) *Bank {
	b := &Bank{models: models, group: make([]int, len(models))}
	for i, m := range models {
		g := -1
		for j := range b.groups {
			if b.groups[j].bits == m.bits && len(b.groups[j].models) < bankWidth {
				g = j
				break
			}
		}
		if g < 0 {
			g = len(b.groups)
			b.groups = append(b.groups, bankGroup{bits: m.bits, buckets: 1 << m.bits})
		}
		b.groups[g].models = append(b.groups[g].models, i)
		b.group[i] = g
	}
	var wide *[1 << 16]float32 // fromHalf of every half, when a table is filled
	for j := range b.groups {
		g := &b.groups[j]
		if wide == nil {
			wide = new([1 << 16]float32)
			for h := range wide {
				wide[h] = fromHalf(uint16(h))
			}
		}
		g.stride = min(len(g.models), 3) // 1, 2, or 8 from 3 models on
		if g.stride == 3 {
			g.stride = bankWidth
		}
		g.w = make([]float32, g.buckets*g.stride)
		for k, mi := range g.models {
			m := models[mi]
			col := g.w[k:]
			for h, v := range m.w[:g.buckets] {
				col[h*g.stride] = wide[v]
			}
		}
	}
	return b
}

// Groups is the number of tables, Group the table of model i.
func (b *Bank) Groups() int        { return len(b.groups) }
func (b *Bank) Group(i int) int    { return b.group[i] }
func (b *Bank) Len() int           { return len(b.models) }
func (b *Bank) Model(i int) *Model { return b.models[i] }

// ScoreGroup writes into scores[i] the score of every model i of group g
// on the text whose features f holds; scores has one place per model.
func (b *Bank) ScoreGroup(g int, f *Vector, scores []float64) {
	grp := &b.groups[g]
	idx := f.set.idx
	if len(idx) <= window { // nearly every post: one window
		sums := grp.sums(idx)
		for k, mi := range grp.models {
			scores[mi] = sigmoid(b.models[mi].linear(sums[k], len(idx), &f.shape))
		}
		return
	}
	var best [bankWidth]float64
	for lo, hi := range windows(len(idx)) {
		sums := grp.sums(idx[lo:hi])
		for k, mi := range grp.models {
			if z := b.models[mi].linear(sums[k], hi-lo, &f.shape); lo == 0 || z > best[k] {
				best[k] = z
			}
		}
	}
	for k, mi := range grp.models {
		scores[mi] = sigmoid(best[k])
	}
}

// sums adds up the weights of the features idx for each model of the table.
func (grp *bankGroup) sums(idx []uint32) (s [bankWidth]float32) {
	shift := uint(32 - grp.bits)
	switch grp.stride {
	case 1:
		s[0] = sum1(grp.w, idx, shift)
	case 2:
		s[0], s[1] = sum2(grp.w, idx, shift)
	default:
		s = sum8(grp.w, idx, shift)
	}
	return s
}

func sum1(w []float32, idx []uint32, shift uint) (s float32) {
	for _, h := range idx {
		s += w[h>>shift]
	}
	return s
}

func sum2(w []float32, idx []uint32, shift uint) (s0, s1 float32) {
	for _, h := range idx {
		r := w[h>>shift*2:]
		r = r[:2:2]
		s0 += r[0]
		s1 += r[1]
	}
	return s0, s1
}

func sum8(w []float32, idx []uint32, shift uint) (s [bankWidth]float32) {
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	for _, h := range idx {
		r := w[h>>shift*8:]
		r = r[:8:8]
		s0 += r[0]
		s1 += r[1]
		s2 += r[2]
		s3 += r[3]
		s4 += r[4]
		s5 += r[5]
		s6 += r[6]
		s7 += r[7]
	}
	return [bankWidth]float32{s0, s1, s2, s3, s4, s5, s6, s7}
}
