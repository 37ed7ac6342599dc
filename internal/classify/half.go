package classify

import "math"

// Weights are stored as IEEE 754 half-precision floats: three significant
// digits are plenty for a linear model's weights, and they halve the size
// of a model and of its working set in the cache.

// toHalf rounds f to the nearest half-precision float (ties to even);
// beyond the half range it saturates to ±65504; below the smallest normal
// half (6.1e-5) and NaN become 0.
func toHalf(f float32) uint16 {
	if f != f {
		return 0
	}
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int((b>>23)&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case exp >= 0x1f:
		return sign | 0x7bff // saturate: a weight never needs infinity
	case exp <= 0:
		return sign // below the smallest normal half: zero, as fromHalf reads it
	}
	half := uint16(exp)<<10 | uint16(mant>>13)
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && half&1 == 1) {
		half++ // may carry into the exponent, which is still right
	}
	if half >= 0x7c00 {
		half = 0x7bff
	}
	return sign | half
}

// fromHalf widens a half-precision float. Subnormal halves (below 6.1e-5,
// far below any weight that matters) read as zero, infinities and NaNs too
// (toHalf never writes them), so the conversion is one test and a shift.
func fromHalf(h uint16) float32 {
	if h&0x7c00 == 0 || h&0x7c00 == 0x7c00 {
		return 0
	}
	return math.Float32frombits(uint32(h&0x8000)<<16 | (uint32(h&0x7fff)<<13 + (127-15)<<23))
}
