package parser

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// Statement is one statement of a pipeline file. The set is sealed: the
// planner switches over the concrete types below.
type Statement interface {
	// Span is the statement's byte range in File.Text, without the ';'.
	Span() Span
	stmt()
}

// Span is a half-open byte range [Start, End) in the pipeline file.
type Span struct{ Start, End int }

// Span returns itself, so that statement types embedding Span satisfy
// the Statement interface.
func (s Span) Span() Span { return s }

// Ident is a name with the byte offset where it is written.
type Ident struct {
	Name string
	Pos  int
}

// TypeSpec is a column type as written: Name upper-cased ("DECIMAL",
// "VARCHAR", "TIMESTAMP", "INT", ...), Params its parenthesized numbers.
type TypeSpec struct {
	Name   string
	Params []int
	Pos    int
}

// ColumnDef is a column of CREATE SOURCE / CREATE TABLE.
type ColumnDef struct {
	Name       Ident
	Type       TypeSpec
	NotNull    bool
	PrimaryKey bool // inline `col INT PRIMARY KEY`
}

// Option is one `key = 'value'` of a WITH clause; KeyPos/ValuePos are byte
// offsets of the key and the value.
type Option struct {
	Key, Value       string
	KeyPos, ValuePos int
}

// WatermarkDef is `WATERMARK FOR col AS expr`. Expr is parsed by TiDB
// (INTERVAL arithmetic is standard MySQL); ExprText is the text as written.
type WatermarkDef struct {
	Column   Ident
	Expr     ast.ExprNode
	ExprText string
	Pos      int
}

// Query is a SELECT (or UNION) handed to TiDB's parser, plus the streaming
// clauses the pre-pass lifted out of it.
//
// Offsets: the pre-pass replaces what it lifts with spaces, so a TiDB
// offset within Text plus Offset is the byte offset in the file.
type Query struct {
	Stmt   ast.ResultSetNode // *ast.SelectStmt or *ast.SetOprStmt
	Text   string            // the text TiDB parsed
	Offset int               // file offset of Text[0]
	// Windows are the window table functions of the FROM clause, in order
	// of appearance; the pre-pass replaces each with its table name so TiDB
	// sees a plain table reference (with the same alias).
	Windows []WindowTVF
	Emit    EmitMode
}

// WindowKind is the kind of a window table function.
type WindowKind uint8

const (
	Tumble WindowKind = iota + 1
	Hop
	Cumulate
	Session
)

// WindowTVF is TUMBLE/HOP/CUMULATE/SESSION(table, time_col, intervals...).
// Sizes are in milliseconds: Tumble [size], Hop [slide, size], Cumulate
// [step, max], Session [gap].
type WindowTVF struct {
	Kind    WindowKind
	Table   Ident
	TimeCol Ident
	Sizes   []int64
	Pos     int
}

// EmitMode is the EMIT clause of a view.
type EmitMode uint8

const (
	EmitOnUpdate EmitMode = iota
	EmitOnWindowClose
)

// CreateSource is CREATE SOURCE name (cols, [WATERMARK], [PRIMARY KEY]) WITH (...).
type CreateSource struct {
	Span
	Name        Ident
	IfNotExists bool
	Columns     []ColumnDef
	PrimaryKey  []Ident
	Watermark   *WatermarkDef
	With        []Option
}

// CreateTable is CREATE TABLE name (cols, [PRIMARY KEY]) [WITH (...)].
type CreateTable struct {
	Span
	Name        Ident
	IfNotExists bool
	Columns     []ColumnDef
	PrimaryKey  []Ident
	With        []Option // empty: a DuckDB table
}

// CreateView is CREATE [MATERIALIZED] VIEW name AS query [EMIT ON WINDOW CLOSE].
type CreateView struct {
	Span
	Name         Ident
	Materialized bool
	IfNotExists  bool
	Query        *Query
}

// CreateSink is CREATE SINK name FROM view WITH (...) or
// CREATE SINK name AS query WITH (...). Exactly one of From and Query is set.
type CreateSink struct {
	Span
	Name  Ident
	From  *Ident
	Query *Query
	With  []Option
}

// Insert is INSERT INTO table [(cols)] VALUES (...), ... or INSERT INTO
// table [(cols)] query. Exactly one of Values and Query is set.
type Insert struct {
	Span
	Table   Ident
	Columns []Ident
	Values  [][]ast.ExprNode
	Query   *Query
	// ValuesText/ValuesOffset locate Values' TiDB offsets in the file, as
	// Query.Text/Offset do.
	ValuesOffset int
}

// Set is SET 'key' = 'value'.
type Set struct {
	Span
	Key   Ident
	Value string
}

func (*CreateSource) stmt() {}
func (*CreateTable) stmt()  {}
func (*CreateView) stmt()   {}
func (*CreateSink) stmt()   {}
func (*Insert) stmt()       {}
func (*Set) stmt()          {}
