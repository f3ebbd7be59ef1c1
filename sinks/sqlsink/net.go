package sqlsink

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/agg"
)

// RowRef names one row of an epoch's batches.
type RowRef struct{ Batch, Row int32 }

// Changes are one epoch's changes netted per key: per distinct key only
// its last change counts, an upsert when it is +I/+U, a delete by key when
// it is -U/-D. Upserts and Deletes are thus disjoint by key. A keyless
// (append-only) sink has every row in Upserts, to be inserted as is.
type Changes struct {
	Batches []exec.Batch
	Upserts []RowRef // rows to insert, or to replace by key
	Deletes []RowRef // rows whose key to delete
	// ReplaceAll is set for a sink whose key is empty (at most one row,
	// e.g. a global aggregate) that changed: every row of the table is
	// deleted before Upserts (at most one row) is inserted.
	ReplaceAll bool
}

// Empty reports whether there is nothing to write.
func (c *Changes) Empty() bool { return len(c.Upserts) == 0 && len(c.Deletes) == 0 && !c.ReplaceAll }

// Netter nets epochs of a sink's changelog by its key. Its buffers are
// reused: the Changes of one Net are valid until the next.
type Netter struct {
	key   []int // nil: keyless, append-only input
	enc   *agg.KeyEncoder
	cols  []arrow.Array
	index map[string]int32 // encoded key -> position in last
	last  []RowRef         // per distinct key, its last change
	ch    Changes
}

// NewNetter returns a netter of rows of the given column types keyed by
// key (column indexes; nil for a keyless append-only sink, empty for a
// sink of at most one row).
func NewNetter(types []catalog.Type, key []int) (*Netter, error) {
	n := &Netter{key: key}
	if key == nil {
		return n, nil
	}
	kt := make([]catalog.Type, len(key))
	for j, k := range key {
		if k < 0 || k >= len(types) {
			return nil, fmt.Errorf("key column %d out of range", k)
		}
		kt[j] = types[k]
	}
	enc, err := agg.NewKeyEncoder(kt)
	if err != nil {
		return nil, err
	}
	n.enc, n.cols, n.index = enc, make([]arrow.Array, len(key)), map[string]int32{}
	return n, nil
}

// Net nets batches (in order) into Changes referring to them.
func (n *Netter) Net(batches []exec.Batch) (*Changes, error) {
	ch := &n.ch
	ch.Batches, ch.Upserts, ch.Deletes, ch.ReplaceAll = batches, ch.Upserts[:0], ch.Deletes[:0], false
	if n.key == nil {
		for bi, b := range batches {
			rows := b.NumRows()
			for i := range rows {
				if op := b.Op(i); op != exec.Insert {
					return nil, fmt.Errorf("a sink without a key received a %s row: only append-only input can be inserted without a key", op)
				}
				ch.Upserts = append(ch.Upserts, RowRef{int32(bi), int32(i)})
			}
		}
		return ch, nil
	}
	clear(n.index)
	n.last = n.last[:0]
	for bi, b := range batches {
		rows := b.NumRows()
		if rows == 0 {
			continue
		}
		for j, k := range n.key {
			n.cols[j] = b.Rec.Column(k)
		}
		n.enc.Encode(n.cols, rows)
		for i := range rows {
			k := n.enc.Key(i)
			if s, ok := n.index[string(k)]; ok {
				n.last[s] = RowRef{int32(bi), int32(i)}
				continue
			}
			n.index[string(k)] = int32(len(n.last))
			n.last = append(n.last, RowRef{int32(bi), int32(i)})
		}
	}
	clear(n.cols)
	for _, r := range n.last {
		if batches[r.Batch].Op(int(r.Row)).IsRetraction() {
			ch.Deletes = append(ch.Deletes, r)
		} else {
			ch.Upserts = append(ch.Upserts, r)
		}
	}
	if len(n.key) == 0 && len(n.last) > 0 {
		ch.ReplaceAll, ch.Deletes = true, ch.Deletes[:0]
	}
	return ch, nil
}
