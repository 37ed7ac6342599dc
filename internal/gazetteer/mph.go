package gazetteer

import (
	"errors"
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
}

func (p *perfectHash) bucket(h uint64) int { return int((h >> 32) % uint64(len(p.seeds))) }

func (p *perfectHash) slot(h uint64, seed uint32) int {
	return int(mix(h^(uint64(seed)*0x9e3779b97f4a7c15)) % uint64(len(p.slots)))
}

// find returns the key index that h may be, or -1; the caller compares bytes.
func (p *perfectHash) find(h uint64) int {
	if len(p.seeds) == 0 {
		return -1
	}
	return int(p.slots[p.slot(h, p.seeds[p.bucket(h)])])
}

var errNoSeed = errors.New("gazetteer: no perfect hash seed found (duplicate keys?)")

// buildPerfectHash places n keys, given by their mixed hashes, in slots at a
// load of about 85%. Duplicate hashes cannot be placed and are an error.
func buildPerfectHash(hashes []uint64) (perfectHash, error) {
	n := len(hashes)
	p := perfectHash{seeds: make([]uint32, (n+3)/4), slots: make([]int32, n*100/85+1)}
	if n == 0 {
		p.seeds = nil
		return p, nil
	}
	for i := range p.slots {
		p.slots[i] = -1
	}
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
