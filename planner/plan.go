package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// PlanFile resolves the catalog of a parsed pipeline file and plans every
// statement in file order. The first error is returned as a positioned
// *parser.Error (file:line:col, the source line and a caret). (It cannot be
// called Plan: that is the name of its result type.)
func PlanFile(f *parser.File) (*Plan, error) {
	p := &planner{
		file:  f,
		cat:   catalog.New(),
		views: map[string]Logical{},
		inits: map[string]*TableInit{},
		out:   &Plan{File: f.Name},
	}
	p.out.Catalog = p.cat
	for _, st := range f.Statements {
		if err := p.statement(st); err != nil {
			return nil, err
		}
	}
	return p.out, nil
}

// planner holds the state of planning one file.
type planner struct {
	file *parser.File
	cat  *catalog.Catalog
	// views holds the optimized logical plan of every view, plain or
	// materialized, by lower-cased name; queries reading a plain view
	// inline it (a materialized view is read with a LogicalViewScan).
	views map[string]Logical
	inits map[string]*TableInit // DuckDB tables by lower-cased name
	out   *Plan
	// stateTTLMs is SET 'state.ttl' as of the statement being planned
	// (0: none); stateful nodes planned afterwards carry it.
	stateTTLMs int64
}

func (p *planner) statement(st parser.Statement) error {
	switch st := st.(type) {
	case *parser.CreateSource:
		return p.createSource(st)
	case *parser.CreateTable:
		return p.createTable(st)
	case *parser.CreateView:
		return p.createView(st)
	case *parser.CreateSink:
		return p.createSink(st)
	case *parser.Insert:
		return p.insert(st)
	case *parser.Set:
		return p.set(st)
	}
	return p.errorf(st.Span().Start, "unsupported statement %T", st)
}

// claimName checks that a new source, table or view name is free. It
// returns skip=true for an existing name under IF NOT EXISTS.
func (p *planner) claimName(name parser.Ident, ifNotExists bool) (skip bool, err error) {
	if existing, ok := p.cat.Relation(name.Name); ok {
		if ifNotExists {
			return true, nil
		}
		kind, pos := describe(existing)
		line, col := p.lineCol(pos)
		return false, p.errorf(name.Pos, "%s already exists (%s defined at %d:%d)", name.Name, kind, line, col)
	}
	return false, nil
}

// describe names the kind of a catalog object and its position.
func describe(obj any) (string, int) {
	switch o := obj.(type) {
	case *catalog.Source:
		return "source", o.Pos
	case *catalog.Table:
		return "table", o.Pos
	case *catalog.View:
		if o.Materialized {
			return "materialized view", o.Pos
		}
		return "view", o.Pos
	}
	return "object", 0
}

// lineCol converts a file offset to 1-based line and column.
func (p *planner) lineCol(off int) (int, int) {
	if off > len(p.file.Text) {
		off = len(p.file.Text)
	}
	before := p.file.Text[:off]
	line := strings.Count(before, "\n") + 1
	return line, off - strings.LastIndexByte(before, '\n')
}

// options converts a WITH clause, rejecting repeated keys.
func (p *planner) options(with []parser.Option) (catalog.Options, error) {
	out := make(catalog.Options, 0, len(with))
	for _, o := range with {
		if prev, ok := out.Lookup(o.Key); ok {
			line, col := p.lineCol(prev.Pos)
			return nil, p.errorf(o.KeyPos, "WITH option '%s' given twice (first at %d:%d)", o.Key, line, col)
		}
		out = append(out, catalog.Option{Key: o.Key, Value: o.Value, Pos: o.KeyPos})
	}
	return out, nil
}

// requireConnector returns the 'connector' option of a source or sink.
func (p *planner) requireConnector(kind string, name parser.Ident, opts catalog.Options) (string, error) {
	c, ok := opts.Get("connector")
	if !ok || strings.TrimSpace(c) == "" {
		return "", p.errorf(name.Pos, "%s %s: missing WITH option 'connector'", kind, name.Name)
	}
	return strings.ToLower(strings.TrimSpace(c)), nil
}
