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

// span is Span under another name: statement structs embed it so that the
// promoted Span() method is not shadowed by a field named Span (a struct
// cannot have a field and a method of the same name). Start and End are
// promoted too: st.Start, st.Span().End.
type span = Span

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
	ExprPos  int // file offset of ExprText; use Locate for nodes of Expr

	loc *locator
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
	// FullJoins are the file offsets of the first table name after each
	// `FULL [OUTER] JOIN`: TiDB has no full join, so the pre-pass hands it
	// `LEFT [OUTER] JOIN` and the planner turns the LEFT join whose right
	// side starts at one of these offsets into a FULL join.
	FullJoins []int
	// Filters are the lifted `agg(...) FILTER (WHERE cond)` clauses; TiDB
	// sees the bare aggregate call.
	Filters []AggFilter
	// AsOf are the lifted `table FOR SYSTEM_TIME AS OF expr` clauses of
	// lookup joins; TiDB sees the bare table reference.
	AsOf []AsOfJoin

	loc *locator
}

// AsOfJoin is `JOIN table FOR SYSTEM_TIME AS OF expr`. Table.Pos equals
// Query.Locate of the join's *ast.TableName; Expr's offsets are relative to
// the query like Query.Stmt's.
type AsOfJoin struct {
	Table Ident
	Expr  ast.ExprNode
	Pos   int // file offset of FOR
}

// AggFilter is `FILTER (WHERE cond)` after the aggregate call at file offset
// Agg, which equals Query.Locate of that *ast.AggregateFuncExpr. Where's
// TiDB offsets are relative to the query, like Query.Stmt's: locate its
// nodes with Query.Locate too.
type AggFilter struct {
	Agg   int
	Where ast.ExprNode
	Pos   int // file offset of FILTER
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
	span
	Name        Ident
	IfNotExists bool
	Columns     []ColumnDef
	PrimaryKey  []Ident
	Watermark   *WatermarkDef
	With        []Option
}

// CreateTable is CREATE TABLE name (cols, [PRIMARY KEY]) [WITH (...)].
type CreateTable struct {
	span
	Name        Ident
	IfNotExists bool
	Columns     []ColumnDef
	PrimaryKey  []Ident
	With        []Option // empty: a DuckDB table
}

// CreateView is CREATE [MATERIALIZED] VIEW name AS query [EMIT ON WINDOW CLOSE].
type CreateView struct {
	span
	Name         Ident
	Materialized bool
	IfNotExists  bool
	Query        *Query
}

// CreateSink is CREATE SINK name FROM view WITH (...) or
// CREATE SINK name AS query WITH (...). Exactly one of From and Query is set.
type CreateSink struct {
	span
	Name  Ident
	From  *Ident
	Query *Query
	With  []Option
}

// Insert is INSERT INTO table [(cols)] VALUES (...), ... or INSERT INTO
// table [(cols)] query. Exactly one of Values and Query is set.
type Insert struct {
	span
	Table   Ident
	Columns []Ident
	Values  [][]ast.ExprNode
	Query   *Query
	// ValuesText/ValuesOffset locate Values' TiDB offsets in the file, as
	// Query.Text/Offset do.
	ValuesText   string
	ValuesOffset int

	loc *locator
}

// Set is SET 'key' = 'value'.
type Set struct {
	span
	Key   Ident
	Value string
}

func (*CreateSource) stmt() {}
func (*CreateTable) stmt()  {}
func (*CreateView) stmt()   {}
func (*CreateSink) stmt()   {}
func (*Insert) stmt()       {}
func (*Set) stmt()          {}
