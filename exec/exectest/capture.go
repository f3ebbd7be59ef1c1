package exectest

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/exec"
)

// Capture is a Stream that renders everything it receives as golden lines:
// rows as `+I ...`, then `watermark <ts>`, `barrier <epoch>`, `close`. It
// keeps no batch (Push borrows), so tests can check for leaks.
type Capture struct {
	lines []string
	// Fail, when set, is returned by the next Push (for error paths).
	Fail error
}

var _ exec.Stream = (*Capture)(nil)

// Push implements exec.Stream.
func (c *Capture) Push(b exec.Batch) error {
	if c.Fail != nil {
		err := c.Fail
		c.Fail = nil
		return err
	}
	if b.NumRows() == 0 {
		c.lines = append(c.lines, "(empty batch)")
		return nil
	}
	if b.Ops != nil && len(b.Ops) != b.NumRows() {
		return fmt.Errorf("capture: %d ops for %d rows", len(b.Ops), b.NumRows())
	}
	c.lines = append(c.lines, FormatBatch(b)...)
	return nil
}

// Watermark implements exec.Stream.
func (c *Capture) Watermark(t int64) error {
	c.lines = append(c.lines, "watermark "+FormatWatermark(t))
	return nil
}

// Barrier implements exec.Stream.
func (c *Capture) Barrier(epoch uint64) error {
	c.lines = append(c.lines, fmt.Sprintf("barrier %d", epoch))
	return nil
}

// Close implements exec.Stream.
func (c *Capture) Close() error {
	c.lines = append(c.lines, "close")
	return nil
}

// Take returns the lines captured since the last Take, newline-terminated.
func (c *Capture) Take() string {
	if len(c.lines) == 0 {
		return ""
	}
	s := strings.Join(c.lines, "\n") + "\n"
	c.lines = c.lines[:0]
	return s
}

// FormatWatermark renders a watermark: min, max or a timestamp.
func FormatWatermark(t int64) string {
	switch t {
	case exec.MinWatermark:
		return "min"
	case exec.MaxWatermark:
		return "max"
	}
	return FormatTimestamp(t)
}

// ParseWatermark reads min, max, epoch ms or a timestamp without spaces
// (2024-01-01T00:00:05).
func ParseWatermark(s string) (int64, error) {
	switch strings.ToLower(s) {
	case "min":
		return exec.MinWatermark, nil
	case "max":
		return exec.MaxWatermark, nil
	}
	return ParseTimestamp(s)
}
