package classify

import "math"

// Weights are stored as IEEE 754 half-precision floats: three significant
// digits are plenty for a linear model's weights, and they halve the size
// of a model and of its working set in the cache.

// toHalf rounds f to the nearest half-precision float (ties to even);
// beyond the half range it saturates to ±65504, NaN becomes 0.
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
		if exp < -10 {
			return sign // too small: zero
		}
		mant |= 0x800000
		shift := uint32(14 - exp)
		half := uint16(mant >> shift)
		rem := mant & (1<<shift - 1)
		mid := uint32(1) << (shift - 1)
		if rem > mid || (rem == mid && half&1 == 1) {
			half++
		}
		return sign | half
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

// fromHalf widens a half-precision float. Infinities and NaNs are never
// written by toHalf and read as 0, so a damaged file cannot poison a score.
func fromHalf(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch exp {
	case 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		// subnormal: mant × 2^-24
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			return -f
		}
		return f
	case 0x1f:
		return 0
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}
