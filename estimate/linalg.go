package estimate

import "math"

// The little dense linear algebra the estimators need. Matrices are
// row-major []float64 with an explicit dimension.

// cholesky overwrites the lower triangle of the p×p symmetric matrix a with
// L such that a = L·Lᵀ. It reports false when a is not numerically
// positive definite (a pivot is not larger than tol times the largest
// diagonal entry), which for XᵀWX means a rank-deficient design or fitted
// weights that have collapsed to zero.
func cholesky(a []float64, p int) bool {
	maxDiag := 0.0
	for i := range p {
		maxDiag = math.Max(maxDiag, a[i*p+i])
	}
	tol := 1e-13 * maxDiag
	for j := range p {
		d := a[j*p+j]
		rj := a[j*p : j*p+j]
		for _, v := range rj {
			d -= v * v
		}
		if !(d > tol) {
			return false
		}
		d = math.Sqrt(d)
		a[j*p+j] = d
		for i := j + 1; i < p; i++ {
			s := a[i*p+j]
			ri := a[i*p : i*p+j]
			for k, v := range rj {
				s -= ri[k] * v
			}
			a[i*p+j] = s / d
		}
	}
	return true
}

// cholSolve solves L·Lᵀ·x = b in place (b becomes x), with L from cholesky.
func cholSolve(l []float64, p int, b []float64) {
	for i := range p {
		s := b[i]
		for k := range i {
			s -= l[i*p+k] * b[k]
		}
		b[i] = s / l[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < p; k++ {
			s -= l[k*p+i] * b[k]
		}
		b[i] = s / l[i*p+i]
	}
}

// nullSpace returns a basis of {d : A·d = 0} for the r×c matrix a, by
// Gauss–Jordan elimination with partial pivoting. The designs here hold
// only 0s and 1s, so a fixed tolerance separates zero from non-zero.
func nullSpace(a []float64, r, c int) [][]float64 {
	m := make([]float64, len(a))
	copy(m, a)
	pivotCol := make([]int, 0, c)
	row := 0
	for col := 0; col < c && row < r; col++ {
		best, bi := 0.0, -1
		for i := row; i < r; i++ {
			if v := math.Abs(m[i*c+col]); v > best {
				best, bi = v, i
			}
		}
		if best < 1e-9 {
			continue
		}
		if bi != row {
			for k := range c {
				m[row*c+k], m[bi*c+k] = m[bi*c+k], m[row*c+k]
			}
		}
		inv := 1 / m[row*c+col]
		for k := range c {
			m[row*c+k] *= inv
		}
		for i := range r {
			if i == row {
				continue
			}
			f := m[i*c+col]
			if f == 0 {
				continue
			}
			for k := range c {
				m[i*c+k] -= f * m[row*c+k]
			}
		}
		pivotCol = append(pivotCol, col)
		row++
	}
	isPivot := make([]bool, c)
	for _, pc := range pivotCol {
		isPivot[pc] = true
	}
	var basis [][]float64
	for free := range c {
		if isPivot[free] {
			continue
		}
		v := make([]float64, c)
		v[free] = 1
		for i, pc := range pivotCol {
			v[pc] = -m[i*c+free]
		}
		basis = append(basis, v)
	}
	return basis
}

// lpMaxLE maximises cᵀx subject to A·x ≤ b, x ≥ 0, for b ≥ 0 (so x = 0 is
// a feasible start and no phase one is needed), by the tableau simplex
// method with Bland's rule, which cannot cycle on the degenerate vertices
// these feasibility problems are full of. A is m×n row-major. It returns
// the optimal value and x; it reports ok = false if the problem is
// unbounded or the iteration limit is hit.
func lpMaxLE(a []float64, b, c []float64, m, n int) (val float64, x []float64, ok bool) {
	w := n + m + 1 // columns: x, slacks, rhs
	tab := make([]float64, (m+1)*w)
	basis := make([]int, m)
	for i := range m {
		copy(tab[i*w:i*w+n], a[i*n:(i+1)*n])
		tab[i*w+n+i] = 1
		tab[i*w+w-1] = b[i]
		basis[i] = n + i
	}
	obj := tab[m*w:]
	for j := range n {
		obj[j] = -c[j]
	}
	const eps = 1e-10
	for iter := 0; iter < 50*(m+n)+1000; iter++ {
		enter := -1
		for j := range n + m {
			if obj[j] < -eps {
				enter = j // Bland: lowest index with negative reduced cost
				break
			}
		}
		if enter < 0 {
			x = make([]float64, n)
			for i, bv := range basis {
				if bv < n {
					x[bv] = tab[i*w+w-1]
				}
			}
			return obj[w-1], x, true
		}
		leave, best := -1, math.Inf(1)
		for i := range m {
			if v := tab[i*w+enter]; v > eps {
				ratio := tab[i*w+w-1] / v
				if ratio < best-eps || (ratio <= best+eps && leave >= 0 && basis[i] < basis[leave]) {
					best, leave = ratio, i
				}
			}
		}
		if leave < 0 {
			return math.Inf(1), nil, false
		}
		pr := tab[leave*w : (leave+1)*w]
		inv := 1 / pr[enter]
		for k := range pr {
			pr[k] *= inv
		}
		for i := 0; i <= m; i++ {
			if i == leave {
				continue
			}
			ri := tab[i*w : (i+1)*w]
			f := ri[enter]
			if f == 0 {
				continue
			}
			for k := range ri {
				ri[k] -= f * pr[k]
			}
		}
		basis[leave] = enter
	}
	return 0, nil, false
}
