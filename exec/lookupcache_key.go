package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"
)

// lookupKeys encodes the key rows of a lookup with agg.KeyEncoder (built
// for the key types of the first batch) and flags rows with a NULL in any
// key column: NULL matches nothing, so those rows neither hit the cache nor
// go to the table. Buffers are reused across batches.
type lookupKeys struct {
	enc   *agg.KeyEncoder
	types []arrow.DataType
	null  []bool
}

// encode encodes n rows of cols.
func (e *lookupKeys) encode(cols []arrow.Array, n int) error {
	if err := e.prepare(cols); err != nil {
		return err
	}
	e.enc.Encode(cols, n)
	e.null = lookupResize(e.null, n)
	clear(e.null)
	for _, c := range cols {
		if c.NullN() == 0 {
			continue
		}
		for i := range n {
			if c.IsNull(i) {
				e.null[i] = true
			}
		}
	}
	return nil
}

// prepare (re)builds the encoder when the key column types change.
func (e *lookupKeys) prepare(cols []arrow.Array) error {
	if e.enc != nil && len(cols) == len(e.types) {
		same := true
		for i, c := range cols {
			same = same && arrow.TypeEqual(c.DataType(), e.types[i])
		}
		if same {
			return nil
		}
	}
	types := make([]catalog.Type, len(cols))
	e.types = e.types[:0]
	for i, c := range cols {
		t, err := catalog.FromArrow(c.DataType())
		if err != nil {
			return fmt.Errorf("lookup key %d: %w", i, err)
		}
		types[i] = t
		e.types = append(e.types, c.DataType())
	}
	enc, err := agg.NewKeyEncoder(types)
	if err != nil {
		return fmt.Errorf("lookup key: %w", err)
	}
	e.enc = enc
	return nil
}

// key returns the encoding of row i (valid until the next encode).
func (e *lookupKeys) key(i int) []byte { return e.enc.Key(i) }

// isNull reports whether row i has a NULL key column.
func (e *lookupKeys) isNull(i int) bool { return e.null[i] }

func lookupResize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
