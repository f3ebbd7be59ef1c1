package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// PhysKind enumerates physical plan nodes.
type PhysKind uint8

const (
	PhysSource PhysKind = iota + 1
	PhysFilter
	PhysProject
	PhysMaterialize
	PhysSinkWrite
)

// Props are the properties every physical node derives and EXPLAIN prints.
type Props struct {
	Schema catalog.Schema
	Mode   catalog.ChangelogMode
	// Key is a unique key of the node's output rows (column indexes), nil
	// when none is known. For Upsert streams it is the upsert key.
	Key []int
	// Stateful is true for operators that keep state across batches.
	Stateful bool
	// Time are the event-time columns (TIMESTAMP) the stream's watermark
	// bounds: after Watermark(w), no row follows whose value in any of
	// these columns is below w (late rows are diverted at the source).
	// Empty when the stream has no event time (no WATERMARK upstream, or
	// an operator such as a regular join or an unwindowed aggregation
	// that can emit rows of any age). Windows, interval joins, the
	// unique-key join and OVER need an event-time column of their input.
	Time []int
}

// Physical is a node of a physical plan: a tree of operators whose leaves
// are sources. exec builds one operator per node.
type Physical interface {
	Kind() PhysKind
	Props() *Props
	Inputs() []Physical
}

// SourceScan reads a source. Columns are the source columns it outputs (a
// projection pushed into the scan); nil means all.
type SourceScan struct {
	P       Props
	Source  *catalog.Source
	Columns []int
}

// FilterNode keeps rows whose Cond is TRUE (not FALSE, not NULL).
type FilterNode struct {
	P     Props
	Input Physical
	Cond  scalar.Expr
}

// ProjectNode computes Exprs over each input row; output column i is
// Exprs[i], named P.Schema.Columns[i].Name. Ops pass through.
type ProjectNode struct {
	P     Props
	Input Physical
	Exprs []scalar.Expr
}

// MaterializeNode stores its input into the DuckDB table of a
// materialized view (upserting by P.Key when the input is not append-only).
type MaterializeNode struct {
	P     Props
	Input Physical
	View  *catalog.View
}

// SinkWriteNode sends its input to an external sink, or appends into a
// DuckDB table for INSERT INTO table SELECT (Table set, Sink nil).
type SinkWriteNode struct {
	P     Props
	Input Physical
	Sink  *catalog.Sink
	Table *catalog.Table
}

func (n *SourceScan) Kind() PhysKind      { return PhysSource }
func (n *FilterNode) Kind() PhysKind      { return PhysFilter }
func (n *ProjectNode) Kind() PhysKind     { return PhysProject }
func (n *MaterializeNode) Kind() PhysKind { return PhysMaterialize }
func (n *SinkWriteNode) Kind() PhysKind   { return PhysSinkWrite }

func (n *SourceScan) Props() *Props      { return &n.P }
func (n *FilterNode) Props() *Props      { return &n.P }
func (n *ProjectNode) Props() *Props     { return &n.P }
func (n *MaterializeNode) Props() *Props { return &n.P }
func (n *SinkWriteNode) Props() *Props   { return &n.P }

func (n *SourceScan) Inputs() []Physical      { return nil }
func (n *FilterNode) Inputs() []Physical      { return []Physical{n.Input} }
func (n *ProjectNode) Inputs() []Physical     { return []Physical{n.Input} }
func (n *MaterializeNode) Inputs() []Physical { return []Physical{n.Input} }
func (n *SinkWriteNode) Inputs() []Physical   { return []Physical{n.Input} }

// TableInit creates a DuckDB table and fills it before sources start
// (CREATE TABLE without WITH, plus its INSERT ... VALUES statements). Rows
// hold constant-folded literals in table column order.
type TableInit struct {
	Table *catalog.Table
	Rows  [][]*scalar.Literal
	// Load, when set, fills the table from a bounded source read to its
	// end before any source starts (CREATE TABLE ... WITH (connector =
	// 'file', ...)): the table's schema, key and options as a source
	// named after the table, so bad records go to errors_<table>.
	Load *catalog.Source
}

// Plan is a whole pipeline planned: its catalog, the tables to create and
// fill first, and one root (MaterializeNode or SinkWriteNode) per
// materialized view, sink and INSERT ... SELECT, in file order.
type Plan struct {
	File    string
	Catalog *catalog.Catalog
	Tables  []*TableInit
	Roots   []Physical
}
