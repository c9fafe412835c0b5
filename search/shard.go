package search

import (
	"hash/maphash"
	"runtime"
	"sync"
	"unicode/utf8"
)

// shard is the text index of a contiguous range of field ids. A bulk load
// indexes its texts in one shard per processor, in parallel; later writes
// go to the last shard. Terms are kept as 64-bit hashes (with a seed
// drawn per index), not as strings: the dictionary holds no text, and a
// collision, about three chances in a million at ten million terms, could at worst
// add a false candidate.
type shard struct {
	termIdx   map[uint64]uint32 // hash of a term → term id
	cjkTerms  map[rune][]uint32 // CJK character → ids of the terms holding it
	postings  [][]uint32        // term id → field ids, ascending
	lastField []uint32          // term id → the last field added to its postings, plus one
	sc        scanner
}

func newShard() *shard {
	return &shard{termIdx: map[uint64]uint32{}, cjkTerms: map[rune][]uint32{}}
}

// add indexes field id's text.
func (s *shard) add(seed maphash.Seed, id uint32, text string) {
	s.sc.scan(text, true, func(term []byte, _, _ int, _ bool) {
		h := maphash.Bytes(seed, term)
		t, ok := s.termIdx[h]
		if !ok {
			t = uint32(len(s.postings))
			s.termIdx[h] = t
			s.postings = append(s.postings, nil)
			s.lastField = append(s.lastField, 0)
			if r, _ := utf8.DecodeRune(term); isCJK(r) {
				for _, r := range string(term) {
					s.cjkTerms[r] = addValue(s.cjkTerms[r], t)
				}
			}
		}
		if s.lastField[t] != id+1 {
			s.lastField[t] = id + 1
			s.postings[t] = append(s.postings[t], id)
		}
	})
}

// list returns the postings of one group of term hashes (OR within it).
func (s *shard) list(g group) []uint32 {
	if g.cjk != 0 {
		return s.union(s.cjkTerms[g.cjk])
	}
	if id, ok := s.termIdx[g.hash]; ok {
		return s.postings[id]
	}
	return nil
}

// union merges the postings of several terms.
func (s *shard) union(terms []uint32) []uint32 {
	if len(terms) == 1 {
		return s.postings[terms[0]]
	}
	var out []uint32
	for _, t := range terms {
		out = append(out, s.postings[t]...)
	}
	sortUnique(&out)
	return out
}

// indexPending indexes the texts of the fields added since the last call,
// split into one new shard per processor.
func (ix *Index) indexPending() {
	from := ix.indexed
	to := len(ix.fields)
	if from >= to {
		return
	}
	n := min(runtime.GOMAXPROCS(0), max(1, (to-from)/10000))
	shards := make([]*shard, n)
	var wg sync.WaitGroup
	for k := range n {
		lo, hi := from+(to-from)*k/n, from+(to-from)*(k+1)/n
		shards[k] = newShard()
		wg.Go(func() {
			for id := lo; id < hi; id++ {
				if f := &ix.fields[id]; f.live {
					shards[k].add(ix.seed, uint32(id), f.text)
				}
			}
		})
	}
	wg.Wait()
	ix.shards = append(ix.shards, shards...)
	ix.indexed = to
}
