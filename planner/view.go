package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// createView binds CREATE [MATERIALIZED] VIEW. Both kinds are planned now,
// so errors surface at the definition. Later queries inline a plain view's
// plan; a materialized view adds a MaterializeNode root, and later queries
// read its changelog with a ViewScan instead of recomputing it.
func (p *planner) createView(st *parser.CreateView) error {
	if skip, err := p.claimName(st.Name, st.IfNotExists); skip || err != nil {
		return err
	}
	logical, phys, err := p.planAndLower(st.Query)
	if err != nil {
		return err
	}
	props := phys.Props()
	view := &catalog.View{
		Name:         st.Name.Name,
		Schema:       props.Schema,
		Materialized: st.Materialized,
		Key:          props.Key,
		Changelog:    props.Mode,
		Time:         props.Time,
		Pos:          st.Span().Start,
	}
	k := strings.ToLower(view.Name)
	p.cat.Views[k] = view
	p.views[k] = logical
	if st.Materialized {
		p.out.Roots = append(p.out.Roots, &MaterializeNode{P: copyProps(props), Input: phys, View: view})
	}
	return nil
}

// planAndLower plans a query and lowers it to a physical plan.
func (p *planner) planAndLower(q *parser.Query) (Logical, Physical, error) {
	logical, err := p.planQuery(q)
	if err != nil {
		return nil, nil, err
	}
	phys, err := lower(logical)
	if err != nil {
		return nil, nil, p.positioned(err, queryLocator(q), q.Offset)
	}
	return logical, phys, nil
}

// copyProps returns the props of a node's input as the props of a root
// that passes it through (materialize, sink write).
func copyProps(in *Props) Props {
	return Props{Schema: in.Schema, Mode: in.Mode, Key: in.Key}
}
