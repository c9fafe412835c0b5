//go:build unix

package estimate

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user and system CPU time. Benchmarks
// report it beside the wall time: on a shared machine the wall time of
// a single-threaded run grows with the load, its CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
