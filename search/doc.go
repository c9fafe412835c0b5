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
//
// # Figures
//
// BenchmarkSearch indexes a million demo persons (package synth, with a
// tail of invented Korean and English words added to each narrative and
// testimony so that texts are unique) and BenchmarkBuildStore builds from
// an SQLite store:
//
//	go test ./search -run '^$' -bench 'BenchmarkSearch$' -benchtime 1x -timeout 0 -search.persons 1000000
//	go test ./search -run '^$' -bench BuildStore -benchtime 1x -timeout 0 -search.store 100000
//
// On the 2-core development machine (shared, so figures vary by a
// factor of up to two): 1,000,000 persons, 5.7 million events, 4.3
// million acts, 1 million sources, 7.7 million texts and 263 million
// postings build in 126 s and take 6.7 GB of heap (7.0 kB a person).
// Name queries in spellings drawn at random: p50 1.2 ms, p95 2.5 ms. Text
// queries of words drawn from the invented vocabularies: p50 13 ms, p95
// 465 ms; queries matching most persons (the synth sentences: "state
// security" matches 933,306) take 200–400 ms, since totals and facets
// count every match; one-syllable Korean queries about 0.4–0.8 s. Build
// from a store of 100,000 persons takes 19 s, most of it reading and
// decrypting the store.
//
// # Limits
//
//   - The build and broad text queries miss the targets of issue 5 (30 s,
//     50 ms p95 at a million persons); name queries meet theirs.
//   - Results are persons: an event or source linked to no person is not
//     found.
//   - Replaced texts leave their postings behind until the next Build
//     (they never match again); a long-running server should rebuild now
//     and then.
//   - A Latin phrase matches stemmed words: "holding centres" finds
//     "holding centre". Phrases of three or more Latin words are matched
//     as every pair of adjacent words.
//   - Terms are kept as 64-bit hashes; a collision could add a false
//     candidate, at odds of about three in a million at ten million terms.
package search
