package kafka

import (
	"bytes"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// debeziumEncoder is format 'debezium-json': the changelog as Debezium
// envelopes {"before": row|null, "after": row|null, "op": "c"|"u"|"d"},
// keyed by the input's unique key ({"k": v, ...}) when it has one. +I is
// op c with after; -D is op d with before; a -U immediately followed by a
// +U of the same key (or, without a key, any +U) is one op u with both
// images; an unpaired -U is an op d and an unpaired +U an op c. The file
// source's debezium-json decoder reads these back into the same rows.
type debeziumEncoder struct {
	rows           *rowJSON
	key, pkey, val []byte
}

// rowRef is one row of one batch of the epoch.
type rowRef struct {
	cols []render.Column
	i    int
}

func (e *debeziumEncoder) encode(batches []exec.Batch, emit func(key, value []byte) error) error {
	var pending rowRef // a -U waiting for its +U
	hasPending := false
	err := eachRow(batches, func(cols []render.Column, i int, op exec.Op) error {
		cur := rowRef{cols, i}
		if hasPending {
			hasPending = false
			if op == exec.UpdateAfter && e.sameKey(pending, cur) {
				return e.emit(emit, "u", &pending, &cur)
			}
			if err := e.emit(emit, "d", &pending, nil); err != nil {
				return err
			}
		}
		switch op {
		case exec.UpdateBefore:
			pending, hasPending = cur, true
			return nil
		case exec.Delete:
			return e.emit(emit, "d", &cur, nil)
		default: // +I, or a +U without its -U
			return e.emit(emit, "c", nil, &cur)
		}
	})
	if err != nil {
		return err
	}
	if hasPending {
		return e.emit(emit, "d", &pending, nil)
	}
	return nil
}

// sameKey reports whether two rows have the same key (always, without a
// key: a -U is followed by its own +U).
func (e *debeziumEncoder) sameKey(a, b rowRef) bool {
	if e.rows.key == nil {
		return true
	}
	e.pkey = e.rows.keyOf(e.pkey, a.cols, a.i)
	e.key = e.rows.keyOf(e.key, b.cols, b.i)
	return bytes.Equal(e.pkey, e.key)
}

// emit writes one envelope; the key is the after image's key, or the
// before image's for a delete.
func (e *debeziumEncoder) emit(emit func(key, value []byte) error, op string, before, after *rowRef) error {
	keyRow := after
	if keyRow == nil {
		keyRow = before
	}
	e.key = e.rows.keyOf(e.key, keyRow.cols, keyRow.i)
	v := append(e.val[:0], `{"before":`...)
	if before != nil {
		v = e.rows.appendRow(v, before.cols, before.i)
	} else {
		v = append(v, "null"...)
	}
	v = append(v, `,"after":`...)
	if after != nil {
		v = e.rows.appendRow(v, after.cols, after.i)
	} else {
		v = append(v, "null"...)
	}
	v = append(v, `,"op":"`...)
	v = append(v, op...)
	v = append(v, `"}`...)
	e.val = v
	return emit(e.key, e.val)
}
