package platform

import "unicode"

// maxLabel is the longest a DNS label may be, in bytes of its ASCII form.
const maxLabel = 63

// punycodeLength returns the length of label's ACE form ("xn--" and the RFC
// 3492 encoding of its lower-cased code points), as IDNA toASCII builds it
// for a label that is not all ASCII.
func punycodeLength(label string) int {
	const (
		base, tMin, tMax = 36, 1, 26
		skew, damp       = 38, 700
		initialBias      = 72
		initialN         = 128
	)
	var arr [maxLabel + 1]rune
	cps := arr[:0]
	for _, r := range label {
		if len(cps) > maxLabel {
			// Every code point takes at least one byte of the ACE form,
			// so the label is too long whatever its encoding.
			return len("xn--") + len(cps)
		}
		cps = append(cps, unicode.ToLower(r))
	}
	out := 0
	basic := 0
	for _, r := range cps {
		if r < 0x80 {
			basic++
		}
	}
	out += basic
	if basic > 0 {
		out++ // delimiter
	}
	n, delta, bias := rune(initialN), 0, initialBias
	h := basic
	for h < len(cps) {
		m := rune(unicode.MaxRune + 1)
		for _, r := range cps {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range cps {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := k - bias
				if t < tMin {
					t = tMin
				} else if t > tMax {
					t = tMax
				}
				if q < t {
					break
				}
				out++
				q = (q - t) / (base - t)
			}
			out++
			// adapt the bias
			d := delta
			if h == basic {
				d /= damp
			} else {
				d /= 2
			}
			d += d / (h + 1)
			k := 0
			for d > ((base-tMin)*tMax)/2 {
				d /= base - tMin
				k += base
			}
			bias = k + (base-tMin+1)*d/(d+skew)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return len("xn--") + out
}
