package estimate

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Model is a hierarchical log-linear model over J lists: all main effects
// plus the interaction Terms, each a bitmask of two or more lists. Terms is
// closed under taking subsets of two or more lists (a three-way term
// brings its three two-way terms), which is what hierarchical means.
type Model struct {
	J     int
	Terms []uint32
}

// sortTerms orders terms by order, then by the lists' indices, so that
// equal models have equal Terms.
func sortTerms(ts []uint32) {
	slices.SortFunc(ts, func(a, b uint32) int {
		if c := cmp.Compare(bits.OnesCount32(a), bits.OnesCount32(b)); c != 0 {
			return c
		}
		return cmp.Compare(bits.Reverse32(a), bits.Reverse32(b))
	})
}

// closeTerms returns the hierarchical closure of the generators: every
// subset of two or more lists of every generator.
func closeTerms(gens []uint32) []uint32 {
	set := make(map[uint32]bool)
	for _, g := range gens {
		if bits.OnesCount32(g) < 2 {
			continue
		}
		// Enumerate the submasks of g (Knuth's s = (s−1) & g walk).
		for s := g; s != 0; s = (s - 1) & g {
			if bits.OnesCount32(s) >= 2 {
				set[s] = true
			}
		}
	}
	out := make([]uint32, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sortTerms(out)
	return out
}

// Order returns the highest interaction order in the model (1 for the
// independence model).
func (m Model) Order() int {
	o := 1
	for _, t := range m.Terms {
		o = max(o, bits.OnesCount32(t))
	}
	return o
}

// Params returns the number of parameters: intercept, J main effects and
// the interactions.
func (m Model) Params() int { return 1 + m.J + len(m.Terms) }

// String writes the model in Rcapture's notation: its generating class
// (the terms contained in no larger term), each as the 1-based indices of
// its lists, plus the lists in no interaction as single indices, sorted;
// e.g. "[123,14,34]" or the independence model "[1,2,3,4]". With more than
// 9 lists the indices are separated by ':' ("[1:10,2]").
func (m Model) String() string {
	var gens []uint32
	var covered uint32
	for _, t := range m.Terms {
		covered |= t
		maximal := true
		for _, u := range m.Terms {
			if u != t && u&t == t {
				maximal = false
				break
			}
		}
		if maximal {
			gens = append(gens, t)
		}
	}
	for j := range m.J {
		if covered&(1<<uint(j)) == 0 {
			gens = append(gens, 1<<uint(j))
		}
	}
	// Lexicographic order on the sorted index sequences, as Rcapture
	// prints them.
	slices.SortFunc(gens, func(a, b uint32) int {
		for a != 0 && b != 0 {
			ia, ib := bits.TrailingZeros32(a), bits.TrailingZeros32(b)
			if ia != ib {
				return cmp.Compare(ia, ib)
			}
			a &= a - 1
			b &= b - 1
		}
		return cmp.Compare(a, b)
	})
	parts := make([]string, len(gens))
	for i, g := range gens {
		var idx []string
		for g != 0 {
			idx = append(idx, strconv.Itoa(bits.TrailingZeros32(g)+1))
			g &= g - 1
		}
		sep := ""
		if m.J > 9 {
			sep = ":"
		}
		parts[i] = strings.Join(idx, sep)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// ParseModel reads a model in Rcapture's notation, "[12,13,24]": terms
// separated by commas, each naming the lists of one interaction. A term is
// either digits (1-based list indices, one digit each, when there are at
// most 9 lists) or indices or list names joined by ':', '*' or '·'
// ("EXH*ABA*OSCE", "1:10"). Single-list terms are allowed and change
// nothing, since every main effect is always in the model. The brackets
// are optional. The model is closed hierarchically.
func ParseModel(s string, lists []string) (Model, error) {
	j := len(lists)
	if j < 2 || j > MaxLists {
		return Model{}, fmt.Errorf("estimate: need 2 to %d lists, have %d", MaxLists, j)
	}
	body := strings.TrimSpace(s)
	body = strings.TrimPrefix(body, "[")
	body = strings.TrimSuffix(body, "]")
	if strings.TrimSpace(body) == "" {
		return Model{}, fmt.Errorf("estimate: empty model %q", s)
	}
	name := make(map[string]int, j)
	for i, l := range lists {
		name[strings.ToLower(l)] = i
	}
	index := func(tok string) (int, error) {
		if i, ok := name[strings.ToLower(tok)]; ok {
			return i, nil
		}
		v, err := strconv.Atoi(tok)
		if err != nil || v < 1 || v > j {
			return 0, fmt.Errorf("estimate: model %q: %q is neither a list name nor an index from 1 to %d", s, tok, j)
		}
		return v - 1, nil
	}
	var gens []uint32
	for term := range strings.SplitSeq(body, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			return Model{}, fmt.Errorf("estimate: model %q has an empty term", s)
		}
		var toks []string
		if strings.ContainsAny(term, ":*·") {
			toks = strings.FieldsFunc(term, func(r rune) bool { return r == ':' || r == '*' || r == '·' || unicode.IsSpace(r) })
		} else if _, isName := name[strings.ToLower(term)]; isName {
			toks = []string{term}
		} else if j <= 9 && strings.IndexFunc(term, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
			for _, r := range term {
				toks = append(toks, string(r))
			}
		} else {
			toks = []string{term}
		}
		var g uint32
		for _, tok := range toks {
			i, err := index(tok)
			if err != nil {
				return Model{}, err
			}
			if g&(1<<uint(i)) != 0 {
				return Model{}, fmt.Errorf("estimate: model %q: list %d repeated in term %q", s, i+1, term)
			}
			g |= 1 << uint(i)
		}
		if j < MaxLists && g == 1<<uint(j)-1 || j == MaxLists && g == ^uint32(0) {
			return Model{}, fmt.Errorf("estimate: model %q: the %d-way interaction of all lists cannot be estimated (it is confounded with the unobserved cell)", s, j)
		}
		gens = append(gens, g)
	}
	return Model{J: j, Terms: closeTerms(gens)}, nil
}

// tooManyModels is the error of a search that would fit more models than
// is reasonable; the caller should then name a model.
func tooManyModels(limit int) error {
	return fmt.Errorf("estimate: more than %d hierarchical models to search; give a model or lower the maximum order", limit)
}

// EnumerateModels returns every hierarchical log-linear model over j lists
// with interactions of order at most maxOrder (and below j: the j-way
// interaction is not estimable), failing beyond limit models.
//
// The enumeration goes level by level: choose any set of two-way terms;
// then any set of three-way terms all of whose two-way faces were chosen;
// and so on. Every hierarchical model arises exactly once, and no
// non-hierarchical candidate is ever generated, so the cost is linear in
// the number of models (2^6 = 64 for J=4 and 2^10 = 1024 for J=5 with
// two-way terms).
func EnumerateModels(j, maxOrder, limit int) ([]Model, error) {
	if j < 2 || j > MaxLists {
		return nil, fmt.Errorf("estimate: need 2 to %d lists, have %d", MaxLists, j)
	}
	// The J-way interaction is never estimable: with the all-zero cell
	// unobserved it is confounded with the number unseen.
	maxOrder = min(maxOrder, j-1)
	var out []Model
	var rec func(level int, prev []uint32, chosen []uint32) error
	rec = func(level int, prev []uint32, chosen []uint32) error {
		var cands []uint32
		switch {
		case level > maxOrder:
		case level == 2:
			for a := 0; a < j; a++ {
				for b := a + 1; b < j; b++ {
					cands = append(cands, 1<<uint(a)|1<<uint(b))
				}
			}
		default:
			cands = extend(prev, j)
		}
		if len(cands) == 0 {
			if len(out) >= limit {
				return tooManyModels(limit)
			}
			ts := slices.Clone(chosen)
			sortTerms(ts)
			out = append(out, Model{J: j, Terms: ts})
			return nil
		}
		if len(cands) > 30 {
			return tooManyModels(limit)
		}
		for sub := uint64(0); sub < 1<<uint(len(cands)); sub++ {
			var picked []uint32
			for i, c := range cands {
				if sub&(1<<uint(i)) != 0 {
					picked = append(picked, c)
				}
			}
			next := slices.Concat(chosen, picked)
			if err := rec(level+1, picked, next); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rec(2, nil, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// extend returns the terms of one order higher than those in prev all of
// whose faces (the terms with one list removed) are in prev: the terms a
// hierarchical model may add at the next level.
func extend(prev []uint32, j int) []uint32 {
	in := make(map[uint32]bool, len(prev))
	for _, t := range prev {
		in[t] = true
	}
	var out []uint32
	for _, t := range prev {
		// Generate each candidate once, from its face without its
		// highest list.
		for i := 32 - bits.LeadingZeros32(t); i < j; i++ {
			c := t | 1<<uint(i)
			ok := true
			for r := c; r != 0; r &= r - 1 {
				if !in[c&^(r&-r)] {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, c)
			}
		}
	}
	return out
}
