package kafka

import (
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// upsertEncoder is format 'upsert-json': the message key is the row's key
// columns as a JSON object, the value the whole row (+I/+U) or null (a
// tombstone, for -D/-U). A retraction whose key is upserted again later in
// the same epoch is dropped: the later value replaces it, so the common
// -U/+U pair is one message. A log compacted by key thus holds exactly the
// sink's current rows.
type upsertEncoder struct {
	rows *rowJSON
	// later maps a key to whether its nearest later row in the epoch is
	// an upsert (true) or a retraction (false); reused across epochs.
	later    map[string]bool
	skip     []bool
	key, val []byte
}

func (e *upsertEncoder) encode(batches []exec.Batch, emit func(key, value []byte) error) error {
	cols := make([][]render.Column, len(batches))
	total := 0
	for bi, b := range batches {
		if b.NumRows() > 0 {
			cols[bi] = render.Columns(b.Rec)
		}
		total += b.NumRows()
	}
	// Backwards: a retraction is skipped when the key's nearest later
	// row upserts it.
	clear(e.later)
	if e.later == nil {
		e.later = map[string]bool{}
	}
	if cap(e.skip) < total {
		e.skip = make([]bool, total)
	} else {
		e.skip = e.skip[:total]
		clear(e.skip)
	}
	r := total
	for bi := len(batches) - 1; bi >= 0; bi-- {
		b := batches[bi]
		for i := b.NumRows() - 1; i >= 0; i-- {
			r--
			e.key = e.rows.keyOf(e.key, cols[bi], i)
			upsert := !b.Op(i).IsRetraction()
			if !upsert && e.later[string(e.key)] {
				e.skip[r] = true
			}
			e.later[string(e.key)] = upsert
		}
	}
	r = 0
	for bi, b := range batches {
		for i := range b.NumRows() {
			skip := e.skip[r]
			r++
			if skip {
				continue
			}
			e.key = e.rows.keyOf(e.key, cols[bi], i)
			var val []byte
			if !b.Op(i).IsRetraction() {
				e.val = e.rows.appendRow(e.val[:0], cols[bi], i)
				val = e.val
			}
			if err := emit(e.key, val); err != nil {
				return err
			}
		}
	}
	return nil
}
