package parser

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
)

// dumpFile renders parsed statements for the golden tests.
func dumpFile(f *File) string {
	var b strings.Builder
	for _, st := range f.Statements {
		d := &dumper{f: f, b: &b}
		d.statement(st)
	}
	return b.String()
}

type dumper struct {
	f *File
	b *strings.Builder
}

func (d *dumper) at(off int) string {
	line, col := d.f.Position(off)
	return fmt.Sprintf("@%d:%d", line, col)
}

func (d *dumper) line(indent int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(d.b, format, args...)
	d.b.WriteByte('\n')
}

func (d *dumper) ident(id Ident) string { return id.Name + d.at(id.Pos) }

func (d *dumper) statement(st Statement) {
	sp := st.Span()
	switch s := st.(type) {
	case *CreateSource:
		d.line(0, "create source %s%s span %s-%s", d.ident(s.Name), notExists(s.IfNotExists), d.at(sp.Start), d.at(sp.End))
		d.table(s.Columns, s.PrimaryKey, s.With)
		if w := s.Watermark; w != nil {
			d.line(1, "watermark %s for %s as %q = %s", d.at(w.Pos), d.ident(w.Column), w.ExprText, restore(w.Expr))
			d.locations(2, w.Expr, w.Locate)
		}
	case *CreateTable:
		d.line(0, "create table %s%s span %s-%s", d.ident(s.Name), notExists(s.IfNotExists), d.at(sp.Start), d.at(sp.End))
		d.table(s.Columns, s.PrimaryKey, s.With)
	case *CreateView:
		kind := "view"
		if s.Materialized {
			kind = "materialized view"
		}
		d.line(0, "create %s %s%s span %s-%s", kind, d.ident(s.Name), notExists(s.IfNotExists), d.at(sp.Start), d.at(sp.End))
		d.query(s.Query)
	case *CreateSink:
		d.line(0, "create sink %s span %s-%s", d.ident(s.Name), d.at(sp.Start), d.at(sp.End))
		if s.From != nil {
			d.line(1, "from %s", d.ident(*s.From))
		}
		if s.Query != nil {
			d.query(s.Query)
		}
		d.options(s.With)
	case *Insert:
		d.line(0, "insert into %s span %s-%s", d.ident(s.Table), d.at(sp.Start), d.at(sp.End))
		for _, c := range s.Columns {
			d.line(1, "column %s", d.ident(c))
		}
		for _, row := range s.Values {
			vals := make([]string, len(row))
			for i, v := range row {
				vals[i] = restore(v) + d.at(s.Locate(v))
			}
			d.line(1, "values (%s)", strings.Join(vals, ", "))
		}
		if s.Query != nil {
			d.query(s.Query)
		}
	case *Set:
		d.line(0, "set %s = %q span %s-%s", d.ident(s.Key), s.Value, d.at(sp.Start), d.at(sp.End))
	default:
		d.line(0, "unknown statement %T", st)
	}
}

func notExists(b bool) string {
	if b {
		return " if not exists"
	}
	return ""
}

func (d *dumper) table(cols []ColumnDef, pk []Ident, with []Option) {
	for _, c := range cols {
		typ := c.Type.Name
		if len(c.Type.Params) > 0 {
			ps := make([]string, len(c.Type.Params))
			for i, p := range c.Type.Params {
				ps[i] = fmt.Sprint(p)
			}
			typ += "(" + strings.Join(ps, ",") + ")"
		}
		var flags string
		if c.NotNull {
			flags += " not null"
		}
		if c.PrimaryKey {
			flags += " primary key"
		}
		d.line(1, "column %s %s%s%s", d.ident(c.Name), typ, d.at(c.Type.Pos), flags)
	}
	if pk != nil {
		names := make([]string, len(pk))
		for i, id := range pk {
			names[i] = d.ident(id)
		}
		d.line(1, "primary key (%s)", strings.Join(names, ", "))
	}
	d.options(with)
}

func (d *dumper) options(with []Option) {
	for _, o := range with {
		d.line(1, "with %s%s = %q%s", o.Key, d.at(o.KeyPos), o.Value, d.at(o.ValuePos))
	}
}

func (d *dumper) query(q *Query) {
	d.line(1, "query %s: %s", d.at(q.Offset), restore(q.Stmt))
	for _, w := range q.Windows {
		d.line(2, "window %s %s on %s sizes=%v %s", w.Kind, d.ident(w.Table), d.ident(w.TimeCol), w.Sizes, d.at(w.Pos))
	}
	for _, f := range q.Filters {
		d.line(2, "filter %s on aggregate %s: %s", d.at(f.Pos), d.at(f.Agg), restore(f.Where))
	}
	for _, a := range q.AsOf {
		d.line(2, "as of %s table %s: %s", d.at(a.Pos), d.ident(a.Table), restore(a.Expr))
	}
	if q.Emit == EmitOnWindowClose {
		d.line(2, "emit on window close")
	}
	d.locations(2, q.Stmt, q.Locate)
	for _, f := range q.Filters {
		d.locations(2, f.Where, q.Locate)
	}
	for _, a := range q.AsOf {
		d.locations(2, a.Expr, q.Locate)
	}
}

// locations prints where Locate puts the named nodes of a tree.
func (d *dumper) locations(indent int, root ast.Node, locate func(ast.Node) int) {
	v := &nameVisitor{}
	root.Accept(v)
	for _, n := range v.nodes {
		off := locate(n)
		line, col := d.f.Position(off)
		end := off + 12
		if end > len(d.f.Text) {
			end = len(d.f.Text)
		}
		snippet := strings.ReplaceAll(d.f.Text[off:end], "\n", " ")
		d.line(indent, "%s %s @%d:%d %q", nodeKind(n), nodeName(n), line, col, snippet)
	}
}

type nameVisitor struct{ nodes []ast.Node }

func (v *nameVisitor) Enter(n ast.Node) (ast.Node, bool) {
	switch n.(type) {
	case *ast.ColumnNameExpr, *ast.TableName, *ast.FuncCallExpr, *ast.AggregateFuncExpr:
		v.nodes = append(v.nodes, n)
	}
	return n, false
}

func (v *nameVisitor) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func nodeKind(n ast.Node) string {
	switch n.(type) {
	case *ast.ColumnNameExpr:
		return "column"
	case *ast.TableName:
		return "table"
	case *ast.FuncCallExpr:
		return "func"
	case *ast.AggregateFuncExpr:
		return "agg"
	}
	return fmt.Sprintf("%T", n)
}

func nodeName(n ast.Node) string {
	switch x := n.(type) {
	case *ast.ColumnNameExpr:
		return x.Name.String()
	case *ast.TableName:
		return x.Name.O
	case *ast.FuncCallExpr:
		return x.FnName.O
	case *ast.AggregateFuncExpr:
		return x.F
	}
	return ""
}

func restore(n ast.Node) string {
	var b strings.Builder
	ctx := format.NewRestoreCtx(format.RestoreStringSingleQuotes|format.RestoreStringWithoutCharset|format.RestoreKeyWordUppercase|format.RestoreNameBackQuotes, &b)
	if err := n.Restore(ctx); err != nil {
		return "<restore error: " + err.Error() + ">"
	}
	return b.String()
}
