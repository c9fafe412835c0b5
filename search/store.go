package search

import (
	"context"
	"iter"

	"tumen"
)

// Store wraps a tumen.Store and keeps an index up to date: every write
// through it that succeeds is applied to the index, so a search sees what
// was written. Reads go straight to the wrapped store. Writes made around
// the wrapper (another process, a merge of persons) are not seen until the
// index is built again.
type Store struct {
	tumen.Store
	Index *Index
}

// NewStore returns s wrapped to update ix on every write.
func NewStore(s tumen.Store, ix *Index) *Store {
	return &Store{Store: s, Index: ix}
}

// CreatePerson creates the person and indexes them.
func (s *Store) CreatePerson(ctx context.Context, p *tumen.Person) error {
	if err := s.Store.CreatePerson(ctx, p); err != nil {
		return err
	}
	s.Index.PutPerson(p)
	return nil
}

// UpdatePerson updates the person and re-indexes them.
func (s *Store) UpdatePerson(ctx context.Context, p *tumen.Person) error {
	if err := s.Store.UpdatePerson(ctx, p); err != nil {
		return err
	}
	s.Index.PutPerson(p)
	return nil
}

// CreateEvent creates the event and indexes it.
func (s *Store) CreateEvent(ctx context.Context, e *tumen.Event) error {
	if err := s.Store.CreateEvent(ctx, e); err != nil {
		return err
	}
	s.Index.PutEvent(e)
	return nil
}

// CreateAct creates the act and indexes it.
func (s *Store) CreateAct(ctx context.Context, a *tumen.Act) error {
	if err := s.Store.CreateAct(ctx, a); err != nil {
		return err
	}
	s.Index.PutAct(a)
	return nil
}

// CreateSource creates the source and indexes it.
func (s *Store) CreateSource(ctx context.Context, src *tumen.Source) error {
	if err := s.Store.CreateSource(ctx, src); err != nil {
		return err
	}
	s.Index.PutSource(src)
	return nil
}

// Import imports the records and, once the import has committed, indexes
// them. The records are held in memory until then, since an import that
// fails changes nothing.
func (s *Store) Import(ctx context.Context, records iter.Seq2[any, error], progress func(done int)) error {
	var kept []any
	tee := func(yield func(any, error) bool) {
		for r, err := range records {
			if err == nil {
				switch r.(type) {
				case *tumen.Person, *tumen.Event, *tumen.Act, *tumen.Source, *tumen.Place:
					kept = append(kept, r)
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
	// The audit log does not itemise an import, so a saved index (see
	// SaveFile) must know which imports it holds: the one whose entry
	// appears between the heads read before and after.
	j, _ := s.Store.(Journal)
	var before int64 = -1
	if j != nil {
		if h, err := j.AuditHead(ctx); err == nil {
			before = h
		}
	}
	if err := s.Store.Import(ctx, tee, progress); err != nil {
		return err
	}
	err := s.Index.Load(func(yield func(any, error) bool) {
		for _, r := range kept {
			if !yield(r, nil) {
				return
			}
		}
	})
	if err == nil && before >= 0 {
		s.Index.noteImport(ctx, j, before)
	}
	return err
}
