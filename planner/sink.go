package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// createSink resolves CREATE SINK ... FROM relation | AS query WITH (...)
// into a catalog.Sink and a SinkWriteNode root. A sink FROM a plain view
// plans the view's query in place; FROM a materialized view it reads the
// view's changelog (a ViewScan).
func (p *planner) createSink(st *parser.CreateSink) error {
	k := strings.ToLower(st.Name.Name)
	if prev, ok := p.cat.Sinks[k]; ok {
		line, col := p.lineCol(prev.Pos)
		return p.errorf(st.Name.Pos, "sink %s already exists (defined at %d:%d)", st.Name.Name, line, col)
	}
	sink := &catalog.Sink{Name: st.Name.Name, Pos: st.Span().Start}
	var err error
	if sink.Options, err = p.options(st.With); err != nil {
		return err
	}
	if sink.Connector, err = p.requireConnector("sink", st.Name, sink.Options); err != nil {
		return err
	}
	sink.Format = strings.ToLower(strings.TrimSpace(sink.Options.String("format", "")))
	var phys Physical
	if st.From != nil {
		sink.From = st.From.Name
		phys, err = p.sinkFrom(*st.From)
	} else {
		_, phys, err = p.planAndLower(st.Query)
	}
	if err != nil {
		return err
	}
	sink.Schema = phys.Props().Schema
	p.cat.Sinks[k] = sink
	p.out.Roots = append(p.out.Roots, &SinkWriteNode{P: copyProps(phys.Props()), Input: phys, Sink: sink})
	return nil
}

// sinkFrom plans the relation a CREATE SINK ... FROM names.
func (p *planner) sinkFrom(from parser.Ident) (Physical, error) {
	rel, err := p.relation(from.Name, from.Pos)
	if err != nil {
		return nil, err
	}
	phys, err := lower(optimize(rel))
	if err != nil {
		return nil, p.errorf(from.Pos, "%s", err.Error())
	}
	return phys, nil
}
