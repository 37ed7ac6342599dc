package gazetteer

import (
	"errors"
	"fmt"
	"sort"
)

// The keys are found through a perfect hash (hash and displace): a first
// hash puts each key in a bucket of about four, and each bucket has a seed
// chosen so that a second hash sends its keys to slots no other key has.
// A look-up is two hashes, one seed and one slot, then one comparison of the
// key's bytes; it never probes.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashBytes continues an FNV-1a hash over b; feeding a space then the next
// word extends the hash of a key by one word.
func hashBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix spreads an FNV state over all 64 bits (splitmix64's finalizer).
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

type perfectHash struct {
	seeds []uint32
	slots []int32 // key index per slot, -1 when empty
	// filter has one bit set per key (by the hash's low bits): most words of
	// a text are no key, and this small table tells so without touching the
	// larger ones.
	filter []uint64
}

func (p *perfectHash) maybe(h uint64) bool {
	b := h & uint64(len(p.filter)*64-1)
	return p.filter[b>>6]&(1<<(b&63)) != 0
}

// reduce maps 32 random bits to [0, n) with a multiplication, not a division.
func reduce(x uint32, n int) int { return int(uint64(x) * uint64(n) >> 32) }

func (p *perfectHash) bucket(h uint64) int { return reduce(uint32(h>>32), len(p.seeds)) }

func (p *perfectHash) slot(h uint64, seed uint32) int {
	return reduce(uint32(mix(h^(uint64(seed)*0x9e3779b97f4a7c15))), len(p.slots))
}

// find returns the key index that h may be, or -1; the caller compares bytes.
func (p *perfectHash) find(h uint64) int {
	if len(p.seeds) == 0 || !p.maybe(h) {
		return -1
	}
	return int(p.slots[p.slot(h, p.seeds[p.bucket(h)])])
}

var errNoSeed = errors.New("gazetteer: no perfect hash seed found (duplicate keys?)")

// newPerfectHash makes the empty slots and the filter for the keys.
func newPerfectHash(hashes []uint64) perfectHash {
	n := len(hashes)
	p := perfectHash{slots: make([]int32, n*100/85+1)}
	for i := range p.slots {
		p.slots[i] = -1
	}
	bits := 64
	for bits < 16*n {
		bits *= 2
	}
	p.filter = make([]uint64, bits/64)
	for _, h := range hashes {
		b := h & uint64(bits-1)
		p.filter[b>>6] |= 1 << (b & 63)
	}
	return p
}

// buildPerfectHash places n keys, given by their mixed hashes, in slots at a
// load of about 85%. Duplicate hashes cannot be placed and are an error.
func buildPerfectHash(hashes []uint64) (perfectHash, error) {
	n := len(hashes)
	if n == 0 {
		return perfectHash{}, nil
	}
	p := newPerfectHash(hashes)
	p.seeds = make([]uint32, (n+3)/4)
	// Counting sort of keys by bucket, then buckets largest first.
	m := len(p.seeds)
	start := make([]int32, m+1)
	for _, h := range hashes {
		start[p.bucket(h)+1]++
	}
	for b := 0; b < m; b++ {
		start[b+1] += start[b]
	}
	members := make([]int32, n)
	fill := append([]int32(nil), start[:m]...)
	for i, h := range hashes {
		b := p.bucket(h)
		members[fill[b]] = int32(i)
		fill[b]++
	}
	order := make([]int32, m)
	for b := range order {
		order[b] = int32(b)
	}
	sort.Slice(order, func(i, j int) bool {
		si := start[order[i]+1] - start[order[i]]
		sj := start[order[j]+1] - start[order[j]]
		if si != sj {
			return si > sj
		}
		return order[i] < order[j]
	})
	var taken []int
	for _, b := range order {
		keys := members[start[b]:start[b+1]]
		if len(keys) == 0 {
			break
		}
		for i := range keys {
			for j := i + 1; j < len(keys); j++ {
				if hashes[keys[i]] == hashes[keys[j]] {
					return perfectHash{}, errNoSeed
				}
			}
		}
		placed := false
		for seed := uint32(0); seed < 1<<22; seed++ {
			taken = taken[:0]
			ok := true
			for _, k := range keys {
				s := p.slot(hashes[k], seed)
				if p.slots[s] >= 0 {
					ok = false
					break
				}
				for _, t := range taken {
					if t == s {
						ok = false
						break
					}
				}
				if !ok {
					break
				}
				taken = append(taken, s)
			}
			if ok {
				for i, k := range keys {
					p.slots[taken[i]] = k
				}
				p.seeds[b] = seed
				placed = true
				break
			}
		}
		if !placed {
			return perfectHash{}, errNoSeed
		}
	}
	return p, nil
}

// placePerfectHash rebuilds the slots from seeds found before (by
// buildPerfectHash, in gen), checking that they still place every key alone.
func placePerfectHash(hashes []uint64, seeds []uint32) (perfectHash, error) {
	n := len(hashes)
	if len(seeds) != (n+3)/4 {
		return perfectHash{}, fmt.Errorf("%d seeds for %d keys, want %d", len(seeds), n, (n+3)/4)
	}
	p := newPerfectHash(hashes)
	p.seeds = seeds
	for i, h := range hashes {
		s := p.slot(h, p.seeds[p.bucket(h)])
		if p.slots[s] >= 0 {
			return perfectHash{}, errors.New("the seeds do not fit the keys (regenerate the file)")
		}
		p.slots[s] = int32(i)
	}
	return p, nil
}
