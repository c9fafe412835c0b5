package web

import (
	"context"
	"sort"

	"tumen"
)

// reference is the gazetteer, organisations and vocabularies, read once
// at start: they change only through an import, which restarts nothing but
// is rare enough that a restart of the server to see new terms is fine.
type reference struct {
	places     map[string]*tumen.Place
	placeList  []*tumen.Place
	orgs       map[string]*tumen.Organisation
	orgList    []*tumen.Organisation
	terms      map[string]map[string]*tumen.Term
	termList   map[string][]*tumen.Term
	vocabNames []string
}

func (s *Server) loadReference(ctx context.Context) error {
	ps, err := s.store.Places(ctx)
	if err != nil {
		return err
	}
	os, err := s.store.Organisations(ctx)
	if err != nil {
		return err
	}
	ts, err := s.store.Terms(ctx, "")
	if err != nil {
		return err
	}
	s.places, s.placeList = map[string]*tumen.Place{}, ps
	for _, p := range ps {
		s.places[p.ID] = p
	}
	sort.SliceStable(s.placeList, func(i, j int) bool { return s.placeList[i].NameEN < s.placeList[j].NameEN })
	s.orgs, s.orgList = map[string]*tumen.Organisation{}, os
	for _, o := range os {
		s.orgs[o.ID] = o
	}
	s.terms, s.termList = map[string]map[string]*tumen.Term{}, map[string][]*tumen.Term{}
	for _, t := range ts {
		if s.terms[t.Vocab] == nil {
			s.terms[t.Vocab] = map[string]*tumen.Term{}
			s.vocabNames = append(s.vocabNames, t.Vocab)
		}
		s.terms[t.Vocab][t.Code] = t
		s.termList[t.Vocab] = append(s.termList[t.Vocab], t)
	}
	return nil
}

// term returns a vocabulary term, or nil.
func (s *Server) term(vocab, code string) *tumen.Term { return s.terms[vocab][code] }

// vocabList returns a vocabulary's terms in code order.
func (s *Server) vocabList(vocab string) []*tumen.Term { return s.termList[vocab] }
