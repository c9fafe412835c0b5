package search

import (
	"math"
	mbits "math/bits"
	"runtime"
	"slices"
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
	// Postings, term id → field ids, ascending. A bulk load lays the
	// lists of its terms out in one arena, term t's at arena[off[t]:
	// off[t+1]]; a term numbered later, or one a later write has added
	// to, has its whole list in more. Offsets rather than slices: the
	// garbage collector never scans the arena's tens of millions of lists.
	arena []uint32
	off   []int
	more  map[uint32][]uint32
	sc    scanner
	// touched sums the slots build reads ahead, so that the reads are kept.
	touched uint64
}

func newShard() *shard {
	return &shard{cjkTerms: map[rune][]uint32{}, more: map[uint32][]uint32{}}
}

// postings returns the field ids of term t, ascending. The list may not
// be changed, nor appended to in place: its capacity is its length.
func (s *shard) postings(t uint32) []uint32 {
	if len(s.more) > 0 {
		if l, ok := s.more[t]; ok {
			return l
		}
	}
	if int(t)+1 < len(s.off) {
		a, b := s.off[t], s.off[t+1]
		return s.arena[a:b:b]
	}
	return nil
}

// termTable maps term hashes to term ids, numbered in order of arrival:
// open addressing with linear probing, at most half full. A slot keeps
// beside the hash the last field posted under the term, so that indexing
// a term reads one cache line, where a map and a side table read two or
// three.
type termTable struct {
	slots   []termSlot
	n       int
	touched uint64 // see shard.touched
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
	// A batch of slots at a time, their new places read first: see build.
	var touch uint64
	for b := 0; b < len(old); b += termBatch {
		batch := old[b:min(b+termBatch, len(old))]
		for i := range batch {
			touch += t.slots[batch[i].hash&mask].hash
		}
		for _, o := range batch {
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
	t.touched += touch
}

// newTermRunes notes the CJK characters r1 and, unless 0, r2 of a term
// just numbered t, as newTerm does.
func (s *shard) newTermRunes(t uint32, r1, r2 rune) {
	if !isCJK(r1) {
		return
	}
	s.cjkTerms[r1] = addValue(s.cjkTerms[r1], t)
	if r2 != 0 {
		s.cjkTerms[r2] = addValue(s.cjkTerms[r2], t)
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
func (s *shard) add(seed uint64, id uint32, text string) {
	s.sc.scan(text, true, func(term []byte, _, _ int, _ bool) {
		sl, added := s.terms.add(hashTerm(seed, term))
		t := sl.id
		if added {
			s.newTerm(t, term)
		}
		if sl.last != id+1 {
			sl.last = id + 1
			// A bulk list has no room: the first append copies it out.
			s.more[t] = append(s.postings(t), id)
		}
	})
}

// list returns the postings of one group of term hashes (OR within it).
func (s *shard) list(g group) []uint32 {
	if g.cjk != 0 {
		return s.union(s.cjkTerms[g.cjk])
	}
	if sl := s.terms.find(g.hash); sl != nil {
		return s.postings(sl.id)
	}
	return nil
}

// union merges the postings of several terms. A lone Korean syllable is
// held by hundreds of bigrams, whose lists together may hold millions of
// ids: those are set in a bitset over the shard's field range and read
// back in order, rather than sorted.
func (s *shard) union(terms []uint32) []uint32 {
	if len(terms) == 1 {
		return s.postings(terms[0])
	}
	total := 0
	lo, hi := uint32(math.MaxUint32), uint32(0)
	for _, t := range terms {
		if l := s.postings(t); len(l) > 0 {
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
			out = append(out, s.postings(t)...)
		}
		sortUnique(&out)
		return out
	}
	bits := make([]uint64, (hi-lo)/64+1)
	for _, t := range terms {
		for _, f := range s.postings(t) {
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
//
// At a million persons the term table is hundreds of megabytes and most
// lookups of a rare term miss every cache. The terms are therefore hashed
// a batch at a time and the batch's slots read once before any is used,
// so that the processor waits for all of those misses together instead of
// one after the other.
func (s *shard) build(seed uint64, fields []field, lo, hi int) {
	// The stream is kept in blocks of a fixed size, so that it never
	// grows by copying: at a million persons it holds hundreds of
	// millions of ids.
	const block = 1 << 20
	var blocks [][]uint32
	cur := make([]uint32, 0, block)
	// ends[i] is where the stream of field lo+i ends; fields up to done
	// have theirs.
	ends := make([]int, hi-lo)
	total, done := 0, lo-1
	var batch [termBatch]pendingTerm
	n := 0
	flush := func() {
		t := &s.terms
		if 2*(t.n+n) > len(t.slots) {
			t.grow()
		}
		mask := uint64(len(t.slots) - 1)
		var touch uint64
		for _, e := range batch[:n] {
			touch += t.slots[e.h&mask].hash
		}
		s.touched += touch
		for _, e := range batch[:n] {
			sl, added := t.add(e.h)
			if added && e.r1 != 0 {
				s.newTermRunes(sl.id, e.r1, e.r2)
			}
			if sl.last != e.mark {
				sl.last = e.mark
				for id := int(e.mark) - 1; done < id; done++ {
					if done >= lo {
						ends[done-lo] = total
					}
				}
				if len(cur) == block {
					blocks = append(blocks, cur)
					cur = make([]uint32, 0, block)
				}
				cur = append(cur, sl.id)
				total++
			}
		}
		n = 0
	}
	for id := lo; id < hi; id++ {
		if f := &fields[id]; f.live {
			mark := uint32(id) + 1
			s.sc.scan(f.text, true, func(term []byte, _, _ int, latin bool) {
				e := &batch[n]
				e.h, e.mark, e.r1, e.r2 = max(hashTerm(seed, term), 1), mark, 0, 0
				// A CJK term of one or two characters (up to eight bytes;
				// a run of three is at least nine) joins the lists of its
				// characters when new.
				if !latin && len(term) <= 2*utf8.UTFMax {
					r1, size := utf8.DecodeRune(term)
					e.r1 = r1
					if size < len(term) {
						e.r2, _ = utf8.DecodeRune(term[size:])
					}
				}
				if n++; n == termBatch {
					flush()
				}
			})
		}
	}
	flush()
	for ; done < hi; done++ {
		if done >= lo {
			ends[done-lo] = total
		}
	}
	blocks = append(blocks, cur)
	// next[t] counts term t's postings, then is where its next one goes.
	next := make([]int, s.terms.n+1)
	for _, b := range blocks {
		for _, t := range b {
			next[t+1]++
		}
	}
	for t := 1; t < len(next); t++ {
		next[t] += next[t-1]
	}
	arena := make([]uint32, total)
	s.arena, s.off = arena, slices.Clone(next)
	// Every id of the stream goes to its term's next place, as the field
	// it came from. Written straight from the stream, each id would miss
	// the caches twice (next and the arena are far larger than they are),
	// so a window of the stream at a time is first sorted by range of
	// terms, stably, into buckets; a bucket's places then lie in one
	// small stretch of next and of the arena.
	const window = 1 << 22
	shift := max(0, mbits.Len(uint(s.terms.n))-10)
	nb := s.terms.n>>shift + 1
	start := make([]int, nb+1)
	buf := make([]uint64, min(window, total)) // term<<32 | field
	pos, i := 0, 0
	for bi := 0; bi < len(blocks); {
		// The next window: whole blocks, as many as fit.
		w := 0
		end := bi
		for end < len(blocks) && (w == 0 || w+len(blocks[end]) <= len(buf)) {
			w += len(blocks[end])
			end++
		}
		if w > len(buf) {
			buf = make([]uint64, w)
		}
		clear(start)
		for _, b := range blocks[bi:end] {
			for _, t := range b {
				start[t>>shift+1]++
			}
		}
		for k := 1; k <= nb; k++ {
			start[k] += start[k-1]
		}
		for ; bi < end; bi++ {
			for _, t := range blocks[bi] {
				for pos == ends[i] {
					i++
				}
				k := t >> shift
				buf[start[k]] = uint64(t)<<32 | uint64(lo+i)
				start[k]++
				pos++
			}
			blocks[bi] = nil // the block is read: let it go
		}
		for _, e := range buf[:w] {
			t := e >> 32
			arena[next[t]] = uint32(e)
			next[t]++
		}
	}
}

// termBatch is how many terms build hashes before it looks any up.
const termBatch = 32

// pendingTerm is a term hashed and waiting for its lookup.
type pendingTerm struct {
	h      uint64 // its hash, never 0
	mark   uint32 // its field id plus one
	r1, r2 rune   // a CJK term of one or two characters: those, else 0
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
