package estimate

import (
	"os"
	"path/filepath"
	"testing"
)

// load reads a table from testdata.
func load(tb testing.TB, name string) *Table {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	t, err := ReadCSV(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return t
}
