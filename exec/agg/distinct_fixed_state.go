package agg

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// The checkpoint state of distinctFixed. Its (group, value) counts live in
// one table shared by every group, which cannot list one group's values,
// so from the first AppendState or RestoreState on it also keeps byGroup:
// per group the values that arrived (a value is noted at each arrival;
// departed and repeated values are weeded out lazily, when a group's list
// outgrows twice its live values and when the group is written). The
// table is scanned once, when the index is built; after that, writing a
// group costs its own values, and an operator never checkpointed pays one
// nil check per arriving value.

// note records the arrival of key's value in its group (byGroup != nil).
func (d *distinctFixed[K]) note(key K) {
	g := int(key[0])
	if g >= len(d.byGroup) {
		d.byGroup = grow(d.byGroup, max(g+1, 2*len(d.byGroup)))
	}
	l := append(d.byGroup[g], key)
	d.byGroup[g] = l
	if len(l) > 2*int(d.live[g])+8 {
		d.compact(int32(g))
	}
}

// forgetGroup empties group g's list (Reset).
func (d *distinctFixed[K]) forgetGroup(g int32) {
	if int(g) < len(d.byGroup) {
		d.byGroup[g] = d.byGroup[g][:0]
	}
}

// buildIndex lists every group's values from the table.
func (d *distinctFixed[K]) buildIndex() {
	d.byGroup = make([][]K, len(d.live))
	for _, p := range d.counts.slots {
		if p.n > 0 {
			g := p.key[0]
			d.byGroup[g] = append(d.byGroup[g], p.key)
		}
	}
}

// compact leaves in group g's list each of its live values once.
func (d *distinctFixed[K]) compact(g int32) {
	l := d.byGroup[g]
	slices.SortFunc(l, compareKeys[K])
	l = slices.Compact(l)
	kept := l[:0]
	for _, k := range l {
		if d.counts.get(k) > 0 {
			kept = append(kept, k)
		}
	}
	d.byGroup[g] = kept
}

func compareKeys[K distinctKey](a, b K) int {
	for i := 0; i < len(a); i++ {
		switch {
		case a[i] < b[i]:
			return -1
		case a[i] > b[i]:
			return 1
		}
	}
	return 0
}

// get returns k's count (0 when absent).
func (t *pairTable[K]) get(k K) int64 {
	if t.slots == nil {
		return 0
	}
	for i := t.home(k); ; i = (i + 1) & t.mask {
		p := &t.slots[i]
		if p.n == 0 {
			return 0
		}
		if p.key == k {
			return p.n
		}
	}
}

// AppendState appends the inner accumulator's state, then the group's
// distinct values with their counts: BIGINT-like values (one word) as the
// varint of the order-preserving encoding's integer, DECIMALs (two words)
// as a 128-bit integer.
func (d *distinctFixed[K]) AppendState(dst []byte, g int32) []byte {
	dst = d.inner.(State).AppendState(dst, g)
	if d.byGroup == nil {
		d.buildIndex()
	}
	if int(g) >= len(d.byGroup) {
		return append(dst, 0)
	}
	d.compact(g)
	l := d.byGroup[g]
	dst = binary.AppendUvarint(dst, uint64(len(l)))
	for _, k := range l {
		dst = appendPairValue(dst, k)
		dst = binary.AppendUvarint(dst, uint64(d.counts.get(k)))
	}
	return dst
}

// RestoreState restores the inner accumulator's state and the group's
// values (see AppendState).
func (d *distinctFixed[K]) RestoreState(src []byte, g int32) ([]byte, error) {
	rest, err := d.inner.(State).RestoreState(src, g)
	if err != nil {
		return nil, err
	}
	if d.byGroup == nil && d.counts.n == 0 {
		d.byGroup = [][]K{} // the index starts complete: it sees every restored value
	}
	n, rest, err := readLen(rest)
	if err != nil {
		return nil, err
	}
	for range n {
		var k K
		k[0] = uint64(uint32(g))
		if rest, err = readPairValue(rest, &k); err != nil {
			return nil, err
		}
		var c uint64
		if c, rest, err = readUvarint(rest); err != nil {
			return nil, err
		}
		if c == 0 || c > 1<<62 {
			return nil, fmt.Errorf("distinct state: count %d", c)
		}
		if before, _ := d.counts.add(k, int64(c)); before != 0 {
			return nil, fmt.Errorf("distinct state: a value listed twice in group %d", g)
		}
		d.live[g]++
		if d.byGroup != nil {
			d.note(k)
		}
	}
	return rest, nil
}

// appendPairValue appends the value words of k (all but the group id).
func appendPairValue[K distinctKey](dst []byte, k K) []byte {
	if len(k) == 2 {
		return appendOrdered(dst, k[1])
	}
	lo := len(k) - 1 // a variable index: k[2] is out of range for [2]uint64
	return appendI128(dst, int64(k[1]), k[lo])
}

// readPairValue inverts appendPairValue into k's value words.
func readPairValue[K distinctKey](src []byte, k *K) ([]byte, error) {
	kk := *k
	if len(kk) == 2 {
		v, rest, err := readOrdered(src)
		kk[1] = v
		*k = kk
		return rest, err
	}
	hi, lo, rest, err := readI128(src)
	last := len(kk) - 1
	kk[1], kk[last] = uint64(hi), lo
	*k = kk
	return rest, err
}
