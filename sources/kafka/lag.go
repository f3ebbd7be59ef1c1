package kafka

import (
	"sync/atomic"

	"github.com/sqlstream/sqlstream/exec"
)

var _ exec.LagReporter = (*Source)(nil)

// lagState is how far a source is behind its partitions: every fetch
// carries each partition's high watermark (the offset after its last
// record); the lag is the sum over the partitions not done of high
// watermark (or the bounded end, if lower) minus the next offset to read.
// hw is used on the reading goroutine only; value is read by Stats.
type lagState struct {
	hw    []int64 // by partition index; -1 until a fetch reported it
	known bool
	value atomic.Int64 // lag + 1; 0 while unknown
}

// observeHighWatermark records partition pi's high watermark from a fetch.
func (s *Source) observeHighWatermark(pi int32, hw int64) {
	if hw < 0 {
		return
	}
	if s.lag.hw == nil {
		s.lag.hw = make([]int64, len(s.parts))
		for i := range s.lag.hw {
			s.lag.hw[i] = -1
		}
	}
	s.lag.hw[pi] = hw
	s.lag.known = true
}

// updateLag recomputes the lag after a fetch was consumed.
func (s *Source) updateLag() {
	if !s.lag.known {
		return
	}
	var lag int64
	for i, p := range s.parts {
		hw := s.lag.hw[i]
		if p.done || hw < 0 {
			continue
		}
		if p.end >= 0 {
			hw = min(hw, p.end)
		}
		lag += max(0, hw-p.next)
	}
	s.lag.value.Store(lag + 1)
}

// Lag implements exec.LagReporter: the records between the source's
// position and the latest offsets its last fetch saw.
func (s *Source) Lag() (int64, bool) {
	v := s.lag.value.Load()
	return v - 1, v > 0
}
