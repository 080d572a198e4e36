package sim

import "math/rand/v2"

// stream is one random stream of one path: a PCG generator whose 128-bit
// state is derived from the scenario seed, the path index and the stream's
// purpose and owner (streamID). Streams are reseeded in place for each path,
// so a worker allocates them once.
type stream struct {
	pcg rand.PCG
	rng *rand.Rand
	// anti mirrors the draws of uniform and normal: the antithetic twin.
	anti bool
}

func newStream() *stream {
	s := &stream{}
	s.rng = rand.New(&s.pcg)
	return s
}

// reset positions s at the start of the stream id of path on seed, with
// its draws mirrored if anti.
func (s *stream) reset(seed uint64, path int, id uint64, anti bool) {
	s.pcg.Seed(pathSeeds(seed, path, id))
	s.anti = anti
}

// uniform returns a uniform draw in [0, 1), or 1 minus it when mirrored.
func (s *stream) uniform() float64 {
	u := s.rng.Float64()
	if s.anti {
		return 1 - u
	}
	return u
}

// normal returns a standard normal draw, negated when mirrored.
func (s *stream) normal() float64 {
	z := s.rng.NormFloat64()
	if s.anti {
		return -z
	}
	return z
}

// pathSeeds returns the PCG seed pair of stream id of path on seed. The
// first word depends on the seed and stream, the second on the path and
// stream; both pass through SplitMix64's bijective finaliser, so distinct
// (seed, path, stream) triples give distinct PCG states unless two stream
// names collide in 64-bit FNV-1a.
func pathSeeds(seed uint64, path int, id uint64) (uint64, uint64) {
	return splitMix64(seed ^ splitMix64(id)), splitMix64(uint64(path) ^ splitMix64(id^0x5851f42d4c957f2d))
}

// splitMix64 is the output function of Steele, Lea and Flood's SplitMix64
// (2014): a bijection on uint64 with good avalanche.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
