// Package linkage finds the records that describe one person: the same
// escapee written 이영호 by a South Korean NGO, 리영호 in a North Korean
// document, Ri Yong Ho in a UN submission and 李英浩 or Li Yinghao on a
// Chinese police list.
//
// # The model
//
// Linkage is probabilistic, after Fellegi and Sunter. Two records are
// compared field by field, each comparison giving an agreement level
// ("exact in any spelling", "one jamo off", "a year apart", "across the
// river", "missing"); each level carries a weight, log2(m/u), where m is
// the probability of that level among pairs that are one person and u
// among pairs that are not. A pair's weight is the prior log-odds plus the
// weights of its levels, and its match probability follows. Model.Explain
// lists what each field contributed; no value ever appears in it.
//
// Nothing is labelled in advance, so the model learns from the data:
//
//   - u from up to a million record pairs drawn at random, nearly all of them
//     different people (Model.EstimateU);
//   - m by expectation–maximisation in training sessions, as Splink does:
//     each session takes the pairs one blocking rule finds (records sharing
//     a name; a repatriation month and crossing; a birth year and home
//     county), holds u fixed and leaves out the comparisons the rule's
//     pairs were chosen for, and the sessions' estimates are pooled
//     (Model.Train). Reviewers' decisions enter as labelled pairs whose
//     class EM does not guess;
//   - the prior by a fixed point over the candidate pairs
//     (Model.EstimateLambda).
//
// Agreement on a common name is worth less than on a rare one: the exact
// level of the name comparison is weighed log2(m/tf), tf being the share
// of records with that name, instead of log2(m/u), so a name that one
// record in a thousand bears gives log2(10) ≈ 3.3 bits less than one that
// one record in ten thousand bears. About one North Korean in five is a
// Kim, and common names are what make namesakes.
//
// # Comparisons
//
// For person lists (Persons): the name through the names package (every
// spelling of one name agrees exactly; one differing jamo, one letter,
// one syllable; pinyin read syllable by syllable against the Hangul, since
// pinyin keeps less than Korean and the names package reads it only when
// a name cannot be Korean); the birth date as a range (same day, same
// month, overlapping, a year apart, …); sex; the home county through the
// gazetteer (the same place however written, one place within another,
// the same province); the repatriation's date and crossing together, since
// they are one fact (Tumen and Namyang face each other across the river);
// and whether two records come from one organisation's list. For any other
// CSV (Table): each column as text (Jaro–Winkler), digits (edit distance)
// or a date.
//
// # Blocking
//
// Comparing every pair of a million records is out of reach, so candidate
// pairs come from blocking rules — records sharing a key — and the
// candidates are the union over all rules, each pair once. The person
// rules pair names (a reading of the name) with a birth year window, the
// home county or the repatriation year; names with one syllable left out,
// for typos; pinyin readings against Hangul; and, without a name, the
// repatriation month and crossing with birth year or sex. A key shared by
// too many records (MaxBlock) pairs nothing, and a broad rule has a budget
// of pairs per record spent on its smallest blocks first, so the work grows
// linearly with the list.
//
// # Clustering
//
// Pairs above the threshold are joined into persons strongest first, and
// two groups are joined only when every pair across them is scored (the
// model is cheap enough to score pairs blocking never proposed), none is
// a confident non-match, and their average probability is high enough: a
// chain A–B–C does not make A and C one person when they were born ten
// years apart. See Cluster.
//
// # Figures
//
// On the synthetic lists of package synth (five sources with their own
// habits, typos, gaps, namesakes, persons returned twice) the engine
// reaches a pairwise F1 of about 0.96 at 20,000 rows, and 0.9998 on FEBRL
// 3. TestSynthF1 and TestFEBRL3 hold it to 0.95; BenchmarkLink,
// BenchmarkFEBRL3 and BenchmarkScorePairs, and tumen link --truth, print
// the figures.
package linkage
