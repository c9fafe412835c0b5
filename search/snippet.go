package search

import (
	"slices"
	"unicode/utf8"
)

// A snippet shows about snippetBytes of text, starting some way before the
// first match.
const (
	snippetBytes  = 240
	snippetBefore = 60
	maxMarks      = 64
)

// snippet cuts the passage of field fid around its first match.
func (ix *Index) snippet(fid uint32, units []unit) Snippet {
	f := &ix.fields[fid]
	sn := Snippet{Kind: kindNames[f.kind], Field: fieldNames[f.name], Marks: []Span{}}
	switch f.kind {
	case kindPerson:
		sn.RecordID = ix.persons[f.rec].id
	case kindEvent:
		sn.RecordID = ix.events[f.rec].id
	case kindAct:
		sn.RecordID = ix.acts[f.rec].id
	case kindSource:
		sn.RecordID = ix.sources[f.rec].id
	}
	sn.Text, sn.Marks = cut(f.text, marks(f.text, units))
	return sn
}

// marks finds the spans of text that match the query's units.
func marks(text string, units []unit) [][2]int {
	var spans [][2]int
	var n *normalized
	var toks []token
	for _, u := range units {
		if len(u.seq) > 0 {
			if toks == nil {
				toks = tokenize(text)
			}
			for i := 0; i+len(u.seq) <= len(toks) && len(spans) < maxMarks; i++ {
				ok := true
				for j, w := range u.seq {
					if t := toks[i+j]; !t.latin || t.term != w {
						ok = false
						break
					}
				}
				if ok {
					spans = append(spans, [2]int{toks[i].start, toks[i+len(u.seq)-1].end})
				}
			}
			continue
		}
		if n == nil {
			nn := normalize(text)
			n = &nn
		}
		spans = append(spans, n.find(u.find, maxMarks)...)
	}
	slices.SortFunc(spans, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return b[1] - a[1]
	})
	var merged [][2]int
	for _, s := range spans {
		if k := len(merged); k > 0 && s[0] <= merged[k-1][1] {
			merged[k-1][1] = max(merged[k-1][1], s[1])
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// cut returns the passage of text around the first span, with the spans
// that fall in it as offsets into the passage. Cuts fall on rune
// boundaries, preferably at a space.
func cut(text string, spans [][2]int) (string, []Span) {
	start := 0
	if len(spans) > 0 {
		start = max(0, spans[0][0]-snippetBefore)
	}
	for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
		start++
	}
	if start > 0 {
		// Start after a space when one is near, so no word is cut.
		for i := start; i < len(text) && i < start+20 && (len(spans) == 0 || i < spans[0][0]); i++ {
			if text[i] == ' ' {
				start = i + 1
				break
			}
		}
	}
	end := min(len(text), start+snippetBytes)
	if len(spans) > 0 && spans[0][1] > end {
		end = spans[0][1]
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	if end < len(text) {
		for i := end; i > start+snippetBytes/2; i-- {
			if text[i] == ' ' {
				if len(spans) == 0 || i >= spans[0][1] {
					end = i
				}
				break
			}
		}
	}
	prefix, suffix := "", ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(text) {
		suffix = "…"
	}
	out := []Span{}
	for _, s := range spans {
		if s[0] < start || s[1] > end {
			continue
		}
		out = append(out, Span{s[0] - start + len(prefix), s[1] - start + len(prefix)})
	}
	return prefix + text[start:end] + suffix, out
}
