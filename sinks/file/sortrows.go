package file

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// rowCmp compares rows i and j of one column: negative when i sorts first.
type rowCmp func(i, j int32) int

// sortRows sorts rows (indexes into cols) stably by the sort columns,
// ascending with NULLs first: equal keys keep their arrival order.
func sortRows(rows []int32, cols []arrow.Array, by []int) error {
	if len(by) == 0 || len(rows) < 2 {
		return nil
	}
	cmps := make([]rowCmp, len(by))
	for k, c := range by {
		f, err := comparator(cols[c])
		if err != nil {
			return err
		}
		cmps[k] = f
	}
	if len(cmps) == 1 {
		slices.SortStableFunc(rows, cmps[0])
		return nil
	}
	slices.SortStableFunc(rows, func(i, j int32) int {
		for _, f := range cmps {
			if c := f(i, j); c != 0 {
				return c
			}
		}
		return 0
	})
	return nil
}

// comparator returns the ascending, NULLs-first order of a's rows. It
// reads the typed values directly: no per-row boxing.
func comparator(a arrow.Array) (rowCmp, error) {
	var f rowCmp
	switch a := a.(type) {
	case *array.Boolean:
		f = func(i, j int32) int { return boolCmp(a.Value(int(i)), a.Value(int(j))) }
	case *array.Int32:
		v := a.Int32Values()
		f = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int64:
		v := a.Int64Values()
		f = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Float64:
		v := a.Float64Values()
		f = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Date32:
		v := a.Date32Values()
		f = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Timestamp:
		v := a.TimestampValues()
		f = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Decimal128:
		v := a.Values()
		f = func(i, j int32) int { return v[i].Cmp(v[j]) }
	case *array.String:
		f = func(i, j int32) int { return strings.Compare(a.Value(int(i)), a.Value(int(j))) }
	default:
		return nil, fmt.Errorf("cannot sort by a column of type %s", a.DataType())
	}
	if a.NullN() == 0 {
		return f, nil
	}
	return func(i, j int32) int {
		ni, nj := a.IsNull(int(i)), a.IsNull(int(j))
		switch {
		case ni && nj:
			return 0
		case ni:
			return -1
		case nj:
			return 1
		}
		return f(i, j)
	}, nil
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
