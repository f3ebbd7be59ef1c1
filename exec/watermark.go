package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// MaxEventTime returns the largest non-NULL value of an event-time column
// (TIMESTAMP as epoch milliseconds, or BIGINT), and false when every value
// is NULL or the column is empty.
func MaxEventTime(a arrow.Array) (int64, bool, error) {
	switch a := a.(type) {
	case *array.Timestamp:
		return maxOf(a.Values(), a)
	case *array.Int64:
		return maxOf(a.Values(), a)
	}
	return 0, false, fmt.Errorf("event-time column is %s, want timestamp", a.DataType())
}

func maxOf[T ~int64](vals []T, a arrow.Array) (int64, bool, error) {
	best, ok := int64(MinWatermark), false
	if a.NullN() == 0 {
		for _, v := range vals {
			best = max(best, int64(v))
		}
		return best, len(vals) > 0, nil
	}
	for i, v := range vals {
		if a.IsValid(i) {
			best, ok = max(best, int64(v)), true
		}
	}
	return best, ok, nil
}
