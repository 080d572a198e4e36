package mcstat

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
)

// ExactSum adds float64 values without rounding: it is a fixed-point
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
type ExactSum struct {
	digits  [exactDigits]int64
	pending int32   // additions since the digits were last normalised
	special float64 // sum of the non-finite values added
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

// Add adds x exactly.
func (s *ExactSum) Add(x float64) {
	bits := math.Float64bits(x)
	exp := int(bits >> 52 & 0x7ff)
	mant := bits & (1<<52 - 1)
	switch {
	case exp == 0x7ff:
		s.special += x
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
	s.digits[k] += d0
	s.digits[k+1] += d1
	s.digits[k+2] += d2
	s.pending++
	if s.pending >= exactPending {
		s.Normalise()
	}
}

// AddProduct adds a·b exactly: the rounded product and, by FMA, its
// rounding error.
func (s *ExactSum) AddProduct(a, b float64) {
	hi := a * b
	s.Add(hi)
	s.Add(math.FMA(a, b, -hi))
}

// Normalise propagates carries so that every digit but the top one is in
// [0, 2³²): the canonical form, in which equal sums are equal structs.
func (s *ExactSum) Normalise() {
	for k := range exactDigits - 1 {
		carry := s.digits[k] >> 32 // arithmetic shift: floor division
		s.digits[k] -= carry << 32
		s.digits[k+1] += carry
	}
	s.pending = 0
}

// Merge adds o's sum to s.
func (s *ExactSum) Merge(o *ExactSum) {
	s.Normalise()
	for k, d := range o.digits {
		s.digits[k] += d
	}
	s.special += o.special
	s.pending = o.pending + 1
	s.Normalise()
}

// big returns the exact sum of the finite values added.
func (s *ExactSum) big() *big.Float {
	t := *s
	t.Normalise()
	var n big.Int
	for k := exactDigits - 1; k >= 0; k-- {
		n.Lsh(&n, 32)
		n.Add(&n, big.NewInt(t.digits[k]))
	}
	f := new(big.Float).SetInt(&n)
	return f.SetMantExp(f, -1074)
}

// Value returns the sum rounded to the nearest float64.
func (s *ExactSum) Value() float64 {
	v, _ := s.big().Float64()
	return v + s.special
}

// GobEncode encodes the sum compactly: its canonical digits from the
// lowest to the highest non-zero one, and the sum of non-finite values.
func (s ExactSum) GobEncode() ([]byte, error) {
	s.Normalise()
	lo, hi := 0, exactDigits-1
	for lo < exactDigits && s.digits[lo] == 0 {
		lo++
	}
	for hi >= lo && s.digits[hi] == 0 {
		hi--
	}
	out := binary.AppendUvarint(nil, math.Float64bits(s.special))
	out = binary.AppendUvarint(out, uint64(lo))
	for k := lo; k <= hi; k++ {
		out = binary.AppendVarint(out, s.digits[k])
	}
	return out, nil
}

// GobDecode decodes what GobEncode wrote.
func (s *ExactSum) GobDecode(data []byte) error {
	*s = ExactSum{}
	bad := errors.New("mcstat: corrupt ExactSum")
	special, n := binary.Uvarint(data)
	if n <= 0 {
		return bad
	}
	data = data[n:]
	lo, n := binary.Uvarint(data)
	if n <= 0 || lo > exactDigits {
		return bad
	}
	data = data[n:]
	for k := int(lo); len(data) > 0; k++ {
		d, n := binary.Varint(data)
		if n <= 0 || k >= exactDigits || k < exactDigits-1 && (d < 0 || d >= 1<<32) {
			return bad
		}
		s.digits[k] = d
		data = data[n:]
	}
	s.special = math.Float64frombits(special)
	return nil
}
