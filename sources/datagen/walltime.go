package datagen

import (
	"math"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Event time tied to the wall clock ('event_time' = 'wall', with 'rate').
//
// A generator stamps its rows from a fixed base (NexmarkBaseTime) at its
// own pace (Nexmark: 10 000 events per second of event time), whatever
// the rate. For measuring end-to-end latency the event time of a row must
// instead be the wall-clock time at which the row was generated. With
// 'event_time' = 'wall' every TIMESTAMP column t of a generated row is
// mapped to
//
//	start + (t - anchor) * k
//
// where start is the wall clock at the first Next, k = (1000 / rate) /
// step scales the generator's nominal event-time step per emitted row
// (step ms, see nominalStepMs) to the rate's wall-clock step, and anchor
// is the nominal event time of the first row Next emits (after a Seek,
// of the row at the restored position). Row i after the start is then
// stamped about start + i/rate seconds: when the rate makes it due.
// Relative structure is kept, scaled by k: out-of-order arrival (banklog),
// auction expiries, the spacing of a person's and its auctions' events.
//
// Nexmark sources of one pipeline stay on one event sequence when each
// source's rate is its kind's share of the event rate (bids 46/50,
// auctions 3/50, persons 1/50): k is then the same for all of them.

// eventTimeOption is the option's name; its values are "generator" (the
// default: the generator's own clock) and "wall".
const eventTimeOption = "event_time"

// wallClock maps generator event times to wall-clock milliseconds.
type wallClock struct {
	k      float64 // wall ms per event-time ms
	anchor int64   // generator event time mapped to startMs
	start  int64   // unix ms of the first Next
}

// parseEventTime validates 'event_time' and reports whether it is "wall".
func parseEventTime(def *catalog.Source, rate float64) (bool, error) {
	v := strings.ToLower(strings.TrimSpace(def.Options.String(eventTimeOption, "generator")))
	switch v {
	case "generator":
		return false, nil
	case "wall":
		if rate <= 0 {
			return false, exec.OptionErrorf(eventTimeOption, "option 'event_time' = 'wall' needs option 'rate' (rows per second)")
		}
		return true, nil
	}
	return false, exec.OptionErrorf(eventTimeOption, "option 'event_time' = '%s': want 'generator' or 'wall'", v)
}

// nominalStepMs is the mean event time, in ms, between two consecutive
// rows a generator of cfg emits.
func nominalStepMs(cfg config) float64 {
	switch cfg.generator {
	case "nexmark":
		share := map[string]float64{"person": personProportion, "auction": auctionProportion,
			"bid": totalProportion - personProportion - auctionProportion}[cfg.kind]
		return float64(interEventDelayUs) / 1000 * totalProportion / share
	case "banklog":
		return 10 // the clock advances 1 + intn(19) ms per action, one row per action and kind
	case "retail":
		// retailStepMs per event over the mean rows per event (an update
		// is two rows): customer 45% inserts, 50% updates, 5% deletes;
		// account 30% / 66% / 4%; transaction 94% / 4% / 2%.
		rowsPerEvent := map[string]float64{"customer": 1.5, "account": 1.66, "transaction": 1.04, "txn": 1.04}[cfg.kind]
		if rowsPerEvent == 0 {
			rowsPerEvent = 1
		}
		return retailStepMs / rowsPerEvent
	}
	return 1 // sequence: one ms per row
}

// newWallClock starts the mapping at now for a source that has already
// emitted (skipped past) skipped rows.
func newWallClock(cfg config, now time.Time, skipped int64) *wallClock {
	step := nominalStepMs(cfg)
	return &wallClock{
		k:      1000 / cfg.rate / step,
		anchor: NexmarkBaseTime + int64(float64(skipped)*step),
		start:  now.UnixMilli(),
	}
}

// at maps one generator event time to wall-clock ms.
func (w *wallClock) at(t int64) int64 {
	return w.start + int64(math.Round(float64(t-w.anchor)*w.k))
}

// apply rewrites the TIMESTAMP columns of the rows in b (before Finish).
func (w *wallClock) apply(b *colbuf.Batch) {
	n := b.Len()
	for _, c := range b.Cols {
		if c.Type.ID != catalog.Timestamp {
			continue
		}
		vals := c.Int64s()[:n]
		for i, t := range vals {
			vals[i] = w.at(t)
		}
	}
}
