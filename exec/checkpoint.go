package exec

import "context"

// Checkpoints and recovery (issue 5). The runner is single-threaded and
// push-based, so once it has pushed Barrier(epoch) into every source's
// chain, every operator has processed exactly the input before the
// barrier: no alignment protocol is needed. A checkpoint of epoch e then:
//
//  1. asks every PositionedSource for its Position (after its last batch);
//  2. asks every Checkpointer operator to Snapshot the state it changed
//     since its previous snapshot into its StateWriter;
//  3. commits, in one store transaction (CheckpointStore.Commit), the
//     views' changes, errors_/late_ rows, the state changes, the source
//     positions and, for every EpochSink, the epoch's batches (its outbox);
//  4. delivers the epoch's outbox to each EpochSink (Deliver, which writes
//     the batches and the sink's own epoch marker atomically), retrying
//     with backoff up to 'sink.retry.timeout', and trims delivered outbox
//     epochs from the store in the next commit.
//
// On start, when the store holds a committed epoch of the same pipeline,
// the runner restores instead of starting fresh: every Checkpointer
// Restores from its state, every PositionedSource Seeks to its saved
// position, and every EpochSink is delivered the outbox epochs above its
// LastDelivered. Views keep their contents. A crash at any point thus
// repeats at most the work after the last committed epoch, whose effects
// were never visible: exactly-once into the store, and into external sinks
// through their epoch markers.

// PositionedSource is a source whose read position is part of each
// checkpoint (Kafka offsets, a file's byte offset, a generator's count).
type PositionedSource interface {
	Source
	// Position returns the position after the last batch Next returned,
	// as opaque bytes the source alone interprets.
	Position() ([]byte, error)
	// Seek restores a Position before the first Next. The source must
	// then produce exactly what followed that position.
	Seek(pos []byte) error
}

// StateWriter receives one operator's state changes of an epoch. Keys and
// values are the operator's own encoding; a key written twice in one
// epoch keeps the last value. Put and Delete copy their arguments.
type StateWriter interface {
	Put(key, value []byte) error
	Delete(key []byte) error
}

// StateReader reads back one operator's committed state.
type StateReader interface {
	// Scan calls f for every entry in unspecified order. f must copy key
	// and value if it keeps them.
	Scan(f func(key, value []byte) error) error
}

// Checkpointer is an operator whose state survives a restart.
// Snapshot must cost in proportion to the state changed since the
// previous Snapshot (track dirty keys), not to the total state.
type Checkpointer interface {
	// Snapshot writes the changes since the previous Snapshot (the whole
	// state the first time after a Restore-less start is fine only if it
	// is empty) and forgets them.
	Snapshot(w StateWriter) error
	// Restore rebuilds the state from r, before any input arrives.
	Restore(r StateReader) error
}

// EpochSink is an external sink whose writes are tied to checkpoint
// epochs: it receives the committed batches of each epoch once the store
// has committed it, and records the epoch in the external system in the
// same transaction as the data (a marker table, a Kafka transaction with
// a marker record, a renamed file), so a repeated delivery is detected.
// Its Push/Watermark/Barrier (Stream) are not used: the store's outbox
// buffers its input.
type EpochSink interface {
	Sink
	// LastDelivered returns the last epoch the external system holds
	// (0 when none), read from its marker.
	LastDelivered(ctx context.Context) (uint64, error)
	// Deliver writes the epoch's batches, in order, and the epoch's
	// marker atomically. It is called with increasing epochs above
	// LastDelivered; a transient failure returns an error wrapping
	// ErrRetry and the runner retries it with backoff.
	Deliver(ctx context.Context, epoch uint64, batches []Batch) error
}

// ErrRetry marks an error as transient (a broker or database that went
// away): the runner retries with backoff and a log line, up to
// 'sink.retry.timeout'.
var ErrRetry = retryError{}

type retryError struct{}

func (retryError) Error() string { return "transient failure" }

// CheckpointStore is implemented by stores that can checkpoint and
// restore a pipeline (the DuckDB store). A store without it runs
// without recovery (test fakes).
type CheckpointStore interface {
	Store
	// Resume reports the last committed epoch of the pipeline with this
	// fingerprint (0 when the store holds none; an error when it holds a
	// different pipeline's checkpoint, naming what to do: --reset).
	Resume(fingerprint string) (uint64, error)
	// State returns the writer of operator op's state changes for the
	// next Commit, and the reader of its committed state. op is a stable
	// id of the operator within the pipeline (see Builder.Stateful).
	State(op string) (StateWriter, StateReader, error)
	// SavePosition records a source's position with the next Commit;
	// Position returns the committed one (nil when none).
	SavePosition(source string, pos []byte) error
	Position(source string) ([]byte, error)
	// Outbox returns the stream buffering an EpochSink's input; its
	// batches are committed with the epoch. Pending returns the committed
	// epochs above after, in order, with their batches; Trim forgets
	// epochs up to upto with the next Commit.
	Outbox(sink string) (Stream, error)
	Pending(sink string, after uint64) ([]EpochBatches, error)
	Trim(sink string, upto uint64) error
}

// EpochBatches are one committed epoch's batches of an outbox.
type EpochBatches struct {
	Epoch   uint64
	Batches []Batch
}
