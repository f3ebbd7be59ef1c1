package difftest

import (
	"fmt"
	"sort"

	"github.com/sqlstream/sqlstream/exec"
)

// Capture is an exec.Stream that materializes an operator's output
// changelog into a multiset of normalized rows. After every batch the
// multiset must stay consistent: a -U or -D must retract a row that is
// present; the first violation is kept in Err and later rows still apply.
// It keeps no batch.
type Capture struct {
	counts  map[string]int
	err     error
	Batches int    // batches received
	Rows    int    // rows received
	Ops     [4]int // rows received per exec.Op (+I, -U, +U, -D)
	Closed  bool
}

var _ exec.Stream = (*Capture)(nil)

// NewCapture returns an empty capture.
func NewCapture() *Capture { return &Capture{counts: map[string]int{}} }

// Push implements exec.Stream.
func (c *Capture) Push(b exec.Batch) error {
	n := b.NumRows()
	if b.Ops != nil && len(b.Ops) != n {
		return fmt.Errorf("capture: %d ops for %d rows", len(b.Ops), n)
	}
	c.Batches++
	c.Rows += n
	for i := 0; i < n; i++ {
		k := FormatArrowRow(b.Rec, i)
		if o := b.Op(i); o >= 0 && int(o) < len(c.Ops) {
			c.Ops[o]++
		}
		if !b.Op(i).IsRetraction() {
			c.counts[k]++
			continue
		}
		if c.counts[k] == 0 {
			if c.err == nil {
				c.err = fmt.Errorf("batch %d row %d: %s of absent row [%s]", c.Batches, i, b.Op(i), k)
			}
			continue
		}
		c.counts[k]--
	}
	return nil
}

// Watermark implements exec.Stream.
func (c *Capture) Watermark(int64) error { return nil }

// Barrier implements exec.Stream.
func (c *Capture) Barrier(uint64) error { return nil }

// Close implements exec.Stream.
func (c *Capture) Close() error { c.Closed = true; return nil }

// Err is the first inconsistent retraction seen, or nil.
func (c *Capture) Err() error { return c.err }

// Materialized returns the current multiset, sorted.
func (c *Capture) Materialized() []string {
	var out []string
	for k, n := range c.counts {
		for range n {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
