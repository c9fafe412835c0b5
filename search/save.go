package search

import (
	"fmt"
	"io"
	"math"
	"sync"

	"tumen"
)

// saveMagic opens the binary form; saveVersion changes whenever the
// form or the meaning of what it holds (the scanner's terms, the hash)
// changes, so that an index saved by another version is built afresh
// rather than misread.
const (
	saveMagic   = "tumen-search-index\x00"
	saveVersion = 1
)

// maxRecords bounds every count Restore reads.
const maxRecords = math.MaxInt32

// Save writes the whole index to w in its binary form, which holds every
// name and text the index holds: w must seal what it is given (see
// crypt.Keyring.SealStream). Searches go on meanwhile; writes wait until
// it returns. An index still being built (Start) is not saved.
func (ix *Index) Save(w io.Writer) error {
	_, err := ix.save(w)
	return err
}

// save is Save, and returns the version of the index it wrote.
func (ix *Index) save(w io.Writer) (uint64, error) {
	if err := ix.ready(); err != nil {
		return 0, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := newEncoder(w)
	e.write([]byte(saveMagic))
	e.uint(saveVersion)
	e.u64(1, func(int) uint64 { return ix.seed })
	e.uint(uint64(len(ix.codeNames)))
	e.strs(len(ix.codeNames), func(i int) string { return ix.codeNames[i] })

	ps := ix.persons
	e.uint(uint64(len(ps)))
	e.strs(len(ps), func(i int) string { return ps[i].id })
	e.u8(len(ps), func(i int) uint8 { return flags(ps[i].live, ps[i].level) })
	e.strs(len(ps), func(i int) string { return string(ps[i].sex) })
	for _, col := range []func(*person) []uint32{
		func(p *person) []uint32 { return p.names },
		func(p *person) []uint32 { return p.fields },
		func(p *person) []uint32 { return p.acts },
		func(p *person) []uint32 { return p.srcs },
		func(p *person) []uint32 { return p.chain },
		func(p *person) []uint32 { return p.allSrcs },
	} {
		e.lists(len(ps), func(i int) []uint32 { return col(&ps[i]) })
	}
	e.lists(len(ps), func(i int) []uint32 { return ix.hot[i].facets })

	es := ix.events
	e.uint(uint64(len(es)))
	e.strs(len(es), func(i int) string { return es[i].id })
	e.u8(len(es), func(i int) uint8 { return flags(es[i].live, es[i].level) })
	e.u32(len(es), func(i int) uint32 { return es[i].stage })
	e.u32(len(es), func(i int) uint32 { return es[i].place })
	e.u32(len(es), func(i int) uint32 { return uint32(es[i].lo) })
	e.u32(len(es), func(i int) uint32 { return uint32(es[i].hi) })
	e.u32(len(es), func(i int) uint32 { return uint32(es[i].parent) })
	for _, col := range []func(*event) []uint32{
		func(v *event) []uint32 { return v.persons },
		func(v *event) []uint32 { return v.children },
		func(v *event) []uint32 { return v.acts },
		func(v *event) []uint32 { return v.srcs },
		func(v *event) []uint32 { return v.fields },
	} {
		e.lists(len(es), func(i int) []uint32 { return col(&es[i]) })
	}

	as := ix.acts
	e.uint(uint64(len(as)))
	e.strs(len(as), func(i int) string { return as[i].id })
	e.u8(len(as), func(i int) uint8 { return flags(as[i].live, 0) })
	e.u32(len(as), func(i int) uint32 { return uint32(as[i].event) })
	e.u32(len(as), func(i int) uint32 { return uint32(as[i].victim) })
	e.u32(len(as), func(i int) uint32 { return as[i].typ })
	for _, col := range []func(*act) []uint32{
		func(a *act) []uint32 { return a.agencies },
		func(a *act) []uint32 { return a.srcs },
		func(a *act) []uint32 { return a.fields },
	} {
		e.lists(len(as), func(i int) []uint32 { return col(&as[i]) })
	}

	ss := ix.sources
	e.uint(uint64(len(ss)))
	e.strs(len(ss), func(i int) string { return ss[i].id })
	e.u8(len(ss), func(i int) uint8 { return flags(ss[i].live, ss[i].level) })
	e.u32(len(ss), func(i int) uint32 { return ss[i].org })
	// A link is written as two entries of a list: its kind and record.
	e.lists(len(ss), func(i int) []uint32 {
		l := make([]uint32, 0, 2*len(ss[i].links))
		for _, k := range ss[i].links {
			l = append(l, uint32(k.kind), k.idx)
		}
		return l
	})
	e.lists(len(ss), func(i int) []uint32 { return ss[i].fields })
	e.lists(len(ss), func(i int) []uint32 { return ss[i].persons })

	fs := ix.fields
	e.uint(uint64(len(fs)))
	e.u8(len(fs), func(i int) uint8 { return fs[i].kind })
	e.u8(len(fs), func(i int) uint8 { return flags(fs[i].live, tumen.Level(fs[i].name)) })
	e.u32(len(fs), func(i int) uint32 { return fs[i].rec })
	e.strs(len(fs), func(i int) string { return fs[i].text })
	e.uint(uint64(ix.indexed))
	e.u32s(ix.owner)

	e.uint(uint64(len(ix.shards)))
	for _, sh := range ix.shards {
		sl := sh.terms.slots
		e.uint(uint64(sh.terms.n))
		e.uint(uint64(len(sl)))
		e.u64(len(sl), func(i int) uint64 { return sl[i].hash })
		e.u32(len(sl), func(i int) uint32 { return sl[i].id })
		e.u32(len(sl), func(i int) uint32 { return sl[i].last })
		e.u32s(sh.arena)
		e.uint(uint64(len(sh.off)))
		e.u64(len(sh.off), func(i int) uint64 { return uint64(sh.off[i]) })
		writeMap(e, sh.cjkTerms, writeU32Keys[rune])
		writeMap(e, sh.more, writeU32Keys[uint32])
	}

	nl := ix.nameList
	e.uint(uint64(len(nl)))
	e.strs(len(nl), func(i int) string { return nl[i].text })
	e.lists(len(nl), func(i int) []uint32 { return nl[i].persons })
	writeMap(e, ix.nameKeys, writeStringKeys)
	writeMap(e, ix.surnames, writeStringKeys)
	e.write([]byte(saveMagic)) // the end, so a form cut short is caught
	return ix.version, e.flush()
}

// flags packs a record's live flag and level (or a field's name) in a byte.
func flags(live bool, level tumen.Level) uint8 {
	b := uint8(level) << 1
	if live {
		b |= 1
	}
	return b
}

func unflags(b uint8) (bool, tumen.Level) { return b&1 == 1, tumen.Level(b >> 1) }

// writeMap writes a map of lists: its size, its keys (by keys), then its
// lists.
func writeMap[K comparable](e *encoder, m map[K][]uint32, keys func(e *encoder, ks []K)) {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	e.uint(uint64(len(ks)))
	keys(e, ks)
	e.lists(len(ks), func(i int) []uint32 { return m[ks[i]] })
}

// readMap reads a map written by writeMap, its keys by keys.
func readMap[K comparable](d *decoder, keys func(d *decoder, ks []K)) map[K][]uint32 {
	n := d.count(maxRecords)
	ks := make([]K, n)
	keys(d, ks)
	m := make(map[K][]uint32, n)
	d.lists(n, func(i int, l []uint32) { m[ks[i]] = l })
	return m
}

// The keys of the maps: numbers, four bytes each, or strings.
func writeU32Keys[K rune | uint32](e *encoder, ks []K) {
	e.u32(len(ks), func(i int) uint32 { return uint32(ks[i]) })
}

func readU32Keys[K rune | uint32](d *decoder, ks []K) {
	d.u32(len(ks), func(i int, v uint32) { ks[i] = K(v) })
}

func writeStringKeys(e *encoder, ks []string) {
	e.strs(len(ks), func(i int) string { return ks[i] })
}

func readStringKeys(d *decoder, ks []string) {
	d.strs(len(ks), func(i int, s string) { ks[i] = s })
}

// Restore reads an index written by Save. The gazetteer is not saved:
// set it with SetPlaces. An index saved by another version of the
// program, or a form cut short, is refused with an error; so is a form
// that does not hold together, which Save never writes.
func Restore(r io.Reader) (*Index, error) {
	ix := New(nil)
	if err := ix.restore(r, math.MaxInt); err != nil {
		return nil, err
	}
	return ix, nil
}

// restore reads an index written by Save, in a form of at most size
// bytes, into ix, which is new.
func (ix *Index) restore(r io.Reader, size int) (err error) {
	// A form that authenticates but does not hold together (a bug, not
	// an attack: the form is sealed) must cost a rebuild, not the server.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errFormat, p)
		}
	}()
	d := newDecoder(r, size)
	magic := d.fill(len(saveMagic))
	if d.err != nil || string(magic) != saveMagic {
		return errFormat
	}
	if v := d.uint(); v != saveVersion {
		return fmt.Errorf("%w: version %d, not %d", errFormat, v, saveVersion)
	}
	d.u64(1, func(_ int, v uint64) { ix.seed = v })
	nc := d.count(maxRecords)
	ix.codeNames = make([]string, nc)
	d.strs(nc, func(i int, s string) { ix.codeNames[i] = s })

	// The maps from ids to records are filled in the background while
	// the rest is read: at a million persons they hold twelve million ids.
	var wg sync.WaitGroup
	index := func(n int, id func(i int) string) map[string]uint32 {
		m := make(map[string]uint32, n)
		wg.Go(func() {
			for i := range n {
				m[id(i)] = uint32(i)
			}
		})
		return m
	}

	np := d.count(maxRecords)
	ps := make([]person, np)
	ix.hot = make([]personHot, np)
	d.strs(np, func(i int, s string) { ps[i].id = s })
	d.u8(np, func(i int, b uint8) { ps[i].live, ps[i].level = unflags(b) })
	d.strs(np, func(i int, s string) { ps[i].sex = tumen.Sex(s) })
	for _, col := range []func(*person) *[]uint32{
		func(p *person) *[]uint32 { return &p.names },
		func(p *person) *[]uint32 { return &p.fields },
		func(p *person) *[]uint32 { return &p.acts },
		func(p *person) *[]uint32 { return &p.srcs },
		func(p *person) *[]uint32 { return &p.chain },
		func(p *person) *[]uint32 { return &p.allSrcs },
	} {
		d.lists(np, func(i int, l []uint32) { *col(&ps[i]) = l })
	}
	d.lists(np, func(i int, l []uint32) { ix.hot[i].facets = l })
	if d.err != nil {
		return d.err
	}
	ix.persons = ps
	for i := range ps {
		ix.setHot(uint32(i))
	}
	ix.personIdx = index(np, func(i int) string { return ps[i].id })

	ne := d.count(maxRecords)
	es := make([]event, ne)
	d.strs(ne, func(i int, s string) { es[i].id = s })
	d.u8(ne, func(i int, b uint8) { es[i].live, es[i].level = unflags(b) })
	d.u32(ne, func(i int, v uint32) { es[i].stage = v })
	d.u32(ne, func(i int, v uint32) { es[i].place = v })
	d.u32(ne, func(i int, v uint32) { es[i].lo = int32(v) })
	d.u32(ne, func(i int, v uint32) { es[i].hi = int32(v) })
	d.u32(ne, func(i int, v uint32) { es[i].parent = int32(v) })
	for _, col := range []func(*event) *[]uint32{
		func(v *event) *[]uint32 { return &v.persons },
		func(v *event) *[]uint32 { return &v.children },
		func(v *event) *[]uint32 { return &v.acts },
		func(v *event) *[]uint32 { return &v.srcs },
		func(v *event) *[]uint32 { return &v.fields },
	} {
		d.lists(ne, func(i int, l []uint32) { *col(&es[i]) = l })
	}
	if d.err != nil {
		wg.Wait()
		return d.err
	}
	ix.events = es
	ix.eventIdx = index(ne, func(i int) string { return es[i].id })

	na := d.count(maxRecords)
	as := make([]act, na)
	d.strs(na, func(i int, s string) { as[i].id = s })
	d.u8(na, func(i int, b uint8) { as[i].live, _ = unflags(b) })
	d.u32(na, func(i int, v uint32) { as[i].event = int32(v) })
	d.u32(na, func(i int, v uint32) { as[i].victim = int32(v) })
	d.u32(na, func(i int, v uint32) { as[i].typ = v })
	for _, col := range []func(*act) *[]uint32{
		func(a *act) *[]uint32 { return &a.agencies },
		func(a *act) *[]uint32 { return &a.srcs },
		func(a *act) *[]uint32 { return &a.fields },
	} {
		d.lists(na, func(i int, l []uint32) { *col(&as[i]) = l })
	}
	if d.err != nil {
		wg.Wait()
		return d.err
	}
	ix.acts = as
	ix.actIdx = index(na, func(i int) string { return as[i].id })

	ns := d.count(maxRecords)
	ss := make([]source, ns)
	d.strs(ns, func(i int, s string) { ss[i].id = s })
	d.u8(ns, func(i int, b uint8) { ss[i].live, ss[i].level = unflags(b) })
	d.u32(ns, func(i int, v uint32) { ss[i].org = v })
	var links []link
	d.lists(ns, func(i int, l []uint32) {
		if len(links) < len(l)/2 {
			links = make([]link, max(len(l)/2, 1<<16))
		}
		ls := links[: len(l)/2 : len(l)/2]
		links = links[len(l)/2:]
		for j := range ls {
			ls[j] = link{kind: uint8(l[2*j]), idx: l[2*j+1]}
		}
		ss[i].links = ls
	})
	d.lists(ns, func(i int, l []uint32) { ss[i].fields = l })
	d.lists(ns, func(i int, l []uint32) { ss[i].persons = l })
	if d.err != nil {
		wg.Wait()
		return d.err
	}
	ix.sources = ss
	ix.sourceIdx = index(ns, func(i int) string { return ss[i].id })

	nf := d.count(maxRecords)
	fs := make([]field, nf)
	d.u8(nf, func(i int, v uint8) { fs[i].kind = v })
	d.u8(nf, func(i int, b uint8) {
		live, name := unflags(b)
		fs[i].live, fs[i].name = live, uint8(name)
	})
	d.u32(nf, func(i int, v uint32) { fs[i].rec = v })
	d.strs(nf, func(i int, s string) { fs[i].text = s })
	ix.fields = fs
	ix.indexed = d.count(nf)
	ix.owner = d.u32s(nf)
	if len(ix.owner) == 0 {
		ix.owner = nil
	}

	nsh := d.count(1 << 16)
	for range nsh {
		sh := newShard()
		sh.terms.n = d.count(maxRecords)
		slots := make([]termSlot, d.count(1<<40))
		d.u64(len(slots), func(i int, v uint64) { slots[i].hash = v })
		d.u32(len(slots), func(i int, v uint32) { slots[i].id = v })
		d.u32(len(slots), func(i int, v uint32) { slots[i].last = v })
		sh.terms.slots = slots
		sh.arena = d.u32s(1 << 40)
		sh.off = make([]int, d.count(maxRecords))
		d.u64(len(sh.off), func(i int, v uint64) { sh.off[i] = int(v) })
		sh.cjkTerms = readMap(d, readU32Keys[rune])
		sh.more = readMap(d, readU32Keys[uint32])
		if d.err != nil {
			break
		}
		ix.shards = append(ix.shards, sh)
	}

	nn := d.count(maxRecords)
	ix.nameList = make([]nameEntry, nn)
	d.strs(nn, func(i int, s string) { ix.nameList[i].text = s })
	d.lists(nn, func(i int, l []uint32) { ix.nameList[i].persons = l })
	ix.nameIdx = index(nn, func(i int) string { return ix.nameList[i].text })
	ix.nameKeys = readMap(d, readStringKeys)
	ix.surnames = readMap(d, readStringKeys)
	if end := d.fill(len(saveMagic)); d.err == nil && string(end) != saveMagic {
		d.fail(fmt.Errorf("%w: no end mark", errFormat))
	}
	wg.Wait()
	if d.err != nil {
		return d.err
	}
	ix.codes = make(map[string]uint32, len(ix.codeNames))
	for i, c := range ix.codeNames {
		ix.codes[c] = uint32(i)
	}
	return nil
}
