package linkage

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Rule is one blocking rule: records that share one of its keys become
// candidate pairs. The candidate pairs are the union over all rules, each
// pair counted once, so rules may overlap freely: each catches the matches
// another misses (a name key misses typos, a birth-and-county key misses
// missing birth dates).
type Rule struct {
	Name string
	// Keys appends record i's keys to dst. Keys are hashes (see Hash);
	// a record without the fields the rule needs has none. It is called
	// concurrently.
	Keys func(i int, dst []uint64) []uint64
	// Uses names the comparisons whose fields the keys are made of. A
	// rule used for training estimates nothing about them: its pairs were
	// chosen for agreeing there.
	Uses []string
	// Budget bounds the pairs the rule may make, per record: when its
	// blocks would make more, the smallest blocks — the most telling — are
	// paired first until the budget is spent, and the rest are skipped.
	// It keeps a broad rule that is cheap at twenty thousand records from
	// costing most of the time at a million. 0 means no bound; a budget is
	// never below MinBudget pairs in all.
	Budget float64
	// Probe, when set, makes the rule one-sided: it pairs only records of
	// which at least one is a probe. A rule meant to find one kind of
	// record (a name written in pinyin) need not pair all the others.
	Probe func(i int) bool
	// MaxBlock is the largest group of records sharing a key that the rule
	// pairs; larger groups are skipped, as a key that common proves
	// nothing and would cost a quadratic number of pairs. 0 means
	// DefaultMaxBlock.
	MaxBlock int
}

// MinBudget is the fewest pairs a rule with a Budget may make.
const MinBudget = 250_000

// DefaultMaxBlock is the block size limit of a rule that sets none.
const DefaultMaxBlock = 500

// Pair is a pair of records, A < B, and how they compare: the pairs of a
// training session.
type Pair struct {
	A, B    int32
	Pattern Pattern
}

// RuleStats tells what one blocking rule contributed.
type RuleStats struct {
	Name    string
	Keys    int // keys over all records
	Blocks  int // groups of two or more records
	Skipped int // groups not paired: larger than MaxBlock, or beyond the Budget
	Pairs   int // pairs the rule made, some of which other rules make too
}

// keyIndex holds every record's keys for one rule, sorted, as one array
// with offsets.
type keyIndex struct {
	off  []int32
	keys []uint64
}

func (x *keyIndex) of(i int32) []uint64 { return x.keys[x.off[i]:x.off[i+1]] }

type entry struct {
	key uint64
	rec int32
}

// Candidates applies the rules to n records and returns the candidate
// pairs: every pair of records that share a key of some rule in a block
// no larger than the rule's MaxBlock, each once, as PackPair values in
// ascending order. Rules overlap freely, so a pair is generated as often as
// the rules find it and the repeats are removed by sorting, which costs
// less than asking, for every pair, whether an earlier rule found it.
func Candidates(ctx context.Context, n int, rules []Rule, workers int) ([]uint64, []RuleStats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	blockings := make([]*blocked, len(rules))
	stats := make([]RuleStats, len(rules))
	// Rules are blocked side by side: sorting a rule's keys is the one
	// step that does not spread over the workers by itself.
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for r, rule := range rules {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			b := block(n, rule, workers, false)
			st := RuleStats{Name: rule.Name, Keys: len(b.entries), Blocks: len(b.blocks), Skipped: b.skipped}
			for _, bl := range b.blocks {
				st.Pairs += b.pairsIn(bl)
			}
			blockings[r], stats[r] = b, st
		}()
	}
	wg.Wait()
	total := 0
	for _, st := range stats {
		total += st.Pairs
	}
	all := make([]uint64, total)
	off := 0
	for r, b := range blockings {
		b.generate(all[off:off+stats[r].Pairs], workers)
		off += stats[r].Pairs
		blockings[r] = nil // let the rule's entries go
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	all = radixSortPairs(all, n)
	return slices.Compact(all), stats, nil
}

// PackPair packs a pair of record indexes, a < b, into one sortable value.
func PackPair(a, b int32) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// UnpackPair is the inverse of PackPair.
func UnpackPair(p uint64) (a, b int32) { return int32(p >> 32), int32(uint32(p)) }

// generate writes the pairs of every block into dst, which has exactly
// the room they need, in parallel over chunks of blocks.
func (b *blocked) generate(dst []uint64, workers int) {
	type chunk struct{ from, to, off int }
	var chunks []chunk
	from, off, work := 0, 0, 0
	for i, bl := range b.blocks {
		work += b.pairsIn(bl)
		if work >= 1<<16 || i == len(b.blocks)-1 {
			chunks = append(chunks, chunk{from, i + 1, off})
			off += work
			from, work = i+1, 0
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, max(len(chunks), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1)) - 1
				if c >= len(chunks) {
					return
				}
				k := chunks[c].off
				for _, bl := range b.blocks[chunks[c].from:chunks[c].to] {
					for x := bl[0]; x < bl[1]; x++ {
						ra := b.entries[x].rec
						pa := b.probe == nil || b.probe(int(ra))
						for y := x + 1; y < bl[1]; y++ {
							rb := b.entries[y].rec
							if pa || b.probe(int(rb)) {
								dst[k] = PackPair(ra, rb)
								k++
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}

// radixSortPairs sorts packed pairs of indexes below n, least significant
// digit first, over only as many bits as the indexes use.
func radixSortPairs(a []uint64, n int) []uint64 {
	if len(a) < 1<<12 {
		slices.Sort(a)
		return a
	}
	bits := 1
	for 1<<bits < n {
		bits++
	}
	const digit = 11
	buf := make([]uint64, len(a))
	count := make([]int, 1<<digit)
	// The low word holds b, the high word a: sort b's bits, then a's.
	var shifts []uint
	for s := 0; s < bits; s += digit {
		shifts = append(shifts, uint(s))
	}
	for s := 0; s < bits; s += digit {
		shifts = append(shifts, uint(32+s))
	}
	for _, shift := range shifts {
		clear(count)
		for _, v := range a {
			count[(v>>shift)&(1<<digit-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, v := range a {
			d := (v >> shift) & (1<<digit - 1)
			buf[count[d]] = v
			count[d]++
		}
		a, buf = buf, a
	}
	return a
}

// TrainingPairs returns pairs of records that share a key of rule, for
// training: whole blocks in the order of their keys (hashes, so a random
// sample of blocks), until about limit pairs. A block of more than
// SampleBlock records contributes the pairs of a random SampleBlock of
// them, so that at a million records a few huge blocks do not make up the
// whole sample, while the share of matches among a block's pairs stays
// what it was. Unlike Candidates it does not care what other rules find.
func TrainingPairs(ctx context.Context, m *Model, n int, rule Rule, limit, workers int) ([]Pair, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := block(n, rule, workers, true)
	// Thin out large blocks: keep the records whose hash falls below
	// the block's share. The hash mixes the key so that a record kept in
	// one block is not for that reason kept in every other.
	kept := b.entries[:0:0]
	var blocks [][2]int32
	total := 0
	for _, bl := range b.blocks {
		size := int(bl[1] - bl[0])
		from := len(kept)
		for _, e := range b.entries[bl[0]:bl[1]] {
			if size <= SampleBlock || mix(e.key^uint64(e.rec)*0x9e3779b97f4a7c15)%uint64(size) < SampleBlock {
				kept = append(kept, e)
			}
		}
		if k := len(kept) - from; k >= 2 {
			blocks = append(blocks, [2]int32{int32(from), int32(len(kept))})
			total += k * (k - 1) / 2
		}
		if total >= limit {
			break
		}
	}
	b.entries = kept
	return b.pairs(ctx, m, blocks, workers, func(key uint64, a, bb int32) bool {
		// a pair sharing several keys is counted once, under the smallest
		return sharesSmallerKey(b.keys, key, a, bb)
	})
}

// SampleBlock is the most records of one block TrainingPairs pairs.
const SampleBlock = 64

// blocked is one rule applied: every record's keys, and the blocks of
// records sharing a key, in key order.
type blocked struct {
	keys    keyIndex
	entries []entry
	blocks  [][2]int32 // ranges of entries
	skipped int
	probe   func(i int) bool // see Rule.Probe
}

// pairsIn counts the pairs block bl yields.
func (b *blocked) pairsIn(bl [2]int32) int {
	size := int(bl[1] - bl[0])
	all := size * (size - 1) / 2
	if b.probe == nil {
		return all
	}
	rest := 0
	for _, e := range b.entries[bl[0]:bl[1]] {
		if !b.probe(int(e.rec)) {
			rest++
		}
	}
	return all - rest*(rest-1)/2
}

// block applies rule; keepKeys keeps every record's keys, less those of
// skipped blocks, for checking repeats within the rule.
func block(n int, rule Rule, workers int, keepKeys bool) *blocked {
	limit := rule.MaxBlock
	if limit <= 0 {
		limit = DefaultMaxBlock
	}
	b := &blocked{keys: buildKeys(n, rule, workers), probe: rule.Probe}
	var skipped map[uint64]bool
	b.entries = make([]entry, 0, len(b.keys.keys))
	for i := range n {
		for _, k := range b.keys.of(int32(i)) {
			b.entries = append(b.entries, entry{k, int32(i)})
		}
	}
	b.entries = radixSort(b.entries)
	for s := 0; s < len(b.entries); {
		e := s + 1
		for e < len(b.entries) && b.entries[e].key == b.entries[s].key {
			e++
		}
		switch size := e - s; {
		case size < 2:
		case size > limit:
			b.skipped++
			if skipped == nil {
				skipped = map[uint64]bool{}
			}
			skipped[b.entries[s].key] = true
		default:
			b.blocks = append(b.blocks, [2]int32{int32(s), int32(e)})
		}
		s = e
	}
	if rule.Budget > 0 {
		b.spend(max(int(rule.Budget*float64(n)), MinBudget), &skipped)
	}
	switch {
	case !keepKeys:
		b.keys = keyIndex{}
	case skipped != nil:
		// A skipped block paired nothing: its key must not count as a
		// pair already found when a pair is checked for repeats.
		b.keys = b.keys.without(skipped)
	}
	return b
}

// spend keeps the smallest blocks whose pairs fit in budget, in key order,
// and adds the keys of the others to skipped.
func (b *blocked) spend(budget int, skipped *map[uint64]bool) {
	total := 0
	for _, bl := range b.blocks {
		total += b.pairsIn(bl)
	}
	if total <= budget {
		return
	}
	order := make([]int, len(b.blocks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return int(b.blocks[x][1]-b.blocks[x][0]) - int(b.blocks[y][1]-b.blocks[y][0])
	})
	keep := make([]bool, len(b.blocks))
	spent := 0
	for _, i := range order {
		if n := b.pairsIn(b.blocks[i]); spent+n <= budget {
			keep[i] = true
			spent += n
		}
	}
	kept := b.blocks[:0]
	for i, bl := range b.blocks {
		if keep[i] {
			kept = append(kept, bl)
			continue
		}
		b.skipped++
		if *skipped == nil {
			*skipped = map[uint64]bool{}
		}
		(*skipped)[b.entries[bl[0]].key] = true
	}
	b.blocks = kept
}

// without returns the index less the given keys.
func (x keyIndex) without(drop map[uint64]bool) keyIndex {
	out := keyIndex{off: make([]int32, len(x.off)), keys: make([]uint64, 0, len(x.keys))}
	for i := 0; i+1 < len(x.off); i++ {
		for _, k := range x.keys[x.off[i]:x.off[i+1]] {
			if !drop[k] {
				out.keys = append(out.keys, k)
			}
		}
		out.off[i+1] = int32(len(out.keys))
	}
	return out
}

// pairs compares the pairs of the given blocks that skip does not reject,
// in parallel, in block order.
func (b *blocked) pairs(ctx context.Context, m *Model, blocks [][2]int32, workers int, skip func(key uint64, a, b int32) bool) ([]Pair, error) {
	// Chunks of blocks with similar work for the workers.
	var chunks [][2]int
	work, from := 0, 0
	for i, bl := range blocks {
		size := int(bl[1] - bl[0])
		work += size * (size - 1) / 2
		if work >= 1<<15 || i == len(blocks)-1 {
			chunks = append(chunks, [2]int{from, i + 1})
			work, from = 0, i+1
		}
	}
	out := make([][]Pair, len(chunks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, max(len(chunks), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1)) - 1
				if c >= len(chunks) || ctx.Err() != nil {
					return
				}
				var res []Pair
				for _, bl := range blocks[chunks[c][0]:chunks[c][1]] {
					key := b.entries[bl[0]].key
					for x := bl[0]; x < bl[1]; x++ {
						ra := b.entries[x].rec
						for y := x + 1; y < bl[1]; y++ {
							rb := b.entries[y].rec
							if skip(key, ra, rb) {
								continue
							}
							res = append(res, Pair{A: ra, B: rb, Pattern: m.Pattern(int(ra), int(rb))})
						}
					}
				}
				out[c] = res
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := 0
	for _, o := range out {
		total += len(o)
	}
	all := make([]Pair, 0, total)
	for _, o := range out {
		all = append(all, o...)
	}
	return all, nil
}

// buildKeys computes every record's keys for one rule, sorted and without
// repeats, in parallel.
func buildKeys(n int, rule Rule, workers int) keyIndex {
	const chunk = 8192
	nc := (n + chunk - 1) / chunk
	parts := make([][]uint64, nc)
	lens := make([][]int32, nc)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, max(nc, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []uint64
			for {
				c := int(next.Add(1)) - 1
				if c >= nc {
					return
				}
				var keys []uint64
				ls := make([]int32, 0, chunk)
				for i := c * chunk; i < min(n, (c+1)*chunk); i++ {
					buf = rule.Keys(i, buf[:0])
					slices.Sort(buf)
					buf = slices.Compact(buf)
					keys = append(keys, buf...)
					ls = append(ls, int32(len(buf)))
				}
				parts[c], lens[c] = keys, ls
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	ki := keyIndex{off: make([]int32, n+1), keys: make([]uint64, 0, total)}
	i := 0
	for c := range parts {
		ki.keys = append(ki.keys, parts[c]...)
		for _, l := range lens[c] {
			ki.off[i+1] = ki.off[i] + l
			i++
		}
	}
	return ki
}

// sharesSmallerKey reports whether records a and b share a key smaller
// than key: a pair of romanized names may share several, and is paired
// under the smallest.
func sharesSmallerKey(x keyIndex, key uint64, a, b int32) bool {
	ka, kb := x.of(a), x.of(b)
	for i, j := 0, 0; i < len(ka) && j < len(kb); {
		u, v := ka[i], kb[j]
		switch {
		case u >= key || v >= key:
			return false
		case u == v:
			return true
		case u < v:
			i++
		default:
			j++
		}
	}
	return false
}

// radixSort sorts entries by key, stably, so records keep their order
// within a block.
func radixSort(a []entry) []entry {
	if len(a) < 1024 {
		slices.SortStableFunc(a, func(x, y entry) int {
			switch {
			case x.key < y.key:
				return -1
			case x.key > y.key:
				return 1
			}
			return 0
		})
		return a
	}
	// Keys are hashes, so their top 33 bits all but decide the order:
	// three passes of 11 bits sort by them, and runs that share them — a
	// block's records, with the same key — are finished by insertion sort,
	// which leaves equal keys where they are.
	const digit, passes = 11, 3
	buf := make([]entry, len(a))
	count := make([]int, 1<<digit)
	for p := range passes {
		shift := 64 - digit*(passes-p)
		clear(count)
		for _, e := range a {
			count[(e.key>>shift)&(1<<digit-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, e := range a {
			d := (e.key >> shift) & (1<<digit - 1)
			buf[count[d]] = e
			count[d]++
		}
		a, buf = buf, a
	}
	const top = 64 - digit*passes
	for s := 0; s < len(a); {
		e := s + 1
		for e < len(a) && a[e].key>>top == a[s].key>>top {
			e++
		}
		for i := s + 1; i < e; i++ {
			for j := i; j > s && a[j].key < a[j-1].key; j-- {
				a[j], a[j-1] = a[j-1], a[j]
			}
		}
		s = e
	}
	return a
}

// Hash hashes a string for a blocking key (64-bit FNV-1a, then mixed).
func Hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix(h)
}

// Combine hashes a key made of several parts, in order.
func Combine(parts ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, p := range parts {
		h = mix(h ^ p + 0x9e3779b97f4a7c15 + h<<6 + h>>2)
	}
	return h
}

// mix is the finaliser of SplitMix64: every input bit moves every output
// bit, which the radix sort's even spread relies on.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
