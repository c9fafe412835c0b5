package crypt

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

func sealed(t testing.TB, k *Keyring, purpose string, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := k.SealStream(&buf, purpose)
	if err != nil {
		t.Fatal(err)
	}
	// Written in uneven pieces, as an encoder would.
	for p := plain; len(p) > 0; {
		n := min(len(p), 1+len(p)%70001)
		if _, err := w.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func opened(k *Keyring, purpose string, ct []byte) ([]byte, error) {
	r, err := k.OpenStream(bytes.NewReader(ct), purpose)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func TestStreamRoundTrip(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, StreamChunk - 1, StreamChunk, StreamChunk + 1, 3*StreamChunk + 12345} {
		plain := make([]byte, n)
		for i := range plain {
			plain[i] = byte(rng.Uint32())
		}
		ct := sealed(t, k, "test", plain)
		got, err := opened(k, "test", ct)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%d bytes: got %d bytes back, err %v", n, len(got), err)
		}
	}
}

// TestStreamHidesPlaintext: a marker written into the stream is nowhere in
// what reaches the disk, and two sealings of the same bytes differ.
func TestStreamHidesPlaintext(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	plain := bytes.Repeat([]byte("MARKER-김영희-"), 200000)
	a, b := sealed(t, k, "test", plain), sealed(t, k, "test", plain)
	if bytes.Contains(a, []byte("MARKER")) || bytes.Contains(a, []byte("김영희")) {
		t.Fatal("plaintext in the sealed stream")
	}
	if bytes.Equal(a, b) {
		t.Fatal("two sealings of the same stream are equal")
	}
}

func TestStreamRejects(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	plain := bytes.Repeat([]byte("abcdefgh"), StreamChunk/8*3+100) // four chunks
	ct := sealed(t, k, "index", plain)
	chunk := 5 + StreamChunk + 16
	head := len(streamMagic) + streamSalt
	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[i] ^= 1
		return c
	}
	swap := bytes.Clone(ct)
	copy(swap[head:], ct[head+chunk:head+2*chunk])
	copy(swap[head+chunk:], ct[head:head+chunk])
	for name, c := range map[string]struct {
		ct      []byte
		key     *Keyring
		purpose string
	}{
		"wrong key":               {ct, mustKeyring(t), "index"},
		"wrong purpose":           {ct, k, "other"},
		"bad magic":               {flip(0), k, "index"},
		"altered salt":            {flip(len(streamMagic)), k, "index"},
		"altered first chunk":     {flip(head + 100), k, "index"},
		"altered third chunk":     {flip(head + 2*chunk + 100), k, "index"},
		"altered final flag":      {flip(head + 3*chunk), k, "index"},
		"altered length":          {flip(head + 3*chunk + 4), k, "index"},
		"chunks swapped":          {swap, k, "index"},
		"cut after a chunk":       {ct[:head+2*chunk], k, "index"},
		"cut inside a chunk":      {ct[:head+2*chunk+77], k, "index"},
		"last chunk dropped":      {append(bytes.Clone(ct[:head+2*chunk]), ct[head+3*chunk:]...), k, "index"},
		"bytes after the end":     {append(bytes.Clone(ct), 0), k, "index"},
		"empty":                   {nil, k, "index"},
		"header only":             {ct[:head], k, "index"},
		"header cut short":        {ct[:head-1], k, "index"},
		"final flag out of range": {func() []byte { c := bytes.Clone(ct); c[head] = 7; return c }(), k, "index"},
	} {
		got, err := opened(c.key, c.purpose, c.ct)
		if !errors.Is(err, ErrStream) {
			t.Errorf("%s: got %d bytes, err %v, want ErrStream", name, len(got), err)
		}
	}
}

// TestStreamReaderClose: a reader closed early stops its goroutine and
// does not hang.
func TestStreamReaderClose(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	ct := sealed(t, k, "x", make([]byte, 20*StreamChunk))
	r, err := k.OpenStream(bytes.NewReader(ct), "x")
	if err != nil {
		t.Fatal(err)
	}
	var b [10]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		t.Fatal(err)
	}
	r.Close()
}

func BenchmarkStream(b *testing.B) {
	k, _ := NewKeyring(NewDataKey())
	plain := make([]byte, 64*StreamChunk)
	b.SetBytes(int64(len(plain)))
	b.Run("seal", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			w, _ := k.SealStream(io.Discard, "bench")
			w.Write(plain)
			w.Close()
		}
	})
	ct := sealed(b, k, "bench", plain)
	b.Run("open", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			r, _ := k.OpenStream(bytes.NewReader(ct), "bench")
			io.Copy(io.Discard, r)
			r.Close()
		}
	})
}
