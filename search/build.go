package search

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"tumen"
)

// buildPage is how many persons Build reads from the store at a time.
const buildPage = 5000

// Build reads every person, event, act and source of s, and the gazetteer,
// into a new index. It is meant to run when the store is unlocked; the
// index lives in memory only. Persons are read a page at a time through
// ListPersons; events, acts and sources, whose list methods have no
// keyset pagination, in one call each. Those three are read (queried,
// decrypted, decoded) in the background while the persons are read and
// indexed: on two processors the reading, most of the cost, then takes
// about half the time.
func Build(ctx context.Context, s tumen.Store) (*Index, error) {
	ix := New(nil)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.fill(ctx, s); err != nil {
		return nil, err
	}
	return ix, nil
}

// Start returns an empty index at once and builds it from s in the
// background, as Build would: a server can answer everything else while
// a large store is indexed. Until the build ends, Search refuses with an
// error of kind tumen.KindUnavailable and writes (the Put methods, Load,
// SetPlaces) are kept in order and applied after it. done, if not nil, is
// called when the build has ended, with what the index then holds, how
// long it took and its error; after a failed build, Search reports the
// failure.
func Start(ctx context.Context, s tumen.Store, done func(st Stats, took time.Duration, err error)) *Index {
	ix := New(nil)
	ix.building, ix.started = true, time.Now()
	ix.mu.Lock() // before Start returns: no search or write gets in first
	go func() {
		err := ix.fill(ctx, s)
		ix.endBuild(err)
		if done != nil {
			var st Stats
			if err == nil {
				st = ix.Stats()
			}
			done(st, time.Since(ix.started), err)
		}
	}()
	return ix
}

// later queues f to run, under the write lock, when the background build
// ends, and reports whether it did: false when no build is running.
func (ix *Index) later(f func()) bool {
	ix.qmu.Lock()
	defer ix.qmu.Unlock()
	if !ix.building {
		return false
	}
	ix.queue = append(ix.queue, f)
	return true
}

// ready returns nil when the index may be searched: no background build
// is running and the last one did not fail.
func (ix *Index) ready() error {
	ix.qmu.Lock()
	defer ix.qmu.Unlock()
	switch {
	case ix.building:
		return tumen.Errorf(tumen.KindUnavailable, "the search index is still being built (for %s so far); try again in a moment",
			time.Since(ix.started).Round(time.Second))
	case ix.buildErr != nil:
		return &tumen.Error{Kind: tumen.KindUnavailable, Message: "the search index could not be built; restart the server to try again", Err: ix.buildErr}
	}
	return nil
}

// fill reads the gazetteer and every person, event, act and source of s
// into ix, which is empty and locked.
func (ix *Index) fill(ctx context.Context, s tumen.Store) error {
	places, err := s.Places(ctx)
	if err != nil {
		return err
	}
	ix.setPlacesLocked(places)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // on an error, the background reads stop early
	events := background(func() ([]*tumen.Event, error) {
		return s.ListEvents(ctx, tumen.EventFilter{Limit: math.MaxInt32, AnyOrder: true})
	})
	acts := background(func() ([]*tumen.Act, error) {
		return s.ListActs(ctx, tumen.ActFilter{Limit: math.MaxInt32})
	})
	sources := background(func() ([]*tumen.Source, error) {
		return s.ListSources(ctx, tumen.SourceFilter{Limit: math.MaxInt32})
	})
	ix.bulk = true
	after := ""
	for {
		ps, err := s.ListPersons(ctx, tumen.PersonFilter{AfterID: after, Limit: buildPage})
		if err != nil {
			return err
		}
		ix.persons = slices.Grow(ix.persons, len(ps))
		for _, p := range ps {
			ix.putPerson(p)
		}
		if len(ps) < buildPage {
			break
		}
		after = ps[len(ps)-1].ID
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if err := take(events, func(n int) { ix.growLocked(0, n, 0, 0) }, ix.putEvent); err != nil {
		return err
	}
	if err := take(acts, func(n int) { ix.growLocked(0, 0, n, 0) }, ix.putAct); err != nil {
		return err
	}
	if err := take(sources, func(n int) { ix.growLocked(0, 0, 0, n) }, ix.putSource); err != nil {
		return err
	}
	ix.finish()
	return nil
}

// take waits for the records of a background read, makes room for them
// with grow and indexes each with put, letting it go once indexed.
func take[T any](ch <-chan result[[]T], grow func(n int), put func(T)) error {
	recs, err := (<-ch).get()
	if err != nil {
		return err
	}
	grow(len(recs))
	var none T
	for i, r := range recs {
		put(r)
		recs[i] = none
	}
	return nil
}

// result is what a background read returns.
type result[T any] struct {
	v   T
	err error
}

func (r result[T]) get() (T, error) { return r.v, r.err }

// background runs read in a goroutine; its result arrives on the channel,
// which has room for it, so the goroutine ends even if no one receives.
func background[T any](read func() (T, error)) <-chan result[T] {
	ch := make(chan result[T], 1)
	go func() {
		v, err := read()
		ch <- result[T]{v, err}
	}()
	return ch
}

// Load adds records (pointers to tumen.Person, Event, Act, Source and
// Place; others are skipped) to the index in one batch, as from an import
// or a bundle. Into an empty index the relations between records are
// derived once at the end; into a filled one, record by record, for the
// persons concerned only. A record may refer to one that comes later.
//
// During a background build (Start) the records are read at once and
// added when the build ends.
func (ix *Index) Load(records iter.Seq2[any, error]) error {
	ix.qmu.Lock()
	building := ix.building
	ix.qmu.Unlock()
	if building {
		// Read the records first, without holding qmu, which searches
		// take to learn that the index is not ready.
		var recs []any
		for r, err := range records {
			if err != nil {
				return err
			}
			recs = append(recs, r)
		}
		records = func(yield func(any, error) bool) {
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
		}
		if ix.later(func() { _ = ix.loadLocked(records) }) {
			return nil
		}
		// The build ended meanwhile: load them now.
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.loadLocked(records)
}

// putRecord indexes a person, event, act or source; other records are
// skipped.
func (ix *Index) putRecord(r any) {
	switch v := r.(type) {
	case *tumen.Person:
		ix.putPerson(v)
	case *tumen.Event:
		ix.putEvent(v)
	case *tumen.Act:
		ix.putAct(v)
	case *tumen.Source:
		ix.putSource(v)
	}
}

func (ix *Index) loadLocked(records iter.Seq2[any, error]) error {
	if len(ix.persons) == 0 && len(ix.events) == 0 {
		ix.bulk = true
		defer ix.finish()
	}
	var places []*tumen.Place
	for r, err := range records {
		if err != nil {
			return err
		}
		if p, ok := r.(*tumen.Place); ok {
			places = append(places, p)
		} else {
			ix.putRecord(r)
		}
	}
	if len(places) > 0 {
		ix.setPlacesLocked(append(ix.placeList(), places...))
	}
	return nil
}

// Grow makes room for the given numbers of records, so that a bulk load
// into an empty index does not copy its tables as they grow.
func (ix *Index) Grow(persons, events, acts, sources int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.growLocked(persons, events, acts, sources)
}

func (ix *Index) growLocked(persons, events, acts, sources int) {
	ix.persons = slices.Grow(ix.persons, persons)
	ix.hot = slices.Grow(ix.hot, persons)
	ix.events = slices.Grow(ix.events, events)
	ix.acts = slices.Grow(ix.acts, acts)
	ix.sources = slices.Grow(ix.sources, sources)
	ix.fields = slices.Grow(ix.fields, persons+2*events+acts+2*sources)
	if len(ix.personIdx) == 0 && persons > 0 {
		ix.personIdx = make(map[string]uint32, persons)
	}
	if len(ix.eventIdx) == 0 && events > 0 {
		ix.eventIdx = make(map[string]uint32, events)
	}
	if len(ix.actIdx) == 0 && acts > 0 {
		ix.actIdx = make(map[string]uint32, acts)
	}
	if len(ix.sourceIdx) == 0 && sources > 0 {
		ix.sourceIdx = make(map[string]uint32, sources)
	}
}

// finish ends a bulk load: every person's relations are derived afresh.
func (ix *Index) finish() {
	ix.version++
	ix.bulk = false
	ix.owner = nil
	ix.indexPending()
	for i := range ix.events {
		ix.events[i].persons = ix.events[i].persons[:0]
	}
	for i := range ix.sources {
		ix.sources[i].persons = ix.sources[i].persons[:0]
	}
	for i := range ix.persons {
		ix.persons[i].chain, ix.persons[i].allSrcs = nil, nil
		ix.derive(uint32(i))
	}
	ix.compact()
	ix.owners()
}

// compact moves the small lists a search reads for every match into
// arenas, in record order, so that a search running through many persons
// reads memory in sequence instead of chasing scattered allocations. Each
// list keeps its length as its capacity: a later append copies it out.
func (ix *Index) compact() {
	pack := func(total int, each func(fn func(*[]uint32))) {
		arena := make([]uint32, 0, total)
		each(func(l *[]uint32) {
			n := len(arena)
			arena = append(arena, *l...)
			*l = arena[n:len(arena):len(arena)]
		})
	}
	n := 0
	for i := range ix.persons {
		n += len(ix.hot[i].facets)
	}
	pack(n, func(fn func(*[]uint32)) {
		for i := range ix.persons {
			fn(&ix.hot[i].facets)
		}
	})
	n = 0
	for i := range ix.events {
		n += len(ix.events[i].persons)
	}
	pack(n, func(fn func(*[]uint32)) {
		for i := range ix.events {
			fn(&ix.events[i].persons)
		}
	})
	n = 0
	for i := range ix.sources {
		n += len(ix.sources[i].persons)
	}
	pack(n, func(fn func(*[]uint32)) {
		for i := range ix.sources {
			fn(&ix.sources[i].persons)
		}
	})
}

// Stats describes the index, without any of its contents.
type Stats struct {
	Persons, Events, Acts, Sources int // live records
	Fields                         int // indexed texts
	Terms                          int // distinct text terms, summed over shards
	Postings                       int // text postings
	Names                          int // distinct name spellings
	NameKeys                       int // distinct name keys
}

// Stats counts what the index holds.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var s Stats
	for i := range ix.persons {
		if ix.persons[i].live {
			s.Persons++
		}
	}
	for i := range ix.events {
		if ix.events[i].live {
			s.Events++
		}
	}
	for i := range ix.acts {
		if ix.acts[i].live {
			s.Acts++
		}
	}
	for i := range ix.sources {
		if ix.sources[i].live {
			s.Sources++
		}
	}
	for i := range ix.fields {
		if ix.fields[i].live {
			s.Fields++
		}
	}
	for _, sh := range ix.shards {
		s.Terms += sh.terms.n
		for t := range sh.terms.n {
			s.Postings += len(sh.postings(uint32(t)))
		}
	}
	s.Names, s.NameKeys = len(ix.nameList), len(ix.nameKeys)
	return s
}

// String writes the statistics on one line.
func (s Stats) String() string {
	return fmt.Sprintf("%d persons, %d events, %d acts, %d sources; %d texts, %d terms, %d postings; %d name spellings, %d name keys",
		s.Persons, s.Events, s.Acts, s.Sources, s.Fields, s.Terms, s.Postings, s.Names, s.NameKeys)
}
