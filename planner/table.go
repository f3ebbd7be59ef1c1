package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// createTable resolves CREATE TABLE. Without WITH it is a DuckDB table,
// created (and filled by INSERT ... VALUES) before sources start; with
// connector 'file' it is a DuckDB table filled from the file (TableInit.Load);
// with another connector it is an external lookup table read through it.
func (p *planner) createTable(st *parser.CreateTable) error {
	if skip, err := p.claimName(st.Name, st.IfNotExists); skip || err != nil {
		return err
	}
	t := &catalog.Table{Name: st.Name.Name, Pos: st.Span().Start}
	var err error
	if t.Schema, t.PrimaryKey, err = p.columns(st.Columns, st.PrimaryKey); err != nil {
		return err
	}
	if t.Options, err = p.options(st.With); err != nil {
		return err
	}
	if len(t.Options) > 0 {
		if t.Connector, err = p.requireConnector("table", st.Name, t.Options); err != nil {
			return err
		}
	}
	k := strings.ToLower(t.Name)
	p.cat.Tables[k] = t
	if isStoreTable(t) {
		init := &TableInit{Table: t}
		if t.Connector != "" {
			if init.Load, err = p.tableLoad(t, st.Name); err != nil {
				return err
			}
		}
		p.inits[k] = init
		p.out.Tables = append(p.out.Tables, init)
	}
	return nil
}

// insert plans INSERT INTO table VALUES (rows of the table's TableInit) or
// INSERT INTO table SELECT (a SinkWriteNode root writing the table).
func (p *planner) insert(st *parser.Insert) error {
	t, ok := p.cat.Tables[strings.ToLower(st.Table.Name)]
	if !ok {
		names := make([]string, 0, len(p.cat.Tables))
		for _, t := range p.cat.Tables {
			names = append(names, t.Name)
		}
		return p.errorf(st.Table.Pos, "unknown table %s%s", st.Table.Name, didYouMean(st.Table.Name, names))
	}
	targets, err := p.insertColumns(t, st.Columns)
	if err != nil {
		return err
	}
	if st.Query != nil {
		return p.insertQuery(t, targets, st)
	}
	return p.insertValues(t, targets, st)
}

// insertColumns maps an INSERT's column list to table column indexes; no
// list means every column in table order. Omitted columns become NULL, so
// they must be nullable.
func (p *planner) insertColumns(t *catalog.Table, cols []parser.Ident) ([]int, error) {
	if len(cols) == 0 {
		return identityMapping(t.Schema.Len()), nil
	}
	out := make([]int, len(cols))
	for i, c := range cols {
		j := t.Schema.Index(c.Name)
		if j < 0 {
			return nil, p.errorf(c.Pos, "table %s has no column %s%s", t.Name, c.Name, didYouMean(c.Name, t.Schema.Names()))
		}
		if indexOf(out[:i], j) >= 0 {
			return nil, p.errorf(c.Pos, "column %s is listed twice", c.Name)
		}
		out[i] = j
	}
	for j, c := range t.Schema.Columns {
		if c.NotNull && indexOf(out, j) < 0 {
			return nil, p.errorf(cols[0].Pos, "column %s of table %s is NOT NULL and gets no value", c.Name, t.Name)
		}
	}
	return out, nil
}
