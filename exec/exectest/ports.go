package exectest

import (
	"fmt"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Ports is implemented by the stream a builder returns for an operator
// with several inputs (a join). `push port=<name>` parses rows with that
// port's schema and pushes them into it; watermark, barrier and close
// with port=<name> go to that port only, and without port to the
// returned stream itself. A builder of such an operator reads its port
// schemas from its own arguments: a push with port=... builds a pending
// operator with an empty input schema.
type Ports interface {
	exec.Stream
	Port(name string) (exec.Stream, catalog.Schema, error)
}

// port resolves the port=<name> argument of d: ok is false without one.
func (h *Harness) port(d *datadriven.TestData) (s exec.Stream, schema catalog.Schema, ok bool, err error) {
	name, ok := Arg(d, "port")
	if !ok {
		return nil, catalog.Schema{}, false, nil
	}
	if h.pending != nil {
		if h.in == nil {
			h.in = &catalog.Schema{}
		}
		if err := h.build(); err != nil {
			return nil, catalog.Schema{}, true, err
		}
	}
	p, isPorts := h.op.(Ports)
	if !isPorts {
		return nil, catalog.Schema{}, true, fmt.Errorf("port=%s: the operator has a single input", name)
	}
	s, schema, err = p.Port(name)
	return s, schema, true, err
}

// pushPort pushes d's rows into the named port.
func (h *Harness) pushPort(d *datadriven.TestData, s exec.Stream, schema catalog.Schema) error {
	b, err := ParseBatch(schema, d.Input, h.Mem)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	defer b.Release()
	return s.Push(b)
}

// target is the stream a watermark, barrier or close directive goes to.
func (h *Harness) target(d *datadriven.TestData, f func(exec.Stream) error) error {
	s, _, ok, err := h.port(d)
	if err != nil {
		return err
	}
	if ok {
		return f(s)
	}
	return h.withOp(f)
}
