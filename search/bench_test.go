package search

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/crypt"
	"tumen/names"
	"tumen/sqlite"
	"tumen/synth"
	"tumen/vocab"
)

// go test ./search -run '^$' -bench Search -benchtime 1x -search.persons 1000000
var (
	benchPersons = flag.Int("search.persons", 100_000, "persons of the demo data BenchmarkSearch indexes")
	benchStore   = flag.Int("search.store", 20_000, "persons BenchmarkBuildStore imports into a store and indexes from it")
	benchFacets  = flag.Bool("search.facets", true, "count facets in BenchmarkSearch's queries")
	benchSave    = flag.Bool("search.save", true, "save BenchmarkSearch's index to a sealed file and read it back")
	benchCold    = flag.Bool("search.cold", false, "drop the page cache before reading the saved index back (needs root)")
)

// textGen makes the demo narratives unique: synth writes a few fixed
// sentences, which would make the text index unrealistically small, so
// each narrative gets a tail of Korean and English words drawn with a
// Zipf distribution from invented vocabularies.
type textGen struct {
	rng     *rand.Rand
	ko, en  []string
	zko, zn *rand.Zipf
}

func newTextGen(seed uint64) *textGen {
	rng := rand.New(rand.NewPCG(seed, 7))
	g := &textGen{rng: rng}
	syl := []rune("가강건경고공구국군금기김나남노다대도동두라로리마명모무문미민바박방백보부비사산상서석선성세소수순시신아안양어연영오용우원유은이인일자장전정조주중지진차창천철초최춘충치태토통파평포하학한해향허혁현호홍화환황회효후흥희")
	for range 20000 {
		n := 2 + rng.IntN(3)
		var b strings.Builder
		for range n {
			b.WriteRune(syl[rng.IntN(len(syl))])
		}
		g.ko = append(g.ko, b.String())
	}
	for range 20000 {
		n := 3 + rng.IntN(7)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		g.en = append(g.en, string(b))
	}
	g.zko = rand.NewZipf(rng, 1.1, 2, uint64(len(g.ko)-1))
	g.zn = rand.NewZipf(rng, 1.1, 2, uint64(len(g.en)-1))
	return g
}

func (g *textGen) tail(words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if g.rng.IntN(2) == 0 {
			b.WriteString(g.ko[g.zko.Uint64()])
			if g.rng.IntN(3) == 0 {
				b.WriteString([]string{"에서", "을", "는", "으로"}[g.rng.IntN(4)])
			}
		} else {
			b.WriteString(g.en[g.zn.Uint64()])
		}
	}
	return b.String()
}

// demoRecords generates n demo persons with their records, narratives
// made unique, in chunks of chunk persons: emit gets each chunk, so that a
// million persons never sit in memory at once.
func demoRecords(n, chunk int, emit func([]any)) {
	tg := newTextGen(1)
	g := synth.New(1)
	var b tumen.Bundle
	for lo := 1; lo <= n; lo += chunk {
		var recs []any
		for i := lo; i < lo+chunk && i <= n; i++ {
			b = tumen.Bundle{}
			g.Person(i, &b)
			for _, e := range b.Events {
				if e.Narrative != "" {
					e.Narrative += " " + tg.tail(8)
				}
			}
			for _, s := range b.Sources {
				s.Text += " " + tg.tail(24)
			}
			b.Consents = nil
			for r := range b.All() {
				recs = append(recs, r)
			}
		}
		emit(recs)
	}
}

// putAll adds records to ix inside a bulk load.
func (ix *Index) putAll(recs []any) {
	for _, r := range recs {
		ix.putRecord(r)
	}
}

func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// latencies runs each query once and returns the sorted durations.
func latencies(b *testing.B, ix *Index, qs []string) []time.Duration {
	b.Helper()
	return latenciesOpt(b, ix, qs, Options{NoFacets: !*benchFacets})
}

// latenciesOpt runs each query once with o and returns the sorted durations.
func latenciesOpt(b *testing.B, ix *Index, qs []string, o Options) []time.Duration {
	b.Helper()
	var out []time.Duration
	for _, s := range qs {
		q, err := ParseQuery(s)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := ix.Search(context.Background(), q, Access{Clearance: tumen.Secret, Identity: true}, o); err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(t0))
	}
	slices.Sort(out)
	return out
}

type timedQuery struct {
	q     string
	d     time.Duration
	total int
}

// slowest runs each query once more and returns the n slowest, with the
// number of persons each matched.
func slowest(b *testing.B, ix *Index, qs []string, n int) []timedQuery {
	b.Helper()
	var out []timedQuery
	for _, s := range qs {
		q, err := ParseQuery(s)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		r, err := ix.Search(context.Background(), q, Access{Clearance: tumen.Secret, Identity: true}, Options{NoFacets: !*benchFacets})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, timedQuery{s, time.Since(t0), r.Total})
	}
	slices.SortFunc(out, func(a, b timedQuery) int { return cmp.Compare(b.d, a.d) })
	return out[:min(n, len(out))]
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkSearch indexes -search.persons demo persons in memory and prints
// the build time, the index's heap and the latency of name and text queries.
func BenchmarkSearch(b *testing.B) {
	n := *benchPersons
	rng := rand.New(rand.NewPCG(9, 9))
	d, _ := vocab.Load()
	places := d.Bundle().Places
	// The names package loads its tables on first use: load them before
	// measuring, so the heap figure is the index's own.
	names.Parse("Lee Young-ho").Similarity(names.Parse("李英浩"))
	names.HangulFromPinyin("Li Yinghao")
	before := heapInuse()
	ix := New(places)
	// Build sizes the tables from the store's counts; the demo data has
	// about six events, five acts and one source a person.
	ix.Grow(n, 6*n, 5*n, n)
	// Records are generated a chunk at a time, outside the build's clock,
	// and put in one bulk load, as Build does.
	var gen, build time.Duration
	var sample []*tumen.Person
	ix.mu.Lock()
	ix.bulk = true
	t0 := time.Now()
	demoRecords(n, 10000, func(recs []any) {
		gen += time.Since(t0)
		t1 := time.Now()
		ix.putAll(recs)
		build += time.Since(t1)
		var ps []*tumen.Person
		for _, r := range recs {
			if p, ok := r.(*tumen.Person); ok {
				ps = append(ps, p)
			}
		}
		for range 30 {
			sample = append(sample, ps[rng.IntN(len(ps))])
		}
		t0 = time.Now()
	})
	t1 := time.Now()
	ix.finish()
	build += time.Since(t1)
	ix.mu.Unlock()
	heap := heapInuse() - before
	st := ix.Stats()
	// Name queries: a sampled person's name in a spelling drawn at random.
	var nameQs []string
	for range 300 {
		p := sample[rng.IntN(len(sample))]
		var fam, giv, hanja string
		for _, nm := range p.Names {
			if nm.System == tumen.NameHangulSouth {
				fam, giv = nm.Family, nm.Given
			}
			if nm.System == tumen.NameHanja {
				hanja = nm.Full
			}
		}
		switch x := rng.IntN(10); {
		case x < 2:
			nameQs = append(nameQs, fam+giv)
		case x < 3:
			nameQs = append(nameQs, names.ToNorth(fam+giv))
		case x < 4 && hanja != "":
			nameQs = append(nameQs, hanja)
		case x < 5 && hanja != "":
			nameQs = append(nameQs, names.Pinyin(hanja))
		default:
			st := names.Styles()
			nameQs = append(nameQs, names.FormatName(fam, giv, st[rng.IntN(len(st))]))
		}
	}
	// Text queries: a fixed set over the synth sentences, which match a
	// large share of all persons, and words of the invented vocabularies,
	// drawn as they occur (common words more often).
	tg := newTextGen(1)
	var textQs []string
	fixed := []string{"onsong", `"state security"`, "interrogated churches", "sentenced prison camp", `"handed over" sex:f`, "dandong year:2023", "border detention"}
	var oneQs []string
	for i := range 300 {
		switch i % 3 {
		case 0:
			textQs = append(textQs, tg.ko[tg.zko.Uint64()])
		case 1:
			textQs = append(textQs, tg.en[tg.zn.Uint64()]+" "+tg.ko[tg.zko.Uint64()])
		default:
			textQs = append(textQs, tg.ko[tg.zko.Uint64()]+" arrested")
		}
		if i%10 == 0 {
			oneQs = append(oneQs, string([]rune(tg.ko[tg.zko.Uint64()])[:1]))
		}
	}
	b.ResetTimer()
	var nl, tl, ol, tnl, onl []time.Duration
	for range b.N {
		nl = latencies(b, ix, nameQs)
		tl = latencies(b, ix, textQs)
		ol = latencies(b, ix, oneQs)
		tnl = latenciesOpt(b, ix, textQs, Options{NoFacets: true})
		onl = latenciesOpt(b, ix, oneQs, Options{NoFacets: true})
	}
	b.StopTimer()
	fmt.Fprintf(os.Stdout, "search: %d persons (generated in %s)\n  index: %s\n  build %s, heap %d MiB (%d bytes a person)\n",
		n, gen.Round(time.Millisecond), st, build.Round(time.Millisecond), heap>>20, heap/uint64(n))
	fmt.Fprintf(os.Stdout, "  name queries (%d): p50 %s p95 %s max %s\n", len(nl), pct(nl, 0.5), pct(nl, 0.95), nl[len(nl)-1])
	fmt.Fprintf(os.Stdout, "  text queries (%d): p50 %s p95 %s max %s\n", len(tl), pct(tl, 0.5), pct(tl, 0.95), tl[len(tl)-1])
	fmt.Fprintf(os.Stdout, "  one-syllable queries (%d): p50 %s p95 %s max %s\n", len(ol), pct(ol, 0.5), pct(ol, 0.95), ol[len(ol)-1])
	fmt.Fprintf(os.Stdout, "  the same without facets: text p50 %s p95 %s; one-syllable p50 %s p95 %s\n", pct(tnl, 0.5), pct(tnl, 0.95), pct(onl, 0.5), pct(onl, 0.95))
	fmt.Fprintf(os.Stdout, "  the slowest text queries, again:\n")
	for _, sq := range slowest(b, ix, textQs, 6) {
		fmt.Fprintf(os.Stdout, "    %-28s %8s  %d persons\n", sq.q, sq.d.Round(time.Microsecond), sq.total)
	}
	fmt.Fprintf(os.Stdout, "  broad queries over the synth sentences, each run once:\n")
	for _, q := range fixed {
		d := latencies(b, ix, []string{q})
		pq, _ := ParseQuery(q)
		r, _ := ix.Search(context.Background(), pq, Access{Clearance: tumen.Secret, Identity: true}, Options{})
		fmt.Fprintf(os.Stdout, "    %-28s %8s  %d persons\n", q, d[0].Round(time.Microsecond), r.Total)
	}
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(float64(heap>>20), "heap-MiB")
	b.ReportMetric(float64(pct(nl, 0.95).Microseconds())/1000, "name-p95-ms")
	b.ReportMetric(float64(pct(tl, 0.95).Microseconds())/1000, "text-p95-ms")
	if !*benchSave {
		return
	}
	// The index saved to a sealed file and read back, as a server does
	// between runs: the unlock when a saved index is there.
	keys, err := crypt.NewKeyring(crypt.NewDataKey())
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "search.index")
	t0 = time.Now()
	if err := saveSealed(ix, keys, path); err != nil {
		b.Fatal(err)
	}
	save := time.Since(t0)
	fi, _ := os.Stat(path)
	ix = nil
	runtime.GC()
	before = heapInuse()
	cache := dropCache()
	t0 = time.Now()
	ix, err = readSealed(keys, path)
	if err != nil {
		b.Fatal(err)
	}
	ix.SetPlaces(places)
	read := time.Since(t0)
	heap = heapInuse() - before
	fmt.Fprintf(os.Stdout, "  saved, sealed: %s, %d MiB; read back from a %s file: %s, heap %d MiB\n",
		save.Round(time.Millisecond), fi.Size()>>20, cache, read.Round(time.Millisecond), heap>>20)
	// Twice: the first search to compare a name parses it.
	for _, pass := range []string{"first", "second"} {
		nl = latencies(b, ix, nameQs)
		tl = latencies(b, ix, textQs)
		fmt.Fprintf(os.Stdout, "  read back, %s pass: name queries p50 %s p95 %s; text queries p50 %s p95 %s\n", pass, pct(nl, 0.5), pct(nl, 0.95), pct(tl, 0.5), pct(tl, 0.95))
	}
	b.ReportMetric(read.Seconds(), "read-s")
}

// dropCache drops the page cache when -search.cold asks, so that a file
// is read from the disk, as after a reboot, and says what it did.
func dropCache() string {
	if !*benchCold {
		return "warm"
	}
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3"), 0); err != nil {
		return "warm (could not drop the page cache)"
	}
	return "cold (page cache dropped)"
}

// saveSealed writes ix sealed under keys to path, synced.
func saveSealed(ix *Index, keys *crypt.Keyring, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := keys.SealStream(f, savedPurpose)
	if err != nil {
		return err
	}
	if err := ix.Save(w); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Sync()
}

// readSealed reads an index saved by saveSealed.
func readSealed(keys *crypt.Keyring, path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := keys.OpenStream(f, savedPurpose)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return Restore(r)
}

// BenchmarkBuildStore imports -search.store demo persons into an SQLite
// store and prints how long Build takes to read and index them: the cost
// of unlocking.
func BenchmarkBuildStore(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Init(ctx, crypt.Secrets{Passphrase: []byte("bench passphrase 123")}, crypt.Params{Time: 1, Memory: 1024, Threads: 1}); err != nil {
		b.Fatal(err)
	}
	d, _ := vocab.Load()
	if err := db.Import(ctx, d.Bundle().All(), nil); err != nil {
		b.Fatal(err)
	}
	n := *benchStore
	t0 := time.Now()
	if err := db.Import(ctx, synth.New(1).Records(n), nil); err != nil {
		b.Fatal(err)
	}
	imp := time.Since(t0)
	base := heapInuse() // the store's own, before any index
	b.ResetTimer()
	var ix *Index
	var took time.Duration
	for range b.N {
		t0 = time.Now()
		if ix, err = Build(ctx, db); err != nil {
			b.Fatal(err)
		}
		took = time.Since(t0)
	}
	b.StopTimer()
	fmt.Fprintf(os.Stdout, "build from store: %d persons (imported in %s): %s\n  index: %s\n", n, imp.Round(time.Millisecond), took.Round(time.Millisecond), ix.Stats())
	b.ReportMetric(took.Seconds(), "build-s")
	// The unlock of a server that saved its index: Keep reads the file
	// and the records written since (here one person).
	path := filepath.Join(dir, "search.index")
	ready := make(chan Report, 1)
	ix = Keep(ctx, db, db, path, func(r Report) { ready <- r })
	if r := <-ready; r.Err != nil || r.From != "store" {
		b.Fatalf("first Keep: %+v", r)
	}
	t0 = time.Now()
	if _, err := ix.SaveFile(ctx, db, db, path); err != nil {
		b.Fatal(err)
	}
	save := time.Since(t0)
	fi, _ := os.Stat(path)
	ix = nil
	if err := db.CreatePerson(ctx, &tumen.Person{ID: "bench-new", Names: []tumen.Name{{Full: "김영수"}}}); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	cache := dropCache()
	t0 = time.Now()
	ix = Keep(ctx, db, db, path, func(r Report) { ready <- r })
	r := <-ready
	if r.Err != nil || r.From != "file" || r.Replayed != 1 {
		b.Fatalf("second Keep: %+v", r)
	}
	if st := ix.Stats(); st.Persons != n+1 {
		b.Fatalf("read back %d persons, want %d", st.Persons, n+1)
	}
	took = time.Since(t0)
	fmt.Fprintf(os.Stdout, "  saved, sealed: %s, %d MiB; unlock from the saved file, %s: %s (%d record read again), heap %d MiB\n",
		save.Round(time.Millisecond), fi.Size()>>20, cache, took.Round(time.Millisecond), r.Replayed, int64(heapInuse()-base)>>20)
	runtime.KeepAlive(ix) // measured above with the index alive
	b.ReportMetric(r.Took.Seconds(), "keep-s")
}
