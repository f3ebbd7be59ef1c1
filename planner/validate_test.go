package planner

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sqlstream/sqlstream/parser"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// validatePlan checks the invariants exec relies on for every node of a
// plan: keys and column references within the schemas, equal key types
// on both sides of a join, aggregate types per the AggCall rules.
func validatePlan(p *Plan) error {
	built := map[*catalog.View]bool{}
	for _, r := range p.Roots {
		if err := validateNode(r); err != nil {
			return fmt.Errorf("%s: %w", nodeLine(r, nil), err)
		}
		if err := validateViewScans(r, built); err != nil {
			return fmt.Errorf("%s: %w", nodeLine(r, nil), err)
		}
		if m, ok := r.(*MaterializeNode); ok {
			built[m.View] = true
		}
	}
	return nil
}

// validateViewScans checks that every view scan under n reads a
// materialized view whose root comes earlier (exec builds roots in order
// and attaches a reader to an already-built view), with the view's props.
func validateViewScans(n Physical, built map[*catalog.View]bool) error {
	if v, ok := n.(*ViewScan); ok {
		if !v.View.Materialized || !built[v.View] {
			return fmt.Errorf("view-scan %s: not a materialized view built earlier", v.View.Name)
		}
		if v.P.Schema.String() != v.View.Schema.String() || v.P.Mode != v.View.Changelog {
			return fmt.Errorf("view-scan %s: props differ from the view's", v.View.Name)
		}
	}
	for _, in := range n.Inputs() {
		if err := validateViewScans(in, built); err != nil {
			return err
		}
	}
	return nil
}

func validateNode(n Physical) error {
	for _, in := range n.Inputs() {
		if err := validateNode(in); err != nil {
			return err
		}
	}
	pr := n.Props()
	for _, k := range pr.Key {
		if k < 0 || k >= pr.Schema.Len() {
			return fmt.Errorf("key column %d outside %s", k, pr.Schema)
		}
	}
	switch n := n.(type) {
	case *ProjectNode:
		return checkRefs(n.Exprs, n.Input.Props().Schema)
	case *FilterNode:
		return checkRefs([]scalar.Expr{n.Cond}, n.Input.Props().Schema)
	case *HashAggNode:
		return validateAgg(n)
	case *JoinNode:
		return validateJoin(n)
	case *LookupJoinNode:
		return validateLookup(n)
	}
	return nil
}

func checkRefs(es []scalar.Expr, s catalog.Schema) error {
	var err error
	for _, e := range es {
		if e == nil {
			continue
		}
		mapColRefs(e, func(r *scalar.ColRef) scalar.Expr {
			if r.Index < 0 || r.Index >= s.Len() || !s.Columns[r.Index].Type.Equal(r.T) {
				err = fmt.Errorf("column reference %s#%d:%s does not match %s", r.Name, r.Index, r.T, s)
			}
			return r
		})
	}
	return err
}

func validateAgg(n *HashAggNode) error {
	in := n.Input.Props().Schema
	if n.P.Schema.Len() != len(n.GroupBy)+len(n.Aggs) {
		return fmt.Errorf("hash-agg outputs %d columns for %d groups and %d aggregates", n.P.Schema.Len(), len(n.GroupBy), len(n.Aggs))
	}
	for _, a := range n.Aggs {
		if a.Filter >= 0 && in.Columns[a.Filter].Type.ID != catalog.Boolean {
			return fmt.Errorf("filter column %d is %s", a.Filter, in.Columns[a.Filter].Type)
		}
		if a.Func == AggCountStar {
			continue
		}
		want, err := aggType(a.Func, in.Columns[a.Arg].Type)
		if err != nil || !want.Equal(a.T) {
			return fmt.Errorf("%s over %s typed %s", a.Func, in.Columns[a.Arg].Type, a.T)
		}
	}
	return nil
}

func validateJoin(n *JoinNode) error {
	l, r := n.Left.Props().Schema, n.Right.Props().Schema
	if n.P.Schema.Len() != l.Len()+r.Len() {
		return fmt.Errorf("join outputs %d columns, inputs %d + %d", n.P.Schema.Len(), l.Len(), r.Len())
	}
	for i := range n.LeftKeys {
		if !l.Columns[n.LeftKeys[i]].Type.Equal(r.Columns[n.RightKeys[i]].Type) {
			return fmt.Errorf("join key %d types differ: %s vs %s", i, l.Columns[n.LeftKeys[i]].Type, r.Columns[n.RightKeys[i]].Type)
		}
	}
	return checkRefs([]scalar.Expr{n.Residual}, n.P.Schema)
}

func validateLookup(n *LookupJoinNode) error {
	in := n.Input.Props().Schema
	for i := range n.InputKeys {
		if !in.Columns[n.InputKeys[i]].Type.Equal(n.Table.Schema.Columns[n.TableKeys[i]].Type) {
			return fmt.Errorf("lookup key %d types differ", i)
		}
	}
	return checkRefs([]scalar.Expr{n.Residual}, n.P.Schema)
}

// TestQueriesPlanValid plans every pipeline under queries/ and checks
// the plan invariants.
func TestQueriesPlanValid(t *testing.T) {
	files, _ := filepath.Glob("../queries/*/*.sql")
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.Parse(path, string(b))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		p, err := PlanFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if err := validatePlan(p); err != nil {
			t.Errorf("%s: invalid plan: %v", path, err)
		}
	}
}
