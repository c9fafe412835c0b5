package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The index's own binary form, written by Save and read by Restore. It is
// columnar: a table's values are written field by field, all records'
// lengths before all their values, so that reading allocates one block
// per column instead of one slice per record, and the strings of a column
// are one string the records' strings are cut from.

// colBlock is how many values a column moves through its buffer at a time.
const colBlock = 1 << 14

// encoder writes the binary form. Its first error sticks; the methods
// after it do nothing.
type encoder struct {
	w   *bufio.Writer
	buf []byte
	err error
}

func newEncoder(w io.Writer) *encoder {
	return &encoder{w: bufio.NewWriterSize(w, 1<<20), buf: make([]byte, 0, 8*colBlock)}
}

func (e *encoder) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) uint(v uint64) {
	e.write(binary.AppendUvarint(e.buf[:0], v))
}

// u32 writes n values, four bytes each.
func (e *encoder) u32(n int, get func(i int) uint32) {
	for lo := 0; lo < n && e.err == nil; lo += colBlock {
		b := e.buf[:0]
		for i := lo; i < min(lo+colBlock, n); i++ {
			b = binary.LittleEndian.AppendUint32(b, get(i))
		}
		e.write(b)
	}
}

// u32s writes a slice's values, after its length.
func (e *encoder) u32s(s []uint32) {
	e.uint(uint64(len(s)))
	e.u32(len(s), func(i int) uint32 { return s[i] })
}

// u64 writes n values, eight bytes each.
func (e *encoder) u64(n int, get func(i int) uint64) {
	for lo := 0; lo < n && e.err == nil; lo += colBlock {
		b := e.buf[:0]
		for i := lo; i < min(lo+colBlock, n); i++ {
			b = binary.LittleEndian.AppendUint64(b, get(i))
		}
		e.write(b)
	}
}

// u8 writes n values, a byte each.
func (e *encoder) u8(n int, get func(i int) uint8) {
	for lo := 0; lo < n && e.err == nil; lo += colBlock {
		b := e.buf[:0]
		for i := lo; i < min(lo+colBlock, n); i++ {
			b = append(b, get(i))
		}
		e.write(b)
	}
}

// lengths writes n lengths, then their sum.
func (e *encoder) lengths(n int, length func(i int) int) {
	total := 0
	for lo := 0; lo < n && e.err == nil; lo += colBlock {
		b := e.buf[:0]
		for i := lo; i < min(lo+colBlock, n); i++ {
			l := length(i)
			total += l
			b = binary.AppendUvarint(b, uint64(l))
		}
		e.write(b)
	}
	e.uint(uint64(total))
}

// strs writes n strings: their lengths, then their bytes.
func (e *encoder) strs(n int, get func(i int) string) {
	e.lengths(n, func(i int) int { return len(get(i)) })
	for i := 0; i < n && e.err == nil; i++ {
		if s := get(i); s != "" {
			_, e.err = e.w.WriteString(s)
		}
	}
}

// lists writes n lists of uint32: their lengths, then their values.
func (e *encoder) lists(n int, get func(i int) []uint32) {
	e.lengths(n, func(i int) int { return len(get(i)) })
	for i := 0; i < n && e.err == nil; i++ {
		l := get(i)
		for lo := 0; lo < len(l); lo += colBlock {
			b := e.buf[:0]
			for _, v := range l[lo:min(lo+colBlock, len(l))] {
				b = binary.LittleEndian.AppendUint32(b, v)
			}
			e.write(b)
		}
	}
}

func (e *encoder) flush() error {
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// errFormat is a saved index this version cannot read.
var errFormat = errors.New("search: the saved index is not in a form this version reads")

// decoder reads the binary form. Its first error sticks: the methods after
// it return zero values and call nothing.
type decoder struct {
	r   *bufio.Reader
	in  *readErr
	buf []byte
	err error
	// size bounds every count: each item takes at least a byte of the
	// form, so a form of size bytes holds no more, and a count read from
	// a damaged form cannot ask for more memory than the form could fill.
	size int
}

// newDecoder returns a decoder of a form of at most size bytes.
func newDecoder(r io.Reader, size int) *decoder {
	in := &readErr{r: r}
	return &decoder{r: bufio.NewReaderSize(in, 1<<20), in: in, buf: make([]byte, 8*colBlock), size: size}
}

// readErr keeps the last error of a reader other than its end, so that a
// failed read (a sealed stream altered) is told from a damaged form.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

func (d *decoder) fail(err error) {
	if d.err != nil {
		return
	}
	switch {
	case d.in.err != nil:
		err = d.in.err
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		err = fmt.Errorf("%w: it ends early", errFormat)
	case !errors.Is(err, errFormat):
		err = fmt.Errorf("%w: %v", errFormat, err)
	}
	d.err = err
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.fail(err)
	}
	return v
}

// count reads a number of items, at most limit.
func (d *decoder) count(limit int) int {
	v := d.uint()
	if v > uint64(min(limit, d.size)) {
		d.fail(fmt.Errorf("%w: a count of %d", errFormat, v))
		return 0
	}
	return int(v)
}

// fill reads the next n bytes into d.buf and returns them.
func (d *decoder) fill(n int) []byte {
	if d.err != nil {
		return nil
	}
	b := d.buf[:n]
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.fail(err)
		return nil
	}
	return b
}

// column reads n values of width bytes each, read by conv, into set.
func column[T any](d *decoder, n, width int, conv func([]byte) T, set func(i int, v T)) {
	for lo := 0; lo < n && d.err == nil; lo += colBlock {
		hi := min(lo+colBlock, n)
		b := d.fill(width * (hi - lo))
		for i := lo; i < hi && b != nil; i++ {
			set(i, conv(b[width*(i-lo):]))
		}
	}
}

func (d *decoder) u32(n int, set func(i int, v uint32)) {
	column(d, n, 4, binary.LittleEndian.Uint32, set)
}

// into reads len(dst) values written by encoder.u32 into dst.
func (d *decoder) into(dst []uint32) {
	for lo := 0; lo < len(dst) && d.err == nil; lo += colBlock {
		part := dst[lo:min(lo+colBlock, len(dst))]
		b := d.fill(4 * len(part))
		if b == nil {
			return
		}
		for i := range part {
			part[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
	}
}

// u32s reads a slice written by encoder.u32s, of at most limit values.
func (d *decoder) u32s(limit int) []uint32 {
	s := make([]uint32, d.count(limit))
	d.into(s)
	return s
}

func (d *decoder) u64(n int, set func(i int, v uint64)) {
	column(d, n, 8, binary.LittleEndian.Uint64, set)
}

func (d *decoder) u8(n int, set func(i int, v uint8)) {
	column(d, n, 1, func(b []byte) uint8 { return b[0] }, set)
}

// lengths reads n lengths and their sum, which must equal the total that
// follows them.
func (d *decoder) lengths(n int) ([]int, int) {
	ls := make([]int, n)
	sum := 0
	for i := range ls {
		ls[i] = d.count(1 << 40)
		sum += ls[i]
	}
	if total := d.count(1 << 40); total != sum {
		d.fail(fmt.Errorf("%w: lengths sum to %d, not %d", errFormat, sum, total))
	}
	if d.err != nil {
		return nil, 0
	}
	return ls, sum
}

// strs reads n strings, all cut from one.
func (d *decoder) strs(n int, set func(i int, s string)) {
	ls, total := d.lengths(n)
	if d.err != nil {
		return
	}
	var sb strings.Builder
	sb.Grow(total)
	if _, err := io.CopyN(&sb, d.r, int64(total)); err != nil {
		d.fail(err)
		return
	}
	all, off := sb.String(), 0
	for i, l := range ls {
		set(i, all[off:off+l])
		off += l
	}
}

// lists reads n lists, all cut from one block; each list's capacity is
// its length, so an append copies it out.
func (d *decoder) lists(n int, set func(i int, l []uint32)) {
	ls, total := d.lengths(n)
	if d.err != nil {
		return
	}
	pool := make([]uint32, total)
	d.into(pool)
	if d.err != nil {
		return
	}
	off := 0
	for i, l := range ls {
		if l > 0 {
			set(i, pool[off:off+l:off+l])
		}
		off += l
	}
}
