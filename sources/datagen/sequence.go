package datagen

import (
	"github.com/sqlstream/sqlstream/exec"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// sequence generates seq = 0, 1, 2, ... and ts = NexmarkBaseTime + seq ms,
// a minimal stream for tests and demos.
type sequence struct {
	rows, next int64
	cols       []int
}

var seqFields = []field{{"seq", catalog.BigIntType}, {"ts", catalog.TimestampType}}

func newSequence(cfg config, schema catalog.Schema) (func(*colbuf.Batch) generator, error) {
	if cfg.kind != "" {
		return nil, exec.OptionErrorf("kind", "option 'kind': generator sequence has no kinds")
	}
	cols, err := bind("sequence", seqFields, schema)
	if err != nil {
		return nil, err
	}
	return func(*colbuf.Batch) generator { return &sequence{rows: cfg.rows, cols: cols} }, nil
}

func (g *sequence) fill(b *colbuf.Batch, max int) bool {
	n := int64(max)
	if g.rows >= 0 {
		n = min(n, g.rows-g.next)
	}
	for i, f := range g.cols {
		vals := b.Cols[i].Int64s()
		off := int64(0)
		if f == 1 {
			off = NexmarkBaseTime
		}
		for r := int64(0); r < n; r++ {
			vals[r] = off + g.next + r
		}
	}
	g.next += n
	b.SetLen(int(n))
	return g.rows >= 0 && g.next >= g.rows
}
