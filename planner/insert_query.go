package planner

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// insertQuery plans INSERT INTO table [(cols)] SELECT: the query's columns
// are matched by position to the target columns, cast to their types, and
// unnamed columns are NULL. The root is a SinkWriteNode with Table set.
func (p *planner) insertQuery(t *catalog.Table, targets []int, st *parser.Insert) error {
	q, err := p.planQuery(st.Query)
	if err != nil {
		return err
	}
	qs := q.Schema()
	if qs.Len() != len(targets) {
		return p.errorf(st.Query.Offset, "INSERT INTO %s: the query has %d columns, %d expected", t.Name, qs.Len(), len(targets))
	}
	exprs := make([]scalar.Expr, t.Schema.Len())
	for j, c := range t.Schema.Columns {
		exprs[j] = &scalar.Literal{T: c.Type}
	}
	for i, j := range targets {
		col := t.Schema.Columns[j]
		ref := &scalar.ColRef{Index: i, Name: qs.Columns[i].Name, T: qs.Columns[i].Type}
		e, err := assignable(ref, col.Type)
		if err != nil {
			return p.errorf(selectFieldPos(st.Query, i), "INSERT INTO %s: column %s: %s", t.Name, col.Name, err.Error())
		}
		exprs[j] = e
	}
	root := optimize(&LogicalProject{Input: q, Exprs: exprs, Names: t.Schema.Names()})
	phys, err := lower(root)
	if err != nil {
		return p.positioned(err, queryLocator(st.Query), st.Query.Offset)
	}
	p.out.Roots = append(p.out.Roots, &SinkWriteNode{P: copyProps(phys.Props()), Input: phys, Table: t})
	return nil
}

// assignable returns e converted for storing into a column of type t:
// unchanged when the types are equal, wrapped in a Cast for numeric
// widenings and conversions, DATE/TIMESTAMP conversions and anything to
// VARCHAR; other combinations are a type mismatch.
func assignable(e scalar.Expr, t catalog.Type) (scalar.Expr, error) {
	from := e.Type()
	switch {
	case from.Equal(t):
		return e, nil
	case from.ID == catalog.Null,
		from.IsNumeric() && t.IsNumeric(),
		from.IsTemporal() && t.IsTemporal(),
		t.ID == catalog.Varchar,
		from.ID == catalog.Varchar && t.IsTemporal():
		return &scalar.Cast{Arg: e, T: t}, nil
	}
	return nil, typeMismatch(from, t)
}

// selectFieldPos locates the i-th output column of a query for errors:
// its SELECT field when the list has no wildcard, else the query.
func selectFieldPos(q *parser.Query, i int) int {
	sel, ok := q.Stmt.(*ast.SelectStmt)
	if !ok || sel.Fields == nil || i >= len(sel.Fields.Fields) {
		return q.Offset
	}
	for _, f := range sel.Fields.Fields[:i+1] {
		if f.WildCard != nil {
			return q.Offset
		}
	}
	return q.Locate(sel.Fields.Fields[i])
}
