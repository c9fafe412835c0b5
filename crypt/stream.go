package crypt

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A sealed stream is a large value written once and read whole, such as a
// snapshot of the search index: too big to seal as one value, so it is
// cut into chunks, each sealed with AES-256-GCM under a key of its own
// drawn for the stream. The layout:
//
//	"tumen-stream\x00\x01" · salt (32 bytes) · chunks
//	chunk: final (1 byte, 0 or 1) · length of ciphertext (4 bytes, big-endian) · ciphertext
//
// The stream's key is derived from the keyring's stream key, the salt and
// the stream's purpose; a chunk's nonce is its number, and its additional
// data its number, final flag and length, so chunks cannot be reordered,
// dropped, repeated or moved to another stream, and a stream cut short
// (no final chunk) fails to open. AES-GCM rather than XChaCha20-Poly1305
// because a snapshot is gigabytes and AES runs in hardware; the per-stream
// key makes counter nonces safe.
const (
	streamMagic = "tumen-stream\x00\x01"
	streamSalt  = 32
	// StreamChunk is the plaintext size of every chunk but the last.
	StreamChunk = 1 << 20
)

// ErrStream is returned when a sealed stream does not open: a wrong key or
// purpose, or a stream altered, reordered or cut short.
var ErrStream = errors.New("crypt: sealed stream does not open: wrong key, or altered or truncated data")

func (k *Keyring) streamAEAD(salt []byte, purpose string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, k.streamKey[:], salt, "tumen/v1/stream\x00"+purpose, KeySize)
	if err != nil {
		return nil, fmt.Errorf("crypt: derive key: %w", err)
	}
	defer clear(key)
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func chunkAD(buf *[13]byte, n uint64, final bool, length uint32) []byte {
	binary.BigEndian.PutUint64(buf[:8], n)
	buf[8] = 0
	if final {
		buf[8] = 1
	}
	binary.BigEndian.PutUint32(buf[9:], length)
	return buf[:]
}

func chunkNonce(buf *[12]byte, n uint64) []byte {
	binary.BigEndian.PutUint64(buf[4:], n)
	return buf[:]
}

// StreamWriter seals what is written to it, a chunk at a time. Close
// writes the final chunk; a stream not closed does not open.
type StreamWriter struct {
	w     io.Writer
	aead  cipher.AEAD
	buf   []byte // plaintext of the chunk being filled
	out   []byte
	n     uint64
	err   error
	ended bool
}

// SealStream returns a writer that seals a stream for purpose (which a
// reader must name too) onto w.
func (k *Keyring) SealStream(w io.Writer, purpose string) (*StreamWriter, error) {
	salt := make([]byte, streamSalt)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	aead, err := k.streamAEAD(salt, purpose)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, streamMagic); err != nil {
		return nil, err
	}
	if _, err := w.Write(salt); err != nil {
		return nil, err
	}
	return &StreamWriter{w: w, aead: aead, buf: make([]byte, 0, StreamChunk)}, nil
}

// Write seals p, in chunks as they fill.
func (s *StreamWriter) Write(p []byte) (int, error) {
	if s.ended {
		return 0, errors.New("crypt: write to a closed stream")
	}
	n := 0
	for len(p) > 0 && s.err == nil {
		m := copy(s.buf[len(s.buf):cap(s.buf)], p)
		s.buf = s.buf[:len(s.buf)+m]
		p, n = p[m:], n+m
		if len(s.buf) == cap(s.buf) && len(p) > 0 {
			s.flush(false)
		}
	}
	return n, s.err
}

func (s *StreamWriter) flush(final bool) {
	var adb [13]byte
	var nb [12]byte
	length := uint32(len(s.buf) + s.aead.Overhead())
	s.out = append(s.out[:0], 0, 0, 0, 0, 0)
	if final {
		s.out[0] = 1
	}
	binary.BigEndian.PutUint32(s.out[1:], length)
	s.out = s.aead.Seal(s.out, chunkNonce(&nb, s.n), s.buf, chunkAD(&adb, s.n, final, length))
	_, s.err = s.w.Write(s.out)
	s.n++
	s.buf = s.buf[:0]
}

// Close seals the last chunk. It does not close the underlying writer.
func (s *StreamWriter) Close() error {
	if s.ended {
		return s.err
	}
	if s.err == nil {
		s.flush(true)
	}
	s.ended = true
	clear(s.buf[:cap(s.buf)])
	return s.err
}

// StreamReader opens a sealed stream. Chunks are read and opened ahead,
// in a goroutine of their own, while the reader's caller works on the
// last; Close stops it. Nothing is returned from a chunk before it is
// authenticated, and the end of the stream is reported only after its
// final chunk.
type StreamReader struct {
	chunks chan chunk
	stop   chan struct{}
	cur    []byte
	off    int
	err    error
	free   chan []byte
}

type chunk struct {
	b   []byte
	err error // io.EOF after the final chunk
}

// OpenStream returns a reader of a stream sealed for purpose, read from r.
// A wrong key, purpose or header fails at once with ErrStream; an altered
// or truncated chunk fails the Read that reaches it.
func (k *Keyring) OpenStream(r io.Reader, purpose string) (*StreamReader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head := make([]byte, len(streamMagic)+streamSalt)
	if _, err := io.ReadFull(br, head); err != nil || string(head[:len(streamMagic)]) != streamMagic {
		return nil, ErrStream
	}
	aead, err := k.streamAEAD(head[len(streamMagic):], purpose)
	if err != nil {
		return nil, err
	}
	s := &StreamReader{chunks: make(chan chunk, 4), stop: make(chan struct{}), free: make(chan []byte, 6)}
	go s.run(br, aead)
	// The first chunk tells a wrong key or purpose from a good stream.
	c := <-s.chunks
	if c.err != nil && c.err != io.EOF {
		s.Close()
		return nil, c.err
	}
	s.cur, s.err = c.b, c.err
	return s, nil
}

func (s *StreamReader) run(br *bufio.Reader, aead cipher.AEAD) {
	var hdr [5]byte
	var adb [13]byte
	var nb [12]byte
	send := func(c chunk) bool {
		select {
		case s.chunks <- c:
			return true
		case <-s.stop:
			return false
		}
	}
	for n := uint64(0); ; n++ {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			send(chunk{err: ErrStream})
			return
		}
		final := hdr[0] == 1
		length := binary.BigEndian.Uint32(hdr[1:])
		if hdr[0] > 1 || length < uint32(aead.Overhead()) || length > StreamChunk+uint32(aead.Overhead()) {
			send(chunk{err: ErrStream})
			return
		}
		var ct []byte
		select {
		case ct = <-s.free:
		default:
			ct = make([]byte, StreamChunk+aead.Overhead())
		}
		ct = ct[:length]
		if _, err := io.ReadFull(br, ct); err != nil {
			send(chunk{err: ErrStream})
			return
		}
		pt, err := aead.Open(ct[:0], chunkNonce(&nb, n), ct, chunkAD(&adb, n, final, length))
		if err != nil {
			send(chunk{err: ErrStream})
			return
		}
		if !send(chunk{b: pt}) {
			return
		}
		if final {
			if _, err := br.ReadByte(); err != io.EOF {
				send(chunk{err: ErrStream}) // bytes after the final chunk
				return
			}
			send(chunk{err: io.EOF})
			return
		}
	}
}

// Read reads opened bytes of the stream.
func (s *StreamReader) Read(p []byte) (int, error) {
	for s.off == len(s.cur) {
		if s.err != nil {
			return 0, s.err
		}
		if s.cur != nil {
			select {
			case s.free <- s.cur[:cap(s.cur)]:
			default:
			}
		}
		c, ok := <-s.chunks
		if !ok {
			return 0, ErrStream
		}
		s.cur, s.off, s.err = c.b, 0, c.err
	}
	n := copy(p, s.cur[s.off:])
	s.off += n
	return n, nil
}

// Close stops reading ahead. It does not close the underlying reader.
func (s *StreamReader) Close() error {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	return nil
}
