package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"time"

	"tumen"
)

// Journal is what an index kept in a file between runs needs of its store
// (sqlstore.DB): sealed streams, so that the file reveals nothing, and the
// audit log, in which every write leaves an entry naming its record, so
// that the writes the file missed are read again.
type Journal interface {
	SealStream(w io.Writer, purpose string) (io.WriteCloser, error)
	OpenStream(r io.Reader, purpose string) (io.ReadCloser, error)
	AuditHead(ctx context.Context) (int64, error)
	AuditLog(ctx context.Context, afterSeq int64, limit int) ([]*tumen.AuditEntry, error)
}

// savedPurpose names the sealed streams of saved indexes.
const savedPurpose = "search-index"

// maxReplay is the most records Keep reads again from the store for the
// writes a saved index missed; beyond it a build from the store is about
// as quick.
const maxReplay = 100000

// Report says how Keep readied the index.
type Report struct {
	// From is "file" when the saved index was read, "store" when the
	// index was built from the store.
	From string
	// Why says why a saved index was not used, "" when it was or there
	// was none. It never holds personal data.
	Why string
	// Replayed counts the records read again from the store for writes
	// made after the saved index.
	Replayed int
	Stats    Stats
	Took     time.Duration
	Err      error
}

// Keep is Start for an index kept, sealed under the store's key, in a file
// at path between runs. It reads the file when there is one and then the
// records written since it was saved, as the audit log names them; it
// builds from the store, as Start does, when there is no file, when the
// file does not open (another store's, altered, cut short, of another
// version), or when the log names an import since (which it does not
// itemise) or more than maxReplay records. Meanwhile, as with Start,
// searches are refused and writes wait. done, if not nil, is called when
// the index is ready or has failed. The file is written by SaveFile, not
// by Keep.
func Keep(ctx context.Context, s tumen.Store, j Journal, path string, done func(Report)) *Index {
	ix := New(nil)
	ix.building, ix.started = true, time.Now()
	ix.mu.Lock()
	go func() {
		var rep Report
		err := ix.keepFill(ctx, s, j, path, &rep)
		ix.endBuild(err)
		if done != nil {
			rep.Err, rep.Took = err, time.Since(ix.started)
			if err == nil {
				rep.Stats = ix.Stats()
			}
			done(rep)
		}
	}()
	return ix
}

// keepFill fills ix, new and locked, from the file at path and the log,
// or from the store.
func (ix *Index) keepFill(ctx context.Context, s tumen.Store, j Journal, path string, rep *Report) error {
	// Everything written up to head is in what is read after this.
	head, err := j.AuditHead(ctx)
	if err != nil {
		return err
	}
	f, seq, size, err := openFile(j, path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		rep.Why = err.Error()
	default:
		// The log first: if it names an import, the file is not read.
		recs, why, err := changedSince(ctx, s, j, seq, head, nil)
		if err == nil && why == "" {
			saved := New(nil)
			if err = saved.restore(f, size); err != nil {
				why, err = "the saved index could not be read: "+err.Error(), nil
			} else {
				f.Close()
				places, err := s.Places(ctx)
				if err != nil {
					return err
				}
				ix.indexData = saved.indexData
				ix.version++
				ix.setPlacesLocked(places)
				for _, r := range recs {
					ix.putRecord(r)
				}
				ix.seen = head
				// Without writes since, the file is the index.
				ix.savedVersion, ix.savedOK = ix.version, len(recs) == 0
				rep.From, rep.Replayed = "file", len(recs)
				return nil
			}
		}
		f.Close()
		if err != nil {
			return err
		}
		rep.Why = why
	}
	rep.From = "store"
	if err := ix.fill(ctx, s); err != nil {
		return err
	}
	ix.seen = head
	return nil
}

// openFile opens the sealed file at path and reads the audit sequence
// number the index in it is current to; the index follows in the reader,
// which the caller closes.
func openFile(j Journal, path string) (r io.ReadCloser, seq int64, size int, err error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, 0, 0, err
		}
		return nil, 0, 0, fmt.Errorf("the saved index could not be opened: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, 0, fmt.Errorf("the saved index could not be opened: %w", err)
	}
	sr, err := j.OpenStream(f, savedPurpose)
	if err != nil {
		f.Close()
		return nil, 0, 0, fmt.Errorf("the saved index does not open (another store's, or altered): %w", err)
	}
	var b [8]byte
	if _, err := io.ReadFull(sr, b[:]); err != nil {
		sr.Close()
		f.Close()
		return nil, 0, 0, fmt.Errorf("the saved index could not be read: %w", err)
	}
	// The form inside is no longer than the file.
	return &sealedFile{sr, f}, int64(binary.LittleEndian.Uint64(b[:])), int(st.Size()), nil
}

// sealedFile is a sealed stream read from a file: closing it closes both.
type sealedFile struct {
	io.ReadCloser
	f *os.File
}

func (s *sealedFile) Close() error {
	s.ReadCloser.Close()
	return s.f.Close()
}

// changedSince reads, as they are now, the persons, events, acts and
// sources the audit log says were written after entry from up to entry
// to, each once. why is not "" when they cannot all be named: an import,
// which the log does not itemise (unless held says the index holds it),
// or more than maxReplay records.
func changedSince(ctx context.Context, s tumen.Store, j Journal, from, to int64, held map[int64]bool) (recs []any, why string, err error) {
	type ref struct{ kind, id string }
	var order []ref
	seen := map[ref]bool{}
	for after := from; after < to; {
		es, err := j.AuditLog(ctx, after, 1000)
		if err != nil {
			return nil, "", err
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			if e.Seq > to {
				break
			}
			switch {
			case e.Action == "import" && !held[e.Seq]:
				return nil, "the store was imported into since the index was saved", nil
			case e.Action != "create" && e.Action != "update":
				continue
			}
			switch r := (ref{e.Kind, e.Target}); r.kind {
			case "person", "event", "act", "source":
				if !seen[r] {
					seen[r] = true
					order = append(order, r)
				}
			}
			if len(order) > maxReplay {
				return nil, fmt.Sprintf("more than %d records were written since the index was saved", maxReplay), nil
			}
		}
		after = es[len(es)-1].Seq
	}
	for _, r := range order {
		var rec any
		var err error
		switch r.kind {
		case "person":
			rec, err = s.Person(ctx, r.id)
		case "event":
			rec, err = s.Event(ctx, r.id)
		case "source":
			rec, err = s.Source(ctx, r.id)
		case "act":
			var as []*tumen.Act
			if as, err = s.ListActs(ctx, tumen.ActFilter{ID: r.id, Limit: 1}); err == nil {
				if len(as) == 0 {
					continue
				}
				rec = as[0]
			}
		}
		if tumen.IsNotFound(err) {
			continue // written and gone since: nothing to index
		}
		if err != nil {
			return nil, "", err
		}
		recs = append(recs, rec)
	}
	return recs, "", nil
}

// SaveFile writes the index, sealed under the store's key, to the file at
// path, for Keep to read at the next start (unless nothing was written
// since it wrote or read that file): first to a temporary file
// beside it, synced, then renamed over it, so that a crash leaves the old
// file or the new, never half of one. Before it writes, the records the
// audit log names since the index was last current (written around the
// index, by another process or a merge) are read again from the store;
// after an import, which the log does not itemise, nothing is saved and
// the next start builds from the store. Searches go on meanwhile; writes
// wait while the index is written.
func (ix *Index) SaveFile(ctx context.Context, s tumen.Store, j Journal, path string) (written bool, err error) {
	if err := ix.ready(); err != nil {
		return false, err
	}
	ix.saveMu.Lock()
	defer ix.saveMu.Unlock()
	head, err := j.AuditHead(ctx)
	if err != nil {
		return false, err
	}
	ix.qmu.Lock()
	held := maps.Clone(ix.imports)
	ix.qmu.Unlock()
	recs, why, err := changedSince(ctx, s, j, ix.seen, head, held)
	if err != nil {
		return false, err
	}
	if why != "" {
		return false, fmt.Errorf("search index not saved: %s; the next start builds it from the store", why)
	}
	ix.mu.RLock()
	unchanged := ix.savedOK && ix.version == ix.savedVersion
	ix.mu.RUnlock()
	if _, err := os.Stat(path); err != nil {
		unchanged = false
	}
	if unchanged && len(recs) == 0 {
		// Nothing written since the file was written or read: the
		// entries since (reads, other records) change nothing in it.
		ix.seen = head
		return false, nil
	}
	if len(recs) > 0 {
		if err := ix.Load(func(yield func(any, error) bool) {
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
		}); err != nil {
			return false, err
		}
	}
	ix.seen = head
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	w, err := j.SealStream(tmp, savedPurpose)
	if err != nil {
		tmp.Close()
		return false, err
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(head))
	_, err = w.Write(b[:])
	var version uint64
	if err == nil {
		version, err = ix.save(w)
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		ix.savedVersion, ix.savedOK = version, true
	}
	return err == nil, err
}

// noteImport notes that the index holds the import whose audit entry is
// the one import entry after sequence number before; with none, or more
// than one (another process imported too), it notes nothing, and the
// index will not be saved until it is built again.
func (ix *Index) noteImport(ctx context.Context, j Journal, before int64) {
	after, err := j.AuditHead(ctx)
	if err != nil {
		return
	}
	var found []int64
	for from := before; from < after; {
		es, err := j.AuditLog(ctx, from, 1000)
		if err != nil || len(es) == 0 {
			return
		}
		for _, e := range es {
			if e.Seq <= after && e.Action == "import" {
				found = append(found, e.Seq)
			}
		}
		from = es[len(es)-1].Seq
	}
	if len(found) != 1 {
		return
	}
	ix.qmu.Lock()
	defer ix.qmu.Unlock()
	if ix.imports == nil {
		ix.imports = map[int64]bool{}
	}
	ix.imports[found[0]] = true
}

// endBuild ends a background build: the writes that came meanwhile are
// applied in order (new ones may arrive and are queued until the queue is
// empty), and the write lock is let go.
func (ix *Index) endBuild(err error) {
	if err != nil && ix.bulk {
		// Searches will be refused; what was read is still made
		// whole, for the writes queued meanwhile.
		ix.finish()
	}
	for {
		ix.qmu.Lock()
		q := ix.queue
		ix.queue = nil
		if len(q) == 0 {
			ix.building, ix.buildErr = false, err
			ix.qmu.Unlock()
			break
		}
		ix.qmu.Unlock()
		for _, f := range q {
			f()
		}
	}
	ix.mu.Unlock()
}
