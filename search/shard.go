package search

import (
	"hash/maphash"
	"math"
	mbits "math/bits"
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
	terms    termTable         // hash of a term → term id
	cjkTerms map[rune][]uint32 // CJK character → ids of the terms holding it
	postings [][]uint32        // term id → field ids, ascending
	sc       scanner
}

func newShard() *shard {
	return &shard{cjkTerms: map[rune][]uint32{}}
}

// termTable maps term hashes to term ids, numbered in order of arrival:
// open addressing with linear probing, at most half full. A slot keeps
// beside the hash the last field posted under the term, so that indexing
// a term reads one cache line, where a map and a side table read two or
// three.
type termTable struct {
	slots []termSlot
	n     int
}

type termSlot struct {
	hash uint64 // 0 for an empty slot; a term hashed to 0 is kept as 1
	id   uint32
	last uint32 // the last field posted under the term, plus one
}

// find returns the slot of hash h, or nil.
func (t *termTable) find(h uint64) *termSlot {
	if t.n == 0 {
		return nil
	}
	h = max(h, 1)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch sl := &t.slots[i]; sl.hash {
		case h:
			return sl
		case 0:
			return nil
		}
	}
}

// add returns the slot of hash h, adding it with the next id if absent.
func (t *termTable) add(h uint64) (sl *termSlot, added bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	h = max(h, 1)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl = &t.slots[i]
		switch sl.hash {
		case h:
			return sl, false
		case 0:
			sl.hash, sl.id = h, uint32(t.n)
			t.n++
			return sl, true
		}
	}
}

func (t *termTable) grow() {
	old := t.slots
	t.slots = make([]termSlot, max(1024, 2*len(old)))
	mask := uint64(len(t.slots) - 1)
	for _, o := range old {
		if o.hash == 0 {
			continue
		}
		i := o.hash & mask
		for t.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = o
	}
}

// newTerm notes the CJK characters of a term just numbered t.
func (s *shard) newTerm(t uint32, term []byte) {
	// A lone character is the union of its bigrams; the longer runs add
	// nothing to it and would only lengthen the union.
	if r, _ := utf8.DecodeRune(term); isCJK(r) && utf8.RuneCount(term) <= 2 {
		for _, r := range string(term) {
			s.cjkTerms[r] = addValue(s.cjkTerms[r], t)
		}
	}
}

// add indexes field id's text.
func (s *shard) add(seed maphash.Seed, id uint32, text string) {
	s.sc.scan(text, true, func(term []byte, _, _ int, _ bool) {
		sl, added := s.terms.add(maphash.Bytes(seed, term))
		t := sl.id
		if added {
			s.postings = append(s.postings, nil)
			s.newTerm(t, term)
		}
		if sl.last != id+1 {
			sl.last = id + 1
			s.postings[t] = append(s.postings[t], id)
		}
	})
}

// list returns the postings of one group of term hashes (OR within it).
func (s *shard) list(g group) []uint32 {
	if g.cjk != 0 {
		return s.union(s.cjkTerms[g.cjk])
	}
	if sl := s.terms.find(g.hash); sl != nil {
		return s.postings[sl.id]
	}
	return nil
}

// union merges the postings of several terms. A lone Korean syllable is
// held by hundreds of bigrams, whose lists together may hold millions of
// ids: those are set in a bitset over the shard's field range and read
// back in order, rather than sorted.
func (s *shard) union(terms []uint32) []uint32 {
	if len(terms) == 1 {
		return s.postings[terms[0]]
	}
	total := 0
	lo, hi := uint32(math.MaxUint32), uint32(0)
	for _, t := range terms {
		if l := s.postings[t]; len(l) > 0 {
			total += len(l)
			lo, hi = min(lo, l[0]), max(hi, l[len(l)-1])
		}
	}
	if total == 0 {
		return nil
	}
	if total < 4096 || uint32(total) < (hi-lo)/64 {
		out := make([]uint32, 0, total)
		for _, t := range terms {
			out = append(out, s.postings[t]...)
		}
		sortUnique(&out)
		return out
	}
	bits := make([]uint64, (hi-lo)/64+1)
	for _, t := range terms {
		for _, f := range s.postings[t] {
			f -= lo
			bits[f/64] |= 1 << (f % 64)
		}
	}
	n := 0
	for _, w := range bits {
		n += mbits.OnesCount64(w)
	}
	out := make([]uint32, 0, n)
	for i, w := range bits {
		for w != 0 {
			out = append(out, lo+uint32(i*64+mbits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return out
}

// build indexes the texts of fields [lo, hi) into an empty shard in bulk.
// A first pass numbers the terms and writes each field's distinct terms
// into one stream; a counting sort then lays every term's postings out in
// one arena, ascending, so that no list is grown by appending. Each list
// keeps its length as its capacity: a later add copies it out.
func (s *shard) build(seed maphash.Seed, fields []field, lo, hi int) {
	// The stream is kept in blocks of a fixed size, so that it never
	// grows by copying: at a million persons it holds hundreds of
	// millions of ids.
	const block = 1 << 20
	var blocks [][]uint32
	cur := make([]uint32, 0, block)
	ends := make([]int, 0, hi-lo)
	total := 0
	for id := lo; id < hi; id++ {
		if f := &fields[id]; f.live {
			mark := uint32(id) + 1
			s.sc.scan(f.text, true, func(term []byte, _, _ int, _ bool) {
				sl, added := s.terms.add(maphash.Bytes(seed, term))
				if added {
					s.newTerm(sl.id, term)
				}
				if sl.last != mark {
					sl.last = mark
					if len(cur) == block {
						blocks = append(blocks, cur)
						cur = make([]uint32, 0, block)
					}
					cur = append(cur, sl.id)
					total++
				}
			})
		}
		ends = append(ends, total)
	}
	blocks = append(blocks, cur)
	count := make([]uint32, s.terms.n)
	for _, b := range blocks {
		for _, t := range b {
			count[t]++
		}
	}
	arena := make([]uint32, total)
	s.postings = make([][]uint32, len(count))
	off := uint32(0)
	for t, c := range count {
		s.postings[t] = arena[off : off+c : off+c]
		count[t] = off
		off += c
	}
	// Every id of the stream goes to its term's next place, as the field
	// it came from: ends[i] is where the stream of field lo+i ends.
	pos, i := 0, 0
	for bi, b := range blocks {
		for _, t := range b {
			for pos == ends[i] {
				i++
			}
			arena[count[t]] = uint32(lo + i)
			count[t]++
			pos++
		}
		blocks[bi] = nil // the block is read: let it go
	}
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
		wg.Go(func() { shards[k].build(ix.seed, ix.fields, lo, hi) })
	}
	wg.Wait()
	ix.shards = append(ix.shards, shards...)
	ix.indexed = to
}
