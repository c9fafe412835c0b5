// Package search finds persons by any spelling of their name and by the
// full text of the records about them, with filters and facet counts, over
// an index held in memory only.
//
// The index is built when the store is unlocked (Build) and kept current by
// the Put methods, which the Store wrapper calls on every write; it is never
// written to disk, so a stolen data directory holds no name or text in the
// clear beyond what the store itself seals.
//
// Names: every recorded name is indexed under the keys of the names
// package (South-normalised Hangul readings, shared by 이영호, 리영호, Lee
// Young-ho, Yi Yŏng-ho, Ri Yong Ho, 李英浩 and Li Yinghao) and under the same
// keys with one syllable left out. The query is read as a name the same
// way, and every name sharing a key is ranked by names.Similarity; names
// below Options.MinName do not match.
//
// Text: narratives, event titles, testimonies, source titles, person notes
// and act notes. Latin-script words are folded to lower case without
// diacritics and lightly stemmed; Korean and Chinese, written without spaces
// between words, are indexed as character bigrams, so a word is found inside
// a longer run (집결소 in 온성집결소에서). All words of a query must occur in
// one text; a word of three or more syllables and a "quoted phrase" must
// occur contiguously, checked against the text. Snippets mark the matched
// spans by byte offsets.
//
// Results are persons. A person's records are their acts, the chains of
// events those acts belong to (a chain is a root event and everything under
// it), and the sources that support the person, their chain's events or
// their acts. Filters and facets read those records.
//
// Permissions: a search carries the caller's Access. Records above the
// clearance are never matched, returned, counted in a total or facet, or
// cut into a snippet; a caller who may not see identities may filter and
// count but not search names or text.
package search
