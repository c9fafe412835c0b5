package estimate

import (
	"errors"
	"fmt"
	"math"
)

// z975 is the 97.5% standard normal quantile, for 95% intervals.
const z975 = 1.959963984540054

// twoListCounts returns n1, n2 (list totals) and m (on both lists).
func twoListCounts(t *Table) (n1, n2, m int, err error) {
	if err := t.Validate(); err != nil {
		return 0, 0, 0, err
	}
	if t.J() != 2 {
		return 0, 0, 0, fmt.Errorf("estimate: two-list estimator needs exactly 2 lists, have %d (collapse to a pair first)", t.J())
	}
	m = t.Count(3)
	return t.Count(1) + m, t.Count(2) + m, m, nil
}

// LincolnPetersen returns the Lincoln–Petersen estimate N = n1·n2/m for
// two lists, with the usual large-sample variance
// n1·n2·(n1−m)·(n2−m)/m³ (Seber 1982) and a normal 95% interval,
// its lower end clipped at the number observed. It fails when the lists
// do not overlap (m = 0), where the estimate is infinite. Prefer Chapman:
// Lincoln–Petersen is biased upwards for small m.
func LincolnPetersen(t *Table) (Result, error) {
	n1, n2, m, err := twoListCounts(t)
	if err != nil {
		return Result{}, err
	}
	if m == 0 {
		return Result{}, errors.New("estimate: the two lists do not overlap (m = 0): no Lincoln–Petersen estimate")
	}
	a, b, mm := float64(n1), float64(n2), float64(m)
	n := n1 + n2 - m
	est := a * b / mm
	se := math.Sqrt(a * b * (a - mm) * (b - mm) / (mm * mm * mm))
	r := Result{
		Method:         MethodLincolnPetersen,
		Lists:          t.Lists,
		Observed:       n,
		Estimate:       est,
		SE:             se,
		Interval:       Interval{math.Max(float64(n), est-z975*se), est + z975*se},
		IntervalMethod: "normal (Wald), lower end clipped at observed",
	}
	r.Warnings = twoListWarnings(m)
	return r, nil
}

// Chapman returns Chapman's (1951) nearly unbiased two-list estimate
// N = (n1+1)(n2+1)/(m+1) − 1, with Seber's (1970) variance
// (n1+1)(n2+1)(n1−m)(n2−m) / ((m+1)²(m+2)), and Chao's (1987) log-normal
// 95% interval: with f0 = N − n the estimated number unseen and
// C = exp(1.96·sqrt(ln(1 + var/f0²))), the interval is [n + f0/C, n + f0·C].
// The log-normal interval is used because N − n is positive and skewed: a
// normal interval can fall below the number already observed.
//
// The estimator assumes the two lists are independent and capture is
// homogeneous; positive dependence (one list built from the other, or
// people easy to find for both) biases it downwards.
func Chapman(t *Table) (Result, error) {
	n1, n2, m, err := twoListCounts(t)
	if err != nil {
		return Result{}, err
	}
	a, b, mm := float64(n1), float64(n2), float64(m)
	n := n1 + n2 - m
	if n == 0 {
		return Result{}, errors.New("estimate: no records")
	}
	est := (a+1)*(b+1)/(mm+1) - 1
	v := (a + 1) * (b + 1) * (a - mm) * (b - mm) / ((mm + 1) * (mm + 1) * (mm + 2))
	// f0 = (n1−m)(n2−m)/(m+1) exactly; computed so to avoid cancellation.
	f0 := (a - mm) * (b - mm) / (mm + 1)
	iv := Interval{float64(n), float64(n)}
	if f0 > 0 {
		c := math.Exp(z975 * math.Sqrt(math.Log(1+v/(f0*f0))))
		iv = Interval{float64(n) + f0/c, float64(n) + f0*c}
	}
	r := Result{
		Method:         MethodChapman,
		Lists:          t.Lists,
		Observed:       n,
		Estimate:       est,
		SE:             math.Sqrt(v),
		Interval:       iv,
		IntervalMethod: "log-normal (Chao 1987) with Seber's variance",
	}
	r.Warnings = twoListWarnings(m)
	return r, nil
}

func twoListWarnings(m int) []string {
	switch {
	case m == 0:
		return []string{"the two lists do not overlap: the estimate only reflects the +1 corrections and means nothing"}
	case m < 7:
		// Chapman's estimator is usually taken as nearly unbiased once
		// m ≥ 7 (Robson & Regier 1964, as cited by Seber 1982).
		return []string{fmt.Sprintf("only %d people on both lists: the estimate is unstable (Seber recommends m ≥ 7)", m)}
	}
	return nil
}
