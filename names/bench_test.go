package names

import "testing"

var benchNames = []string{"이영호", "Lee Young-ho", "Ri Yong Ho", "YONGHO LEE", "李英浩", "Kim Chul-soo", "Choe Ryong Hae", "Jung Hoon Lee"}

// BenchmarkKeys measures Keys on a mix of scripts, one name per op.
func BenchmarkKeys(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Keys(benchNames[i%len(benchNames)])
	}
}

// BenchmarkKeysHangul and BenchmarkKeysRoman split the mix by script.
func BenchmarkKeysHangul(b *testing.B) {
	for b.Loop() {
		Keys("이영호")
	}
}

func BenchmarkKeysRoman(b *testing.B) {
	for b.Loop() {
		Keys("Lee Young-ho")
	}
}

// BenchmarkParse measures preparing one name for comparison.
func BenchmarkParse(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Parse(benchNames[i%len(benchNames)])
	}
}

// BenchmarkParsedSimilarity is the linkage engine's inner loop: comparing
// two already parsed names, cycling through every pair of the mix.
func BenchmarkParsedSimilarity(b *testing.B) {
	ps := make([]*Parsed, len(benchNames))
	for i, n := range benchNames {
		ps[i] = Parse(n)
	}
	n := len(ps)
	for i := 0; b.Loop(); i++ {
		ps[i%n].Similarity(ps[(i/n)%n])
	}
}

// BenchmarkParsedSimilarityRoman compares two romanized names with several
// readings each, the slowest common case.
func BenchmarkParsedSimilarityRoman(b *testing.B) {
	p, q := Parse("Jung Hoon Lee"), Parse("Ri Yong Ho")
	for b.Loop() {
		p.Similarity(q)
	}
}

// BenchmarkSimilarity includes parsing both names.
func BenchmarkSimilarity(b *testing.B) {
	for b.Loop() {
		Similarity("Lee Young-ho", "이영호")
	}
}
