// Command gen extracts the Hanja readings that package names needs from the
// Unicode Han Database (Unihan) and writes them as a compact text file.
//
// It keeps only characters that have a Korean reading (kHangul) and, for
// each, the Hangul readings in Unihan's order with the flags that matter for
// names (E: a basic educational reading, N: a reading approved for personal
// names) and the first Mandarin reading without tone marks (kMandarin; for
// CJK compatibility ideographs, which Unihan gives no Mandarin reading, the
// reading of the unified ideograph they decompose to). Everything else in
// Unihan — definitions, other languages, dictionary indices — is left out,
// so the file stays around a hundred kilobytes instead of forty megabytes.
//
// Run it through `go generate ./names/`; by default it reads Debian's
// unicode-data package (apt-get install unicode-data).
package main

import (
	"bufio"
	"compress/bzip2"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	readings := flag.String("readings", "/usr/share/unicode/Unihan_Readings.txt.bz2", "Unihan_Readings.txt, optionally .bz2")
	ucd := flag.String("ucd", "/usr/share/unicode/UnicodeData.txt", "UnicodeData.txt, for compatibility ideograph decompositions")
	out := flag.String("out", "data/hanja.txt", "output file")
	flag.Parse()
	if err := run(*readings, *ucd, *out); err != nil {
		log.Fatal(err)
	}
}

type entry struct {
	hangul   string // kHangul field as given, e.g. "리:0E 이:0"
	mandarin string // first kMandarin reading with tone marks
}

func run(readingsPath, ucdPath, outPath string) error {
	entries, version, err := readUnihan(readingsPath)
	if err != nil {
		return err
	}
	decomp, err := readDecompositions(ucdPath)
	if err != nil {
		return err
	}

	cps := make([]rune, 0, len(entries))
	for cp, e := range entries {
		if e.hangul != "" {
			cps = append(cps, cp)
		}
	}
	sort.Slice(cps, func(i, j int) bool { return cps[i] < cps[j] })

	var b strings.Builder
	fmt.Fprintf(&b, "# Hanja readings for package tumen/names, extracted from the Unicode Han Database\n")
	fmt.Fprintf(&b, "# (Unihan_Readings.txt, %s) by names/gen. MODIFIED from the original: only the\n", version)
	fmt.Fprintf(&b, "# characters with a kHangul reading are kept, with their kHangul readings (flags E and N\n")
	fmt.Fprintf(&b, "# only) and their first kMandarin reading without tone marks (u-umlaut written v).\n")
	fmt.Fprintf(&b, "# Copyright Unicode, Inc.; see LICENSE-Unicode.txt beside this file.\n")
	fmt.Fprintf(&b, "# Format: one character per line: the character, then each Hangul reading followed by\n")
	fmt.Fprintf(&b, "# its flags, then a tab and the pinyin (empty when Unihan has none).\n")
	for _, cp := range cps {
		e := entries[cp]
		line, err := encode(cp, e, entries, decomp)
		if err != nil {
			return fmt.Errorf("U+%04X: %w", cp, err)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return os.WriteFile(outPath, []byte(b.String()), 0o644)
}

func encode(cp rune, e entry, entries map[rune]entry, decomp map[rune]rune) (string, error) {
	var b strings.Builder
	b.WriteRune(cp)
	for _, field := range strings.Fields(e.hangul) {
		reading, flags, ok := strings.Cut(field, ":")
		if !ok || utf8.RuneCountInString(reading) != 1 {
			return "", fmt.Errorf("unexpected kHangul value %q", field)
		}
		b.WriteString(reading)
		if strings.Contains(flags, "E") {
			b.WriteByte('E')
		}
		if strings.Contains(flags, "N") {
			b.WriteByte('N')
		}
	}
	m := e.mandarin
	if m == "" {
		if base, ok := decomp[cp]; ok {
			m = entries[base].mandarin
		}
	}
	b.WriteByte('\t')
	b.WriteString(toneless(m))
	return b.String(), nil
}

// toneless strips pinyin tone marks and writes ü as v so the file stays ASCII
// after the Hangul.
func toneless(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'ā', 'á', 'ǎ', 'à':
			r = 'a'
		case 'ē', 'é', 'ě', 'è', 'ê':
			r = 'e'
		case 'ī', 'í', 'ǐ', 'ì':
			r = 'i'
		case 'ō', 'ó', 'ǒ', 'ò':
			r = 'o'
		case 'ū', 'ú', 'ǔ', 'ù':
			r = 'u'
		case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
			r = 'v'
		case 'ń', 'ň', 'ǹ':
			r = 'n'
		case 'ḿ':
			r = 'm'
		}
		if r > 0x7f {
			continue // combining tone marks on m̄, ê̄ and the like
		}
		b.WriteRune(r)
	}
	return b.String()
}

func open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".bz2") {
		return struct {
			io.Reader
			io.Closer
		}{bzip2.NewReader(f), f}, nil
	}
	return f, nil
}

func readUnihan(path string) (map[rune]entry, string, error) {
	f, err := open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	entries := make(map[rune]entry)
	version := "unknown version"
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# Unicode version: "); ok {
			version = "Unicode " + strings.TrimSpace(v)
		}
		if !strings.HasPrefix(line, "U+") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			continue
		}
		n, err := strconv.ParseUint(parts[0][2:], 16, 32)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", parts[0], err)
		}
		cp := rune(n)
		e := entries[cp]
		switch parts[1] {
		case "kHangul":
			e.hangul = parts[2]
		case "kMandarin":
			e.mandarin = strings.Fields(parts[2])[0]
		default:
			continue
		}
		entries[cp] = e
	}
	return entries, version, sc.Err()
}

// readDecompositions maps CJK compatibility ideographs to the unified
// ideograph they canonically decompose to.
func readDecompositions(path string) (map[rune]rune, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := make(map[rune]rune)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ";")
		if len(fields) < 6 || !strings.HasPrefix(fields[1], "CJK COMPATIBILITY IDEOGRAPH") {
			continue
		}
		cp, err1 := strconv.ParseUint(fields[0], 16, 32)
		to, err2 := strconv.ParseUint(fields[5], 16, 32)
		if err1 != nil || err2 != nil {
			continue // a compatibility decomposition with a <tag>, or none
		}
		m[rune(cp)] = rune(to)
	}
	return m, sc.Err()
}
