package search

import "math/bits"

// hashTerm is the 64-bit hash under which a term is kept, keyed by the
// index's seed. Unlike hash/maphash, whose values hold in one process
// only, the same seed and term give the same hash in every process, so
// an index saved by one run is read by the next. It is wyhash's final
// mixing (Wang Yi's public-domain design) over little-endian words.
func hashTerm[T string | []byte](seed uint64, b T) uint64 {
	const p0, p1 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
	s := seed ^ p0
	n := len(b)
	var a, c uint64
	switch {
	case n > 16:
		p := b
		for len(p) > 16 {
			s = mix(le64(p)^p1, le64(p[8:])^s)
			p = p[16:]
		}
		a, c = le64(b[n-16:]), le64(b[n-8:])
	case n >= 4:
		q := (n >> 3) << 2
		a = le32(b)<<32 | le32(b[q:])
		c = le32(b[n-4:])<<32 | le32(b[n-4-q:])
	case n > 0:
		a = uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1])
	}
	return mix(p1^uint64(n), mix(a^p1, c^s))
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

func le32[T string | []byte](b T) uint64 {
	_ = b[3]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
}

func le64[T string | []byte](b T) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
