package difftest

import (
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// ToBatch builds an exec.Batch of changes with schema s; Ops is nil when
// every change is an insert. The caller releases it.
func ToBatch(s catalog.Schema, changes []Change, mem memory.Allocator) (exec.Batch, error) {
	bld := array.NewRecordBuilder(mem, s.Arrow())
	defer bld.Release()
	ops := make([]exec.Op, len(changes))
	appendOnly := true
	for i, ch := range changes {
		if len(ch.Row) != s.Len() {
			return exec.Batch{}, fmt.Errorf("change %d: %d values for %d columns", i, len(ch.Row), s.Len())
		}
		for c, v := range ch.Row {
			if err := appendValue(bld.Field(c), v); err != nil {
				return exec.Batch{}, fmt.Errorf("change %d column %s: %w", i, s.Columns[c].Name, err)
			}
		}
		ops[i] = ch.Op
		appendOnly = appendOnly && ch.Op == exec.Insert
	}
	if appendOnly {
		ops = nil
	}
	return exec.Batch{Rec: bld.NewRecordBatch(), Ops: ops}, nil
}

func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch x := v.(type) {
	case bool:
		if b, ok := b.(*array.BooleanBuilder); ok {
			b.Append(x)
			return nil
		}
	case int32:
		switch b := b.(type) {
		case *array.Int32Builder:
			b.Append(x)
			return nil
		case *array.Date32Builder:
			b.Append(arrow.Date32(x))
			return nil
		}
	case int64:
		switch b := b.(type) {
		case *array.Int64Builder:
			b.Append(x)
			return nil
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(x))
			return nil
		}
	case float64:
		if b, ok := b.(*array.Float64Builder); ok {
			b.Append(x)
			return nil
		}
	case decimal128.Num:
		if b, ok := b.(*array.Decimal128Builder); ok {
			b.Append(x)
			return nil
		}
	case string:
		if b, ok := b.(*array.StringBuilder); ok {
			b.Append(x)
			return nil
		}
	}
	return fmt.Errorf("value %v (%T) does not fit %s", v, v, b.Type())
}

// Apply folds a changelog into the multiset of rows it leaves: +I/+U add
// a row, -U/-D remove an equal one. It fails on a retraction of a row that
// is not present. Rows come back in a deterministic order.
func Apply(s catalog.Schema, changes []Change) ([]Row, error) {
	counts := map[string]int{}
	rows := map[string]Row{}
	for i, ch := range changes {
		k := FormatRow(s, ch.Row)
		if ch.Op.IsRetraction() {
			if counts[k] == 0 {
				return nil, fmt.Errorf("change %d: %s of absent row %s", i, ch.Op, k)
			}
			counts[k]--
			continue
		}
		counts[k]++
		rows[k] = ch.Row
	}
	keys := make([]string, 0, len(counts))
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Row
	for _, k := range keys {
		for range counts[k] {
			out = append(out, rows[k])
		}
	}
	return out, nil
}
