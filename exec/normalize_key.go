package exec

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// normKeyEnc encodes the key columns of a whole batch, column by column,
// into one byte arena: per column a null flag, then the value's bytes
// (fixed width; a 4-byte length then the bytes for strings). Equal keys
// have equal encodings, so the encoding keys a Go map directly.
type normKeyEnc struct {
	cols  []int
	kinds []normKind
	ws    []int
	buf   []byte
	offs  []int32 // row r's key is buf[offs[r]:offs[r+1]]
	pos   []int32 // write cursor per row
}

func (e *normKeyEnc) key(r int) []byte { return e.buf[e.offs[r]:e.offs[r+1]] }

// encode encodes the keys of rows [0, n) of in.
func (e *normKeyEnc) encode(in []normIn, n int) {
	e.offs = resizeInt32(e.offs, n+1)
	e.pos = resizeInt32(e.pos, n+1)
	clear(e.pos)
	for k, c := range e.cols {
		e.measure(&in[c], e.kinds[k], e.ws[k], n)
	}
	total := int32(0)
	for r := 0; r < n; r++ {
		e.offs[r] = total
		total += e.pos[r]
		e.pos[r] = e.offs[r]
	}
	e.offs[n] = total
	if cap(e.buf) < int(total) {
		e.buf = make([]byte, total, int(total)+int(total)/4)
	}
	e.buf = e.buf[:total]
	for k, c := range e.cols {
		e.write(&in[c], e.kinds[k], e.ws[k], n)
	}
}

// measure adds each row's encoded length of one column to pos.
func (e *normKeyEnc) measure(a *normIn, kind normKind, w, n int) {
	nulls := a.arr.NullN() > 0
	for r := 0; r < n; r++ {
		l := int32(1)
		if !nulls || a.arr.IsValid(r) {
			switch kind {
			case normFixed:
				l += int32(w)
			case normBool:
				l++
			case normString:
				l += 4 + a.offs[r+1] - a.offs[r]
			}
		}
		e.pos[r] += l
	}
}

// write appends one column's encoding to every row's key.
func (e *normKeyEnc) write(a *normIn, kind normKind, w, n int) {
	nulls := a.arr.NullN() > 0
	buf := e.buf
	for r := 0; r < n; r++ {
		p := e.pos[r]
		if nulls && a.arr.IsNull(r) {
			buf[p] = 0
			e.pos[r] = p + 1
			continue
		}
		buf[p] = 1
		p++
		switch kind {
		case normFixed:
			p += int32(copy(buf[p:], a.vals[(a.off+r)*w:(a.off+r+1)*w]))
		case normBool:
			buf[p] = 0
			if bitutil.BitIsSet(a.vals, a.off+r) {
				buf[p] = 1
			}
			p++
		case normString:
			s := a.str(r)
			binary.LittleEndian.PutUint32(buf[p:], uint32(len(s)))
			p += 4
			p += int32(copy(buf[p:], s))
		}
		e.pos[r] = p
	}
}

func resizeInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, n+n/4)
	}
	return s[:n]
}
