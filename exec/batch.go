package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Op is the kind of a changelog row (Flink's RowKind).
type Op int8

const (
	Insert       Op = iota // +I
	UpdateBefore           // -U: the old row of an update, retracted
	UpdateAfter            // +U: the new row of an update
	Delete                 // -D
)

var opNames = [...]string{"+I", "-U", "+U", "-D"}

func (o Op) String() string {
	if o >= 0 && int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", o)
}

// ParseOp parses "+I", "-U", "+U" or "-D".
func ParseOp(s string) (Op, error) {
	for i, n := range opNames {
		if n == s {
			return Op(i), nil
		}
	}
	return 0, fmt.Errorf("unknown row kind %q (want +I, -U, +U or -D)", s)
}

// IsRetraction reports -U and -D: rows that take something back.
func (o Op) IsRetraction() bool { return o == UpdateBefore || o == Delete }

// Batch is a changelog batch: an Arrow record batch and the op of each row.
// Ops is nil when every row is an insert, the common append-only case, so
// append-only pipelines never allocate or touch an ops column. When Ops is
// not nil, len(Ops) == Rec.NumRows().
//
// A pushed batch is borrowed, Ops included: producers may reuse their Ops
// slice for the next batch. A consumer that keeps a batch beyond Push must
// call Keep, which retains the record and copies Ops; Retain alone does not
// protect Ops.
type Batch struct {
	Rec arrow.RecordBatch
	Ops []Op
}

// NumRows is the number of rows in the batch.
func (b Batch) NumRows() int {
	if b.Rec == nil {
		return 0
	}
	return int(b.Rec.NumRows())
}

// Op returns the op of row i.
func (b Batch) Op(i int) Op {
	if b.Ops == nil {
		return Insert
	}
	return b.Ops[i]
}

// AppendOnly reports whether every row of the batch is an insert.
func (b Batch) AppendOnly() bool {
	if b.Ops == nil {
		return true
	}
	for _, o := range b.Ops {
		if o != Insert {
			return false
		}
	}
	return true
}

// Keep returns a copy of b that the caller owns until it calls Release: the
// record is retained and Ops copied.
func (b Batch) Keep() Batch {
	b.Retain()
	if b.Ops != nil {
		b.Ops = append([]Op(nil), b.Ops...)
	}
	return b
}

// Retain adds a reference to the record batch. It does not protect Ops: to
// keep a batch, use Keep.
func (b Batch) Retain() {
	if b.Rec != nil {
		b.Rec.Retain()
	}
}

// Release drops a reference to the record batch.
func (b Batch) Release() {
	if b.Rec != nil {
		b.Rec.Release()
	}
}
