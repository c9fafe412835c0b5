package linkage

// JaroWinkler returns the Jaro–Winkler similarity of a and b in [0,1],
// over bytes: the table comparisons fold their values to lower-case ASCII
// where they can, and for other text a byte is as good a unit as any for
// spotting typos.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := max(lb/2-1, 0)
	// Match flags on the stack for the short values compared in practice.
	var sa, sb [64]bool
	var fa, fb []bool
	if lb <= len(sb) {
		fa, fb = sa[:la], sb[:lb]
	} else {
		fa, fb = make([]bool, la), make([]bool, lb)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !fb[j] && a[i] == b[j] {
				fa[i], fb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	t, j := 0, 0
	for i := 0; i < la; i++ {
		if !fa[i] {
			continue
		}
		for !fb[j] {
			j++
		}
		if a[i] != b[j] {
			t++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(t)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// EditDistance returns the optimal-string-alignment distance of a and b
// (insertions, deletions, substitutions and transpositions of adjacent
// bytes), or limit+1 when it exceeds limit. The bound keeps it linear in
// practice: only a band of width 2·limit+1 is computed.
func EditDistance(a, b string, limit int) int {
	la, lb := len(a), len(b)
	if abs(la-lb) > limit {
		return limit + 1
	}
	if la == 0 || lb == 0 {
		return max(la, lb)
	}
	// Three rows of the dynamic programme; cells outside the band are
	// "too far".
	far := limit + 1
	var stack [3 * 48]int
	var rows []int
	if 3*(lb+1) <= len(stack) {
		rows = stack[:3*(lb+1)]
	} else {
		rows = make([]int, 3*(lb+1))
	}
	prev2, prev, cur := rows[:lb+1], rows[lb+1:2*(lb+1)], rows[2*(lb+1):]
	for j := range prev {
		prev[j] = min(j, far)
	}
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-limit), min(lb, i+limit)
		for j := range cur {
			cur[j] = far
		}
		if lo == 1 {
			cur[0] = min(i, far)
		}
		best := far
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = min(v, far)
			best = min(best, cur[j])
		}
		if best > limit {
			return far
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[lb], far)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
