package estimate

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStratify(t *testing.T) {
	t.Parallel()
	kosovo := load(t, "kosovo.csv")
	tiny := &Table{Lists: kosovo.Lists, Cells: map[uint32]int{1: 5, 3: 2, 8: 4}}
	apart := &Table{Lists: kosovo.Lists, Cells: map[uint32]int{1: 50, 2: 70, 4: 90, 8: 20}}
	// HRW (bit 3) empty in this stratum: it must be left out.
	noHRW, _ := kosovo.Collapse(0, 1, 2)
	noHRW = &Table{Lists: kosovo.Lists, Cells: noHRW.Cells}
	strata := []Stratum{
		{"all", kosovo},
		{"tiny", tiny},
		{"apart", apart},
		{"no HRW", noHRW},
		{"missing", nil},
	}
	res := Stratify(strata, Options{Method: MethodLogLinear})
	if len(res) != len(strata) {
		t.Fatalf("%d results", len(res))
	}
	tests := []struct {
		name    string
		ok      bool
		skipped bool
		warn    string
	}{
		{"all", true, false, ""},
		{"tiny", false, true, "too sparse"},
		{"apart", false, true, "no overlap"},
		{"no HRW", true, false, "HRW has no record"},
		{"missing", false, true, ""},
	}
	for i, tc := range tests {
		r := res[i]
		if r.Name != tc.name || (r.Result != nil) != tc.ok || r.Skipped != tc.skipped {
			t.Errorf("%s: %+v", tc.name, r)
		}
		if tc.warn != "" && !strings.Contains(strings.Join(r.Warnings, ";"), tc.warn) {
			t.Errorf("%s: warnings %v, want %q", tc.name, r.Warnings, tc.warn)
		}
	}
	if res[0].Result.Model != "[12,13,14,23,34]" {
		t.Errorf("all: model %s", res[0].Result.Model)
	}
	if got := res[3].Result.Lists; len(got) != 3 {
		t.Errorf("no HRW: lists %v", got)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Error(err)
	}
	// Two-list methods need the chosen pair to overlap.
	pairApart := &Table{Lists: []string{"A", "B", "C"}, Cells: map[uint32]int{1: 30, 2: 30, 5: 10, 6: 10}}
	r := Stratify([]Stratum{{"x", pairApart}}, Options{Method: MethodChapman})
	if !r[0].Skipped || !strings.Contains(strings.Join(r[0].Warnings, ";"), "do not overlap") {
		t.Errorf("chapman pair without overlap: %+v", r[0])
	}
	r = Stratify([]Stratum{{"x", tiny}}, Options{Method: MethodChapman, MinRecords: 5})
	if r[0].Result == nil {
		t.Errorf("MinRecords 5: %+v", r[0])
	}
}
