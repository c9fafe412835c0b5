package synth

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"tumen"
	"tumen/exchange"
)

func TestDeterministic(t *testing.T) {
	t.Parallel()
	gen := func(seed int64) []byte {
		var b tumen.Bundle
		g := New(seed)
		for i := 1; i <= 50; i++ {
			g.Person(i, &b)
		}
		out, _ := json.Marshal(b)
		return out
	}
	if !bytes.Equal(gen(1), gen(1)) {
		t.Fatal("same seed, different data")
	}
	if bytes.Equal(gen(1), gen(2)) {
		t.Fatal("different seeds, same data")
	}
}

func TestPersonsAreRealistic(t *testing.T) {
	t.Parallel()
	var b tumen.Bundle
	g := New(9)
	n := 400
	for i := 1; i <= n; i++ {
		g.Person(i, &b)
	}
	women, north, roman, chains := 0, 0, 0, 0
	stages := map[string]int{}
	for _, p := range b.Persons {
		if p.Sex == tumen.SexFemale {
			women++
		}
		if p.Names[0].System != tumen.NameHangulSouth || p.HomePlaceID == "" || !p.BirthDate.Known() {
			t.Fatalf("person %s: %+v", p.ID, p)
		}
		for _, nm := range p.Names[1:] {
			switch nm.System {
			case tumen.NameHangulNorth:
				north++
			case tumen.NameRR, tumen.NameMR, tumen.NameRoman:
				roman++
			}
		}
	}
	for _, e := range b.Events {
		stages[e.Stage]++
		if e.ParentID == "" {
			chains++
			lo, hi := e.Date.Bounds()
			if lo >= hi {
				t.Fatalf("chain %s is not a range: %s", e.ID, e.Date)
			}
		}
	}
	if chains != n || roman != n {
		t.Fatalf("chains %d, romanized names %d, want %d each", chains, roman, n)
	}
	if women < n/2 || women > n*9/10 {
		t.Fatalf("%d women of %d", women, n)
	}
	if north == 0 || stages["S4"] != n || stages["S5"] == 0 || stages["S8"] == 0 {
		t.Fatalf("north %d, stages %v", north, stages)
	}
	if len(b.Sources) != n || len(b.Consents) < n {
		t.Fatalf("sources %d consents %d", len(b.Sources), len(b.Consents))
	}
}

func TestPersonListIsValid(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := New(3).WritePersonList(&buf, 500); err != nil {
		t.Fatal(err)
	}
	pr := exchange.NewPersonListReader(&buf)
	rows := 0
	for {
		_, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
	}
	if rep := pr.Report(); rep != nil || rows != 500 {
		t.Fatalf("%d rows, report %v", rows, rep)
	}
}
