package exec

// EpochBuffer keeps the batches an EpochSink receives through Push when it
// runs as a plain Stream (without a checkpoint store), until the sink
// delivers them at the epoch's barrier. The sink decides the epoch it
// delivers them as, whether an epoch without rows is delivered and what
// Close does with batches no barrier delivered; EpochBuffer owns the kept
// batches. The zero value is empty and ready.
type EpochBuffer struct {
	pending []Batch
}

// Add keeps b (Batch.Keep) for the next delivery; an empty batch is
// dropped.
func (e *EpochBuffer) Add(b Batch) {
	if b.NumRows() > 0 {
		e.pending = append(e.pending, b.Keep())
	}
}

// Batches returns the kept batches, borrowed until Discard.
func (e *EpochBuffer) Batches() []Batch { return e.pending }

// Flush calls deliver with the kept batches, unless there are none, and
// then releases them (whether deliver failed or not).
func (e *EpochBuffer) Flush(deliver func(batches []Batch) error) error {
	if len(e.pending) == 0 {
		return nil
	}
	defer e.Discard()
	return deliver(e.pending)
}

// Discard releases the kept batches.
func (e *EpochBuffer) Discard() {
	for _, b := range e.pending {
		b.Release()
	}
	clear(e.pending)
	e.pending = e.pending[:0]
}
