//go:build linux

package estimate

import (
	"syscall"
	"time"
)

// threadCPUTime returns the calling thread's CPU time (RUSAGE_THREAD):
// a benchmark that locks its goroutine to a thread measures its own work
// only, not the garbage collector's or another test's.
func threadCPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_THREAD, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
