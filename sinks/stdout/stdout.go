// Package stdout is the 'stdout' sink connector: it prints the changelog
// it receives, one line per row, for debugging and demos.
//
//	WITH (connector = 'stdout', format = 'changelog')  -- default
//	+I 1 eu 2.50
//	-U 1 eu 2.50
//	+U 1 eu 3.00
//
//	WITH (connector = 'stdout', format = 'json')
//	{"op":"+I","id":1,"region":"eu","amount":2.50}
//
// The changelog format is the style of the operator goldens (DESIGN.md): the
// op, then each value as sinks/render prints it, space-separated; NULL is
// NULL and a value that is empty, has spaces or quotes, or reads NULL is
// quoted 'like this'. Output is buffered and flushed at every barrier and
// at Close.
package stdout

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// Format is the line format of the sink.
type Format uint8

const (
	// Changelog prints `+I v1 v2 ...`.
	Changelog Format = iota
	// JSON prints one object per row with the op under "op".
	JSON
)

// ParseFormat parses the format option ("" is Changelog).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "", "changelog":
		return Changelog, nil
	case "json":
		return JSON, nil
	}
	return 0, fmt.Errorf("stdout sink: unknown format %q (want 'changelog' or 'json')", s)
}

// Output is where sinks opened through the registry write. Tests and
// embedders may replace it before opening.
var Output io.Writer = os.Stdout

func init() {
	exec.RegisterSink("stdout", open)
}

func open(_ context.Context, def *catalog.Sink, env exec.SinkEnv) (exec.Sink, error) {
	format := def.Format
	if f, ok := def.Options.Get("format"); ok {
		format = f
	}
	f, err := ParseFormat(format)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", def.Name, err)
	}
	var names []string
	if env.Schema != nil {
		for _, fld := range env.Schema.Fields() {
			names = append(names, fld.Name)
		}
	}
	return New(Output, f, names), nil
}

// Sink prints rows to a writer.
type Sink struct {
	w      *bufio.Writer
	format Format
	keys   [][]byte // JSON keys `"name":` per column
	line   []byte
}

var _ exec.Sink = (*Sink)(nil)

// New returns a sink printing to w in format f. names are the column names
// (used by the JSON format; when nil, the batch schema's names are used).
func New(w io.Writer, f Format, names []string) *Sink {
	s := &Sink{w: bufio.NewWriterSize(w, 64<<10), format: f}
	s.setKeys(names)
	return s
}

func (s *Sink) setKeys(names []string) {
	s.keys = s.keys[:0]
	for _, n := range names {
		s.keys = append(s.keys, append(render.AppendJSONString(nil, n), ':'))
	}
}

// Push prints every row of b. It borrows b.
func (s *Sink) Push(b exec.Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	cols := render.Columns(b.Rec)
	if s.format == JSON && len(s.keys) != len(cols) {
		names := make([]string, len(cols))
		for j, f := range b.Rec.Schema().Fields() {
			names[j] = f.Name
		}
		s.setKeys(names)
	}
	for i := range n {
		s.line = s.appendRow(s.line[:0], b.Op(i), cols, i)
		if _, err := s.w.Write(s.line); err != nil {
			return fmt.Errorf("stdout sink: %w", err)
		}
	}
	return nil
}

func (s *Sink) appendRow(dst []byte, op exec.Op, cols []render.Column, i int) []byte {
	if s.format == JSON {
		dst = append(dst, `{"op":"`...)
		dst = append(dst, op.String()...)
		dst = append(dst, '"')
		for j, c := range cols {
			dst = append(dst, ',')
			dst = append(dst, s.keys[j]...)
			dst = c.AppendJSON(dst, i)
		}
		return append(dst, '}', '\n')
	}
	dst = append(dst, op.String()...)
	for _, c := range cols {
		dst = append(dst, ' ')
		dst = c.AppendToken(dst, i)
	}
	return append(dst, '\n')
}

// Watermark is ignored.
func (s *Sink) Watermark(int64) error { return nil }

// Barrier flushes the buffered lines.
func (s *Sink) Barrier(uint64) error { return s.flush() }

// Close flushes the buffered lines. It does not close the writer.
func (s *Sink) Close() error { return s.flush() }

func (s *Sink) flush() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("stdout sink: %w", err)
	}
	return nil
}
