package kafka

import (
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// Per-partition watermarks (exec.WatermarkSource). Each partition keeps
// the largest event time of its rows; the source's watermark is the
// minimum over partitions of that minus the WATERMARK delay. A partition
// that produced no record for the runner's idle timeout is skipped, and a
// bounded partition that reached its end offset no longer counts. A
// partition still without rows (and not idle) holds the watermark back:
// its first rows may be older than every other partition's.

// observe raises the partitions' event times by the rows of the batch
// just flushed: col is its event-time column, s.rows.part the rows'
// partitions. NULL event times are skipped.
func (s *Source) observe(col arrow.Array) {
	var vals []arrow.Timestamp
	switch a := col.(type) {
	case *array.Timestamp:
		vals = a.Values()
	default:
		return // the planner only allows a TIMESTAMP event-time column
	}
	bitmap, off := col.NullBitmapBytes(), col.Data().Offset()
	nulls := col.NullN() > 0 && len(bitmap) > 0
	for i, v := range vals {
		if nulls && !bitutil.BitIsSet(bitmap, off+i) {
			continue
		}
		p := s.parts[s.rows.part[i]]
		if t := int64(v); !p.hasTs || t > p.maxTs {
			p.maxTs, p.hasTs = t, true
		}
	}
}

// Watermark implements exec.WatermarkSource.
func (s *Source) Watermark(idle time.Duration) (int64, bool) {
	if s.def.Watermark == nil {
		return 0, false
	}
	now := time.Now()
	wm, any := int64(math.MaxInt64), false
	for _, p := range s.parts {
		if p.done || idle > 0 && now.Sub(p.active) >= idle {
			continue
		}
		if !p.hasTs {
			return s.wm, s.hasWm
		}
		wm, any = min(wm, p.maxTs-s.def.Watermark.DelayMs), true
	}
	if any && (!s.hasWm || wm > s.wm) {
		s.wm, s.hasWm = wm, true
	}
	return s.wm, s.hasWm
}
