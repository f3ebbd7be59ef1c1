package exectest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Builder builds the operator under test for a directive (for example
// `filter where=(...)`): in is the input schema, out the capture stream the
// operator must emit to. It returns the operator's input stream.
type Builder func(h *Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error)

// Harness runs one datadriven file of operator goldens. Directives:
//
//	<builder> [schema=(...)] args...   build the operator under test
//	push [schema=(...)]                rows in the input push one batch
//	watermark t=<ts|ms|max>            announce a watermark
//	barrier epoch=<n>                  checkpoint barrier
//	close                              end the stream
//	state                              the operator's state rows (StateReporter)
//
// Operators with several inputs take port=<name> on push, watermark,
// barrier and close (see Ports).
//
// A builder directive starts a new operator; without schema it builds at
// the next push, which must then name one. Output is everything the operator emitted during the directive.
type Harness struct {
	// Mem is checked for leaks when the file ends.
	Mem *memory.CheckedAllocator
	// Now is the NOW() of compiled expressions.
	Now time.Time

	builders map[string]Builder
	out      *Capture
	op       exec.Stream
	in       *catalog.Schema
	pending  *datadriven.TestData
	pendingB Builder
}

// NewHarness returns a harness knowing the given builder directives.
func NewHarness(builders map[string]Builder) *Harness {
	return &Harness{
		Mem:      memory.NewCheckedAllocator(memory.NewGoAllocator()),
		Now:      time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC),
		builders: builders,
		out:      &Capture{},
	}
}

// RunFile runs a datadriven file (supports -rewrite) with a fresh harness
// and fails the test if any Arrow memory leaked.
func RunFile(t *testing.T, path string, builders map[string]Builder) {
	h := NewHarness(builders)
	datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
		return h.Run(d)
	})
	h.Mem.AssertSize(t, 0)
}

// Capture returns the stream operators under test emit to.
func (h *Harness) Capture() *Capture { return h.out }

// Run executes one directive and returns its golden output; errors are
// rendered as "error: ..." so that error paths can be goldens too.
func (h *Harness) Run(d *datadriven.TestData) string {
	if err := h.run(d); err != nil {
		return h.out.Take() + "error: " + err.Error() + "\n"
	}
	return h.out.Take()
}

func (h *Harness) run(d *datadriven.TestData) error {
	switch d.Cmd {
	case "push":
		return h.push(d)
	case "watermark":
		return h.watermark(d)
	case "barrier":
		return h.barrier(d)
	case "close":
		return h.target(d, func(op exec.Stream) error { return op.Close() })
	case "state":
		return h.withOp(h.state)
	}
	b, ok := h.builders[d.Cmd]
	if !ok {
		return fmt.Errorf("unknown directive %q", d.Cmd)
	}
	// datadriven reuses its TestData: keep a copy for a deferred build.
	dd := *d
	dd.CmdArgs = append([]datadriven.CmdArg(nil), d.CmdArgs...)
	h.op, h.in, h.pending, h.pendingB = nil, nil, &dd, b
	if s, ok, err := schemaArg(d); err != nil {
		return err
	} else if ok {
		h.in = &s
	}
	if h.in != nil {
		return h.build()
	}
	return nil
}

// build runs the pending builder against the input schema.
func (h *Harness) build() error {
	d, b := h.pending, h.pendingB
	h.pending, h.pendingB = nil, nil
	op, err := b(h, d, *h.in, h.out)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Cmd, err)
	}
	h.op = op
	return nil
}

func (h *Harness) push(d *datadriven.TestData) error {
	if ps, pschema, ok, err := h.port(d); ok || err != nil {
		if err != nil {
			return err
		}
		return h.pushPort(d, ps, pschema)
	}
	s, ok, err := schemaArg(d)
	if err != nil {
		return err
	}
	if ok {
		h.in = &s
	}
	if h.in == nil {
		return fmt.Errorf("push: no schema yet (push schema=(name:type, ...))")
	}
	if h.pending != nil {
		if err := h.build(); err != nil {
			return err
		}
	}
	b, err := ParseBatch(*h.in, d.Input, h.Mem)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	defer b.Release()
	return h.withOp(func(op exec.Stream) error { return op.Push(b) })
}

func (h *Harness) watermark(d *datadriven.TestData) error {
	v, ok := Arg(d, "t")
	if !ok {
		return fmt.Errorf("watermark: want t=<timestamp|ms|max>")
	}
	t, err := ParseWatermark(v)
	if err != nil {
		return err
	}
	return h.target(d, func(op exec.Stream) error { return op.Watermark(t) })
}

func (h *Harness) barrier(d *datadriven.TestData) error {
	epoch := uint64(1)
	if v, ok := Arg(d, "epoch"); ok {
		e, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("barrier: bad epoch %q", v)
		}
		epoch = e
	}
	return h.target(d, func(op exec.Stream) error { return op.Barrier(epoch) })
}

// state prints the rows of state the operator under test reports.
func (h *Harness) state(op exec.Stream) error {
	r, ok := op.(exec.StateReporter)
	if !ok {
		return fmt.Errorf("state: %T reports no state", op)
	}
	rows, _ := r.StateSize()
	h.out.lines = append(h.out.lines, fmt.Sprintf("state rows=%d", rows))
	return nil
}

func (h *Harness) withOp(f func(exec.Stream) error) error {
	if h.op == nil {
		return fmt.Errorf("no operator built yet")
	}
	return f(h.op)
}

func schemaArg(d *datadriven.TestData) (catalog.Schema, bool, error) {
	for _, a := range d.CmdArgs {
		if a.Key == "schema" {
			s, err := ParseSchema(a.Vals)
			return s, true, err
		}
	}
	return catalog.Schema{}, false, nil
}

// Arg returns the values of a directive argument joined back with ", " (a
// SQL expression written key=(...)), and whether it was given.
func Arg(d *datadriven.TestData, key string) (string, bool) {
	for _, a := range d.CmdArgs {
		if a.Key == key {
			return strings.Join(a.Vals, ", "), true
		}
	}
	return "", false
}
