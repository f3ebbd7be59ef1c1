package exec

import "time"

// WatermarkSource is a source with a WATERMARK that computes its watermark
// itself, because its batches interleave independent streams whose event
// times advance separately (a Kafka topic's partitions). Its watermark is
// the minimum over its streams of (the largest event time seen in that
// stream − the declared delay); a stream that produced nothing for idle
// (wall clock, 'source.idle_timeout'; 0 = never) is skipped, and a stream
// that is exhausted (a bounded source that reached its end offset) no
// longer holds it back.
//
// For such a source the runner must not derive the watermark from the
// batch's largest event time (rows of a slow partition would be late
// behind a fast one's rows of the same batch). Instead, after every Next
// (rows or not):
//
//   - the rows of a batch are late when their event time is below the
//     watermark in force before the batch (not advanced by earlier rows
//     of the same batch); NULL event times are never late;
//   - the source's watermark is then wm, ok := Watermark(idle), forwarded
//     when ok and above the previous one (it never goes back).
//
// Late rows keep their per-source meaning: late_<source> holds the rows
// behind the source's (minimum) watermark, with that watermark.
type WatermarkSource interface {
	Source
	// Watermark returns the source's watermark after the batches Next has
	// returned so far (epoch milliseconds, never decreasing), skipping
	// streams idle for idle when idle > 0. ok is false while no stream
	// has a watermark yet (nothing read, or every stream still empty and
	// not idle).
	Watermark(idle time.Duration) (wm int64, ok bool)
}
