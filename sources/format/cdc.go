package format

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// ChangelogDecoder is a Decoder of a CDC format: every row it decodes
// carries an op (+I, -U, +U, -D), and one record may decode into several
// rows (an update's before and after images, a canal message's rows) or
// into none (a tombstone, a DDL message). A record in error leaves none of
// its rows behind.
type ChangelogDecoder interface {
	Decoder
	// FlushBatch returns the pending rows and their ops as a batch the
	// caller owns (Rec nil when there are none). Flush returns the same
	// rows without their ops: callers of a ChangelogDecoder use FlushBatch.
	FlushBatch() exec.Batch
	// Ignored counts the well-formed records that carried no row.
	Ignored() int64
}

// FlushBatch flushes d's pending rows as a changelog batch: with their ops
// when d is a ChangelogDecoder, as inserts (Ops nil) otherwise.
func FlushBatch(d Decoder) exec.Batch {
	if c, ok := d.(ChangelogDecoder); ok {
		return c.FlushBatch()
	}
	rec := d.Flush()
	if rec == nil {
		return exec.Batch{}
	}
	return exec.Batch{Rec: rec}
}

// cdcBase is what the CDC decoders share: the JSON row decoder, the ops
// of the pending rows, and the all-or-nothing record protocol (begin a
// record, add rows, abort it on the first error).
type cdcBase struct {
	j       *jsonDecoder
	ops     []exec.Op
	batch   int // rows per batch: Full reports Len() >= batch
	mark    int // rows before the record being decoded
	ignored int64
	opBuf   []byte // a copy of the record's op/type string
}

func newChangelogDecoder(f Format, b *colbuf.Batch, opts Options) (Decoder, error) {
	j := newJSONDecoder(b)
	base := cdcBase{j: j, batch: opts.BatchSize, ops: make([]exec.Op, 0, b.Cap())}
	switch f {
	case DebeziumJSON:
		return newDebeziumDecoder(base), nil
	case CanalJSON:
		j.textScalars = true
		return &canalDecoder{cdcBase: base}, nil
	case MaxwellJSON:
		return &maxwellDecoder{cdcBase: base}, nil
	case UpsertJSON:
		return newUpsertDecoder(base, opts.Key)
	}
	b.Release()
	return nil, recErr("format %v is not a changelog format", f)
}

// cdcCapacity is the row capacity of a CDC decoder's buffers: a batch is
// full at batch rows, and the slack above it holds the rows of the record
// that crosses that line (a canal message may carry many).
func cdcCapacity(batch int) int { return batch + max(batch, 4096) }

func (c *cdcBase) Len() int       { return c.j.b.Len() }
func (c *cdcBase) Full() bool     { return c.j.b.Len() >= c.batch }
func (c *cdcBase) Ignored() int64 { return c.ignored }
func (c *cdcBase) Release()       { c.j.b.Release() }

// Flush returns the pending rows without their ops; see FlushBatch.
func (c *cdcBase) Flush() arrow.RecordBatch { return c.FlushBatch().Rec }

// FlushBatch implements ChangelogDecoder.
func (c *cdcBase) FlushBatch() exec.Batch {
	rec := c.j.b.Finish()
	if rec == nil {
		return exec.Batch{}
	}
	ops := c.ops
	c.ops = make([]exec.Op, 0, cap(ops))
	return exec.Batch{Rec: rec, Ops: ops}
}

// begin starts a record; abort takes back every row it added.
func (c *cdcBase) begin() { c.mark = c.j.b.Len() }

func (c *cdcBase) abort() {
	c.j.b.Truncate(c.mark)
	c.ops = c.ops[:c.mark]
}

// finish ends a record: on error it aborts it.
func (c *cdcBase) finish(err error) error {
	if err != nil {
		c.abort()
	}
	return err
}

// room checks that one more row fits in the buffers.
func (c *cdcBase) room() error {
	if b := c.j.b; b.Len() >= b.Cap() {
		return recErr("record has more rows than a batch holds (%d)", b.Cap()-c.batch+1)
	}
	return nil
}

// row decodes the JSON object at s[at] into a row with op; when overlay
// is an object (at >= 0), its fields then replace the object's (an update's
// old values). which (and k, the row's index in an array, when >= 0) names
// the image in errors.
func (c *cdcBase) row(s []byte, at, overlay int, op exec.Op, which string, k int) error {
	if err := c.room(); err != nil {
		return err
	}
	_, err := c.j.rowAt(s, at)
	if err == nil && overlay >= 0 {
		_, err = c.j.rowAt(s, overlay)
	}
	if err == nil {
		err = commit(c.j.b)
	} else {
		c.j.b.Rollback()
	}
	if err != nil {
		if k >= 0 {
			return recErr("%s[%d]: %v", which, k, err)
		}
		return recErr("%s: %v", which, err)
	}
	c.ops = append(c.ops, op)
	return nil
}

// keepOp copies an op or type string (which may live in a scratch buffer).
func (c *cdcBase) keepOp(s []byte) { c.opBuf = append(c.opBuf[:0], s...) }

// Changelog reports whether f is a CDC format, whose rows carry ops.
func (f Format) Changelog() bool {
	switch f {
	case DebeziumJSON, CanalJSON, MaxwellJSON, UpsertJSON:
		return true
	}
	return false
}
