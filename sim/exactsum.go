package sim

import (
	"math"
	"math/big"
)

// exactSum adds float64 values without rounding: it is a fixed-point
// integer (a Kulisch accumulator) wide enough for every finite float64,
// stored in 32-bit digits held in int64 words so that an addition touches
// three words and carries are propagated only now and then. Because the
// sum is exact it does not depend on the order of the additions, so sums
// taken by several workers, or by several shards on several machines, add
// up to exactly the sum one process takes; the result is rounded once, to
// the nearest float64, when it is read.
//
// Digit k holds bits 32k to 32k+31 of the sum in units of the smallest
// subnormal, 2⁻¹⁰⁷⁴. Non-finite values are summed separately, in float64,
// so that a NaN or an infinity still shows in the result.
type exactSum struct {
	Digits  [exactDigits]int64
	Pending int32   // additions since the digits were last normalised
	Special float64 // sum of the non-finite values added
}

const (
	// exactDigits covers bit positions 0 to 2045+84 of the fixed point and
	// a top digit for carries and the sign.
	exactDigits = 68
	// exactPending is how many additions the digits absorb before carries
	// must be propagated: each adds less than 2³² to a digit, so a digit
	// stays below 2⁶¹ in magnitude, and two accumulators can be merged.
	exactPending = 1 << 29
)

// add adds x exactly.
func (s *exactSum) add(x float64) {
	bits := math.Float64bits(x)
	exp := int(bits >> 52 & 0x7ff)
	mant := bits & (1<<52 - 1)
	switch {
	case exp == 0x7ff:
		s.Special += x
		return
	case exp == 0:
		exp = 1 // subnormal
	default:
		mant |= 1 << 52
	}
	if mant == 0 {
		return
	}
	// x = ±mant·2^(exp−1075) = ±mant·2^pos units.
	pos := uint(exp - 1)
	k, shift := pos/32, pos%32
	lo := mant << shift
	hi := uint64(0)
	if shift > 0 {
		hi = mant >> (64 - shift)
	}
	d0, d1, d2 := int64(lo&0xffffffff), int64(lo>>32), int64(hi)
	if bits>>63 != 0 {
		d0, d1, d2 = -d0, -d1, -d2
	}
	s.Digits[k] += d0
	s.Digits[k+1] += d1
	s.Digits[k+2] += d2
	s.Pending++
	if s.Pending >= exactPending {
		s.normalise()
	}
}

// addProduct adds a·b exactly: the rounded product and, by FMA, its
// rounding error.
func (s *exactSum) addProduct(a, b float64) {
	hi := a * b
	s.add(hi)
	s.add(math.FMA(a, b, -hi))
}

// normalise propagates carries so that every digit but the top one is in
// [0, 2³²).
func (s *exactSum) normalise() {
	for k := range exactDigits - 1 {
		carry := s.Digits[k] >> 32 // arithmetic shift: floor division
		s.Digits[k] -= carry << 32
		s.Digits[k+1] += carry
	}
	s.Pending = 0
}

// merge adds o's sum to s.
func (s *exactSum) merge(o *exactSum) {
	s.normalise()
	for k, d := range o.Digits {
		s.Digits[k] += d
	}
	s.Special += o.Special
	s.Pending = o.Pending + 1
	s.normalise()
}

// big returns the exact sum of the finite values added.
func (s *exactSum) big() *big.Float {
	t := *s
	t.normalise()
	var n big.Int
	for k := exactDigits - 1; k >= 0; k-- {
		n.Lsh(&n, 32)
		n.Add(&n, big.NewInt(t.Digits[k]))
	}
	f := new(big.Float).SetInt(&n)
	return f.SetMantExp(f, -1074)
}

// value returns the sum rounded to the nearest float64.
func (s *exactSum) value() float64 {
	v, _ := s.big().Float64()
	return v + s.Special
}
