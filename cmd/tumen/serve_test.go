package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer a server writes its log to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serve runs tumen serve until the log says want, then stops it and
// returns the log.
func (c *cli) serve(want string, args ...string) string {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, log syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), c.env, strings.NewReader(""), &out, &log)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(log.String(), want) {
		select {
		case code := <-done:
			cancel()
			c.t.Fatalf("serve ended (exit %d) before %q:\n%s%s", code, want, out.String(), log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			c.t.Fatalf("no %q in the log:\n%s", want, log.String())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		c.t.Fatalf("serve: exit %d\n%s", code, log.String())
	}
	return log.String()
}

// TestServeKeepsIndex: the server saves its search index, sealed, and
// reads it at the next start; the saved index holds no marker in the
// clear (the marker test, with the index in place).
func TestServeKeepsIndex(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	input := c.write("markers.csv", markerCSV())
	c.ok("import", input)
	file := filepath.Join(c.data, "search.index")

	log := c.serve("search index saved")
	if !strings.Contains(log, "search index built") {
		t.Fatalf("first start did not build the index:\n%s", log)
	}
	if st, err := os.Stat(file); err != nil || st.Size() == 0 {
		t.Fatalf("no saved index: %v", err)
	}
	// tumen search reads the saved index, and writes nothing.
	before, _ := os.ReadFile(file)
	code, out, errs := c.run("", "search", "--stats", "QMARKERLATINQ")
	if code != 0 || !strings.Contains(errs, "read from") || !strings.Contains(out, "M1") {
		t.Fatalf("search from the saved index: exit %d\n%s%s", code, out, errs)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Fatal("tumen search changed the saved index")
	}
	log = c.serve("search index read")
	if !strings.Contains(log, "reread=0") || strings.Contains(log, "not used") || !strings.Contains(log, "2 persons") ||
		!strings.Contains(log, "search index unchanged") {
		t.Fatalf("second start:\n%s", log)
	}
	// An import while the server was down: the log does not itemise it,
	// so the index is built again, and saved.
	more := c.write("more.csv", header+"M3,ORG,QMARKERLATINQ 셋,1973,f,,2017,,증언마커문장\n")
	c.ok("import", more)
	log = c.serve("search index saved")
	if !strings.Contains(log, "imported into since") || !strings.Contains(log, "search index built") || !strings.Contains(log, "3 persons") {
		t.Fatalf("after an import:\n%s", log)
	}
	log = c.serve("search index read")
	if !strings.Contains(log, "3 persons") {
		t.Fatalf("after the rebuild was saved:\n%s", log)
	}
	os.Remove(input) // the plaintext the test wrote
	if scan(t, c.dir, more) < 2 {
		t.Fatal("scanned too few files")
	}
	// An altered file is not used: the index is built again.
	b, _ := os.ReadFile(file)
	b[len(b)/2] ^= 1
	os.WriteFile(file, b, 0o600)
	log = c.serve("search index saved")
	if !strings.Contains(log, "saved search index not used") || !strings.Contains(log, "search index built") {
		t.Fatalf("altered file:\n%s", log)
	}
	// With --index none there is no file.
	os.Remove(file)
	c.serve("search index built", "--index", "none")
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("--index none wrote a file")
	}
	for _, l := range strings.Split(log, "\n") {
		for _, m := range markers {
			if strings.Contains(l, m) {
				t.Errorf("marker in the log: %s", l)
			}
		}
	}
}
