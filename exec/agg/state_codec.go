package agg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// State is the checkpoint codec of an accumulator: every Acc New returns
// implements it. The encoding of a group is compact (varints, an integer
// of 128 bits as two varints that are one byte each for small values) and
// unversioned: the operator writing it versions the value it is part of.
type State interface {
	// AppendState appends group g's state to dst.
	AppendState(dst []byte, g int32) []byte
	// RestoreState sets the state of group g, which must be empty (fresh
	// from Grow or Reset), from the head of src and returns the rest.
	RestoreState(src []byte, g int32) ([]byte, error)
}

var (
	_ State = (*count)(nil)
	_ State = (*sumInt)(nil)
	_ State = (*sumDecimal)(nil)
	_ State = (*sumDouble)(nil)
	_ State = (*avgInt)(nil)
	_ State = (*avgDouble)(nil)
	_ State = (*avgDecimal)(nil)
	_ State = (*minMax)(nil)
	_ State = (*minMaxFixed)(nil)
	_ State = (*minMaxDecimal)(nil)
	_ State = (*distinct)(nil)
	_ State = (*distinctFixed[[2]uint64])(nil)
	_ State = (*distinctFixed[[3]uint64])(nil)
)

// errTruncated reports a state value that ends too early.
var errTruncated = errors.New("aggregate state truncated")

// readVarint reads a signed varint from the head of src.
func readVarint(src []byte) (int64, []byte, error) {
	v, n := binary.Varint(src)
	if n <= 0 {
		return 0, nil, errTruncated
	}
	return v, src[n:], nil
}

// readUvarint reads an unsigned varint from the head of src.
func readUvarint(src []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(src)
	if n <= 0 {
		return 0, nil, errTruncated
	}
	return v, src[n:], nil
}

// readLen reads a length or element count, bounded by what src could
// still hold (each element takes at least one byte), so that a corrupt
// value cannot make the reader allocate without bound.
func readLen(src []byte) (int, []byte, error) {
	v, rest, err := readUvarint(src)
	if err != nil {
		return 0, nil, err
	}
	if v > uint64(len(rest)) {
		return 0, nil, fmt.Errorf("aggregate state: length %d beyond the %d bytes left", v, len(rest))
	}
	return int(v), rest, nil
}

// readBytes reads a length-prefixed byte string (not copied).
func readBytes(src []byte) ([]byte, []byte, error) {
	n, rest, err := readLen(src)
	if err != nil {
		return nil, nil, err
	}
	return rest[:n], rest[n:], nil
}

// appendI128 appends the 128-bit integer hi:lo as varint(lo as int64)
// then varint(hi minus lo's sign extension): two bytes for small values.
func appendI128(dst []byte, hi int64, lo uint64) []byte {
	dst = binary.AppendVarint(dst, int64(lo))
	return binary.AppendVarint(dst, hi-(int64(lo)>>63))
}

// readI128 inverts appendI128.
func readI128(src []byte) (hi int64, lo uint64, rest []byte, err error) {
	l, rest, err := readVarint(src)
	if err != nil {
		return 0, 0, nil, err
	}
	h, rest, err := readVarint(rest)
	if err != nil {
		return 0, 0, nil, err
	}
	return h + (l >> 63), uint64(l), rest, nil
}

// appendOrdered appends an order-preserving uint64 (an integer with its
// sign bit flipped) as the varint of the integer: small for small values.
func appendOrdered(dst []byte, v uint64) []byte { return binary.AppendVarint(dst, int64(v^signBit)) }

func readOrdered(src []byte) (uint64, []byte, error) {
	v, rest, err := readVarint(src)
	return uint64(v) ^ signBit, rest, err
}

func readFloat(src []byte) (float64, []byte, error) {
	if len(src) < 8 {
		return 0, nil, errTruncated
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(src)), src[8:], nil
}

// count: the count.

func (c *count) AppendState(dst []byte, g int32) []byte { return binary.AppendVarint(dst, c.n[g]) }

func (c *count) RestoreState(src []byte, g int32) ([]byte, error) {
	v, rest, err := readVarint(src)
	c.n[g] = v
	return rest, err
}

// sumInt (and avgInt): the 128-bit sum, then the count of values.

func (a *sumInt) AppendState(dst []byte, g int32) []byte {
	dst = appendI128(dst, a.hi[g], a.lo[g])
	return binary.AppendVarint(dst, a.nn[g])
}

func (a *sumInt) RestoreState(src []byte, g int32) ([]byte, error) {
	hi, lo, rest, err := readI128(src)
	if err != nil {
		return nil, err
	}
	a.hi[g], a.lo[g] = hi, lo
	a.nn[g], rest, err = readVarint(rest)
	return rest, err
}

// sumDecimal (and avgDecimal): the unscaled sum, then the count.

func (a *sumDecimal) AppendState(dst []byte, g int32) []byte {
	dst = appendI128(dst, a.sum[g].HighBits(), a.sum[g].LowBits())
	return binary.AppendVarint(dst, a.nn[g])
}

func (a *sumDecimal) RestoreState(src []byte, g int32) ([]byte, error) {
	hi, lo, rest, err := readI128(src)
	if err != nil {
		return nil, err
	}
	a.sum[g] = decimal128.New(hi, lo)
	a.nn[g], rest, err = readVarint(rest)
	return rest, err
}

// sumDouble (and avgDouble): the count, then the sum and its compensation
// bit for bit (8 bytes each) when there are values.

func (a *sumDouble) AppendState(dst []byte, g int32) []byte {
	dst = binary.AppendVarint(dst, a.nn[g])
	if a.nn[g] == 0 && a.sum[g] == 0 && a.comp[g] == 0 {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(a.sum[g]))
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(a.comp[g]))
}

func (a *sumDouble) RestoreState(src []byte, g int32) ([]byte, error) {
	nn, rest, err := readVarint(src)
	if err != nil {
		return nil, err
	}
	a.nn[g] = nn
	if len(rest) == 0 {
		return nil, errTruncated
	}
	has := rest[0]
	rest = rest[1:]
	if has == 0 {
		return rest, nil
	}
	if a.sum[g], rest, err = readFloat(rest); err != nil {
		return nil, err
	}
	a.comp[g], rest, err = readFloat(rest)
	return rest, err
}

// minMax: the multiset's distinct values (length-prefixed encodings) with
// their counts.

func (a *minMax) AppendState(dst []byte, g int32) []byte {
	m := a.sets[g]
	if m == nil {
		return append(dst, 0)
	}
	dst = binary.AppendUvarint(dst, uint64(len(m.counts)))
	for k, c := range m.counts {
		dst = binary.AppendUvarint(dst, uint64(len(k)))
		dst = append(dst, k...)
		dst = binary.AppendUvarint(dst, uint64(c))
	}
	return dst
}

func (a *minMax) RestoreState(src []byte, g int32) ([]byte, error) {
	n, rest, err := readLen(src)
	if err != nil || n == 0 {
		return rest, err
	}
	m := newMultiset(a.max)
	for range n {
		var k []byte
		var c uint64
		if k, rest, err = readBytes(rest); err != nil {
			return nil, err
		}
		if c, rest, err = readUvarint(rest); err != nil {
			return nil, err
		}
		m.counts[string(k)] = int64(c)
	}
	m.rebuild()
	a.sets[g] = m
	return rest, nil
}

// mmFlags are the leading byte of a MIN/MAX group: its cached extreme is
// current, and it has a set of values.
const (
	mmOK  = 1
	mmSet = 2
)

// appendMMFlags appends a min/max group's flags: mmOK when its cached
// extreme is current, mmSet when it keeps the set of its values.
func appendMMFlags(dst []byte, ok, hasSet bool) []byte {
	flags := byte(0)
	if ok {
		flags |= mmOK
	}
	if hasSet {
		flags |= mmSet
	}
	return append(dst, flags)
}

// minMaxFixed: flags, the cached extreme when current, then the set's
// distinct values with their counts.

func (a *minMaxFixed) AppendState(dst []byte, g int32) []byte {
	p := &a.groups[g]
	dst = appendMMFlags(dst, p.ok, p.set != nil)
	if p.ok {
		dst = appendOrdered(dst, p.ext)
	}
	if p.set != nil {
		dst = p.set.appendState(dst)
	}
	return dst
}

func (a *minMaxFixed) RestoreState(src []byte, g int32) ([]byte, error) {
	if len(src) == 0 {
		return nil, errTruncated
	}
	flags, rest := src[0], src[1:]
	p := &a.groups[g]
	var err error
	if flags&mmOK != 0 {
		if p.ext, rest, err = readOrdered(rest); err != nil {
			return nil, err
		}
		p.ok = true
	}
	if flags&mmSet != 0 {
		p.set = &fixedSet{}
		return p.set.restoreState(rest)
	}
	return rest, nil
}

// appendState appends the distinct values with their counts.
func (m *fixedSet) appendState(dst []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(m.size()))
	if m.counts == nil {
		for _, c := range m.small {
			dst = appendOrdered(dst, c.v)
			dst = binary.AppendUvarint(dst, uint64(c.n))
		}
		return dst
	}
	for v, n := range m.counts {
		dst = appendOrdered(dst, v)
		dst = binary.AppendUvarint(dst, uint64(n))
	}
	return dst
}

// restoreState fills an empty set from appendState's encoding.
func (m *fixedSet) restoreState(src []byte) ([]byte, error) {
	n, rest, err := readLen(src)
	if err != nil {
		return nil, err
	}
	vals := make([]counted, n)
	for i := range vals {
		if vals[i].v, rest, err = readOrdered(rest); err != nil {
			return nil, err
		}
		var c uint64
		if c, rest, err = readUvarint(rest); err != nil {
			return nil, err
		}
		vals[i].n = int64(c)
	}
	slices.SortFunc(vals, func(a, b counted) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	m.small = vals
	if n > smallSet {
		m.grow()
	}
	return rest, nil
}

// minMaxDecimal: flags, the cached extreme when current, then the set's
// distinct values with their counts; values as the decimals themselves.

func (a *minMaxDecimal) AppendState(dst []byte, g int32) []byte {
	p := &a.groups[g]
	dst = appendMMFlags(dst, p.ok, p.set != nil)
	if p.ok {
		dst = a.appendU128(dst, p.ext)
	}
	if p.set != nil {
		dst = binary.AppendUvarint(dst, uint64(p.set.size()))
		if p.set.counts == nil {
			for _, c := range p.set.small {
				dst = a.appendU128(dst, c.v)
				dst = binary.AppendUvarint(dst, uint64(c.n))
			}
		} else {
			for v, n := range p.set.counts {
				dst = a.appendU128(dst, v)
				dst = binary.AppendUvarint(dst, uint64(n))
			}
		}
	}
	return dst
}

// appendU128 appends the decimal a (complemented for MAX) encodes.
func (a *minMaxDecimal) appendU128(dst []byte, v u128) []byte {
	if a.max {
		v = v.not()
	}
	return appendI128(dst, int64(v.hi^signBit), v.lo)
}

func (a *minMaxDecimal) readU128(src []byte) (u128, []byte, error) {
	hi, lo, rest, err := readI128(src)
	v := u128{uint64(hi) ^ signBit, lo}
	if a.max {
		v = v.not()
	}
	return v, rest, err
}

func (a *minMaxDecimal) RestoreState(src []byte, g int32) ([]byte, error) {
	if len(src) == 0 {
		return nil, errTruncated
	}
	flags, rest := src[0], src[1:]
	p := &a.groups[g]
	var err error
	if flags&mmOK != 0 {
		if p.ext, rest, err = a.readU128(rest); err != nil {
			return nil, err
		}
		p.ok = true
	}
	if flags&mmSet == 0 {
		return rest, nil
	}
	n, rest, err := readLen(rest)
	if err != nil {
		return nil, err
	}
	vals := make([]counted128, n)
	for i := range vals {
		if vals[i].v, rest, err = a.readU128(rest); err != nil {
			return nil, err
		}
		var c uint64
		if c, rest, err = readUvarint(rest); err != nil {
			return nil, err
		}
		vals[i].n = int64(c)
	}
	slices.SortFunc(vals, func(x, y counted128) int {
		switch {
		case x.v.less(y.v):
			return -1
		case y.v.less(x.v):
			return 1
		}
		return 0
	})
	p.set = &set128{small: vals}
	if n > smallSet {
		p.set.grow()
	}
	return rest, nil
}

// distinct: the inner accumulator's state, then the group's distinct
// values (length-prefixed encodings) with their counts.

func (d *distinct) AppendState(dst []byte, g int32) []byte {
	dst = d.inner.(State).AppendState(dst, g)
	m := d.sets[g]
	dst = binary.AppendUvarint(dst, uint64(len(m)))
	for k, c := range m {
		dst = binary.AppendUvarint(dst, uint64(len(k)))
		dst = append(dst, k...)
		dst = binary.AppendUvarint(dst, uint64(c))
	}
	return dst
}

func (d *distinct) RestoreState(src []byte, g int32) ([]byte, error) {
	rest, err := d.inner.(State).RestoreState(src, g)
	if err != nil {
		return nil, err
	}
	n, rest, err := readLen(rest)
	if err != nil || n == 0 {
		return rest, err
	}
	m := make(map[string]int64, n)
	for range n {
		var k []byte
		var c uint64
		if k, rest, err = readBytes(rest); err != nil {
			return nil, err
		}
		if c, rest, err = readUvarint(rest); err != nil {
			return nil, err
		}
		m[string(k)] = int64(c)
	}
	d.sets[g] = m
	return rest, nil
}
