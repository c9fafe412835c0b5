package estimate

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadCSVDatasets(t *testing.T) {
	t.Parallel()
	// Records as given in the datasets' READMEs.
	tests := []struct {
		file    string
		lists   int
		records int
	}{
		{"kosovo.csv", 4, 4400},
		{"uk_5list.csv", 5, 2744},
		{"korean_women_palembang.csv", 3, 123},
		{"extra/kosovo.csv", 4, 4400},
		{"extra/korea_palembang.csv", 3, 123},
		{"extra/uk_5list.csv", 5, 2744},
		{"extra/neworleans_5list.csv", 5, 185},
		{"extra/madigan_york_3list.csv", 3, 626},
		{"extra/madigan_york_5list.csv", 5, 537},
		{"extra/hiv_rome.csv", 4, 1896},
		{"extra/lesbian_allegheny.csv", 4, 2185},
		{"extra/diabetes_bruno.csv", 4, 2069},
		{"extra/gaza_2024.csv", 3, 29271},
		{"extra/western_us.csv", 5, 345},
		{"extra/netherlands_5list.csv", 5, 8234},
		{"extra/verdata_r1_hombre_1999.csv", 20, 982},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			tb := load(t, tc.file)
			if tb.J() != tc.lists || tb.Observed() != tc.records {
				t.Errorf("got %d lists, %d records; want %d, %d", tb.J(), tb.Observed(), tc.lists, tc.records)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty input"},
		{"one list", "a,count\n1,3\n", "line 1: need at least 2 list columns"},
		{"no count column", "a,b,n\n1,0,3\n", `line 1: last column must be named count, not "n"`},
		{"duplicate list", "a,a,count\n1,0,3\n", `duplicate list name "a"`},
		{"empty list name", "a,,count\n1,0,3\n", "empty list name"},
		{"not binary", "a,b,count\n1,0,3\n2,0,1\n", `line 3: column "a": want 0 or 1, have "2"`},
		{"negative", "a,b,count\n1,0,-3\n", `line 2: count must be an integer`},
		{"fraction", "a,b,count\n1,0,2.5\n", `line 2: count must be an integer`},
		{"huge", "a,b,count\n1,0,99999999999\n", `line 2: count must be an integer`},
		{"all zero", "a,b,count\n1,1,3\n0,0,4\n", "line 3: all-zero pattern with count 4"},
		{"short row", "a,b,count\n1,0,3\n1,1\n", "line 3: have 2 fields, want 3"},
		{"long row", "a,b,count\n1,0,3,4\n", "line 2: have 4 fields, want 3"},
		{"duplicate", "a,b,count\n1,0,3\n0,1,2\n1,0,1\n", "line 4: pattern 10 repeats line 2"},
		{"bad quote", "a,b,count\n1,\"0,3\n", "estimate:"},
		{"too many lists", strings.Repeat("x,", 0) + header(33) + "\n", "need 2 to 32 lists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadCSV(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func header(j int) string {
	var b strings.Builder
	for i := range j {
		b.WriteString("L")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString(",")
	}
	b.WriteString("count")
	return b.String()
}

func TestReadCSVAccepts(t *testing.T) {
	t.Parallel()
	in := "\ufeff A , B ,Count\r\n 1 , 0 , 3 \r\n0,1,0\r\n0,0,0\r\n1,1,2\r\n"
	tb, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := &Table{Lists: []string{"A", "B"}, Cells: map[uint32]int{1: 3, 3: 2}}
	if !reflect.DeepEqual(tb, want) {
		t.Errorf("got %+v, want %+v", tb, want)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"kosovo.csv", "uk_5list.csv", "extra/verdata_r1_hombre_1999.csv"} {
		tb := load(t, name)
		var buf bytes.Buffer
		if err := tb.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tb, back) {
			t.Errorf("%s: round trip changed the table", name)
		}
	}
}

func TestTableHelpers(t *testing.T) {
	t.Parallel()
	tb := load(t, "kosovo.csv")
	if got := tb.ListTotal(0); got != 1131+106+228+42+177+18+181+27 {
		t.Errorf("EXH total %d", got)
	}
	pair, err := tb.Collapse(1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if pair.Lists[0] != "ABA" || pair.Lists[1] != "HRW" || pair.Count(3) != 31+32+18+27 {
		t.Errorf("collapse: %+v", pair)
	}
	if _, err := tb.Collapse(1, 1); err == nil {
		t.Error("collapse with a repeated list succeeded")
	}
	if err := NewTable("a", "b").Add(0, 1); err == nil {
		t.Error("Add accepted the all-zero pattern")
	}
	if err := NewTable("a", "b").Add(4, 1); err == nil {
		t.Error("Add accepted a pattern beyond the lists")
	}
	if tb.PatternString(5) != "1010" {
		t.Errorf("PatternString(5) = %q", tb.PatternString(5))
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"kosovo.csv", "uk_5list.csv", "korean_women_palembang.csv", "extra/neworleans_5list.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "a,b,count\n1,0,3\n", "a,b,count\n0,0,1\n", "a,b,count\n1,0,-1\n", "a,\"b\nc\",count\n1,1,2\n", "a,b,count\n1,0,3\n1,0,3\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		tb, err := ReadCSV(bytes.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "estimate: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		if err := tb.Validate(); err != nil {
			t.Fatalf("ReadCSV returned an invalid table: %v", err)
		}
		for p, c := range tb.Cells {
			if p == 0 || c <= 0 {
				t.Fatalf("cell %d = %d", p, c)
			}
		}
		var buf bytes.Buffer
		if err := tb.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(&buf)
		if err != nil {
			t.Fatalf("re-reading written table: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(tb, back) {
			t.Fatalf("round trip changed the table: %+v vs %+v", tb, back)
		}
	})
}
