package exectest

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/expr"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// CompileOne binds and compiles one SQL expression over schema in.
func CompileOne(in catalog.Schema, sql string, now time.Time) (expr.Kernel, error) {
	e, err := BindOne(in, sql)
	if err != nil {
		return nil, err
	}
	k, err := expr.Compile(e, expr.Options{Now: now})
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", e, err)
	}
	return k, nil
}

// CompilePredicate binds and compiles one SQL condition over schema in.
func CompilePredicate(in catalog.Schema, sql string, now time.Time) (*expr.Predicate, error) {
	e, err := BindOne(in, sql)
	if err != nil {
		return nil, err
	}
	p, err := expr.CompilePredicate(e, expr.Options{Now: now})
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", e, err)
	}
	return p, nil
}

// CompileProjection binds a SELECT list over in and returns the output
// schema and one Project column per item (column references pass the input
// array through, as the plan builder does).
func CompileProjection(in catalog.Schema, list string, now time.Time) (*arrow.Schema, []exec.ProjectColumn, error) {
	bound, err := Bind(in, list)
	if err != nil {
		return nil, nil, err
	}
	var out catalog.Schema
	cols := make([]exec.ProjectColumn, len(bound))
	for i, b := range bound {
		out.Columns = append(out.Columns, catalog.Column{Name: b.Name, Type: b.Expr.Type()})
		if c, ok := b.Expr.(*scalar.ColRef); ok {
			cols[i] = exec.PassColumn(c.Index)
			continue
		}
		k, err := expr.Compile(b.Expr, expr.Options{Now: now})
		if err != nil {
			return nil, nil, fmt.Errorf("compile %s: %w", b.Expr, err)
		}
		cols[i] = exec.ComputedColumn(k)
	}
	return out.Arrow(), cols, nil
}
