package estimate_test

import (
	"fmt"
	"os"
	"strings"

	"tumen/estimate"
)

func ExampleLogLinear() {
	f, err := os.Open("testdata/kosovo.csv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	t, err := estimate.ReadCSV(f)
	if err != nil {
		panic(err)
	}
	r, err := estimate.LogLinear(t, estimate.Options{MaxOrder: 3})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s of %d models by %s: N = %.1f, 95%% interval [%.0f, %.0f]\n",
		r.Model, len(r.Models), r.Criterion, r.Estimate, r.Interval[0], r.Interval[1])
	// Output: [123,14,34] of 113 models by bic: N = 10356.5, 95% interval [8994, 12110]
}

func ExampleChapman() {
	t, _ := estimate.ReadCSV(strings.NewReader("A,B,count\n1,0,80\n0,1,60\n1,1,20\n"))
	r, _ := estimate.Chapman(t)
	fmt.Printf("N = %.1f [%.0f, %.0f]\n", r.Estimate, r.Interval[0], r.Interval[1])
	// Output: N = 388.6 [294, 550]
}

func ExampleSuppress() {
	cells := [][]int{{3, 20, 9}, {30, 40, 12}, {8, 50, 60}}
	mask, _ := estimate.Suppress(cells, 5)
	for i, row := range cells {
		for j, v := range row {
			if mask[i][j] {
				fmt.Print("   *")
			} else {
				fmt.Printf("%4d", v)
			}
		}
		fmt.Println()
	}
	// Output:
	//    *  20   *
	//   30  40  12
	//    *  50   *
}
