package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// loadConnector is the connector whose tables live in the store, filled
// from a file before any source starts (CREATE TABLE ... WITH (connector =
// 'file', ...)). Other connectors' tables are external lookup tables.
const loadConnector = "file"

// isStoreTable reports whether t is a DuckDB table of the pipeline: one
// without WITH, or one loaded from a file.
func isStoreTable(t *catalog.Table) bool {
	return t.Connector == "" || strings.EqualFold(t.Connector, loadConnector)
}

// tableLoad is the source definition that fills a file-loaded table: the
// table's schema, key and WITH options, decoded by the file connector like
// any source (bad records go to errors_<table>, on_error applies). Only
// plain formats qualify, and the file is read once, so it must be bounded.
func (p *planner) tableLoad(t *catalog.Table, name parser.Ident) (*catalog.Source, error) {
	src := &catalog.Source{
		Name: t.Name, Schema: t.Schema, PrimaryKey: t.PrimaryKey,
		Connector: t.Connector, Options: t.Options, Pos: t.Pos,
	}
	opt, _ := src.Options.Lookup("format")
	if _, ok := formatModes[strings.ToLower(strings.TrimSpace(opt.Value))]; !ok {
		return nil, p.errorf(opt.Pos, "table %s: unknown format '%s'%s", t.Name, opt.Value, didYouMean(opt.Value, []string{"json", "csv"}))
	}
	if err := p.sourceFormat(src, name); err != nil {
		return nil, err
	}
	if src.Changelog != catalog.AppendOnly {
		return nil, p.errorf(opt.Pos, "table %s: format '%s' carries a changelog; a table loaded from a file needs 'json' or 'csv'", t.Name, src.Format)
	}
	if opt, ok := src.Options.Lookup("bounded"); ok && strings.EqualFold(strings.TrimSpace(opt.Value), "false") {
		return nil, p.errorf(opt.Pos, "table %s: a table is loaded once before sources start, so its file must be bounded", t.Name)
	}
	return src, nil
}
