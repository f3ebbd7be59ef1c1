package expr

import (
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// Predicate is a compiled boolean condition used to filter rows.
type Predicate struct {
	k Kernel
}

// CompilePredicate compiles a BOOLEAN expression for filtering.
func CompilePredicate(e scalar.Expr, opts Options) (*Predicate, error) {
	if t := e.Type(); t.ID != catalog.Boolean && t.ID != catalog.Null {
		return nil, fmt.Errorf("%s: condition is %s, not BOOLEAN", e, t)
	}
	k, err := Compile(e, opts)
	if err != nil {
		return nil, err
	}
	return &Predicate{k: k}, nil
}

// Select returns, in ascending order, the indices of the rows of rec where
// the condition is TRUE (rows where it is FALSE or NULL are dropped). The
// indices are appended to dst[:0], so a caller can reuse one slice across
// batches. len(sel) == rec.NumRows() means every row passed and the batch
// can be forwarded unchanged; otherwise gather columns (and the changelog
// ops) by sel, e.g. with compute.Take on an Int32 array built from sel.
func (p *Predicate) Select(rec arrow.RecordBatch, mem memory.Allocator, dst []int32) ([]int32, error) {
	sel := dst[:0]
	n := int(rec.NumRows())
	if c, ok := asConst(p.k); ok {
		if v, _ := c.v.(bool); v {
			for i := 0; i < n; i++ {
				sel = append(sel, int32(i))
			}
		}
		return sel, nil
	}
	a, err := p.k.Eval(rec, mem)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	if a.NullN() == n || a.DataType().ID() != arrow.BOOL {
		return sel, nil
	}
	val := boolBits(a)
	valid := validBits(a)
	for w := 0; w*64 < n; w++ {
		word := load64(val, w)
		if valid != nil {
			word &= load64(valid, w)
		}
		if rem := n - w*64; rem < 64 {
			word &= 1<<uint(rem) - 1
		}
		for word != 0 {
			sel = append(sel, int32(w*64+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	return sel, nil
}

// load64 reads 64 bits of a bitmap starting at word w (little endian),
// tolerating a short final word.
func load64(b []byte, w int) uint64 {
	var x uint64
	for i := 0; i < 8; i++ {
		if j := w*8 + i; j < len(b) {
			x |= uint64(b[j]) << (8 * i)
		}
	}
	return x
}
