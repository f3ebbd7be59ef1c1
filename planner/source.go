package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// formatModes maps every known source format to the changelog it carries.
// Upsert formats are keyed by the source's PRIMARY KEY.
var formatModes = map[string]catalog.ChangelogMode{
	"": catalog.AppendOnly, "json": catalog.AppendOnly, "csv": catalog.AppendOnly,
	"debezium-json": catalog.Retract, "canal-json": catalog.Retract, "maxwell-json": catalog.Retract,
	"upsert": catalog.Upsert, "upsert-json": catalog.Upsert,
}

// createSource resolves CREATE SOURCE into a catalog.Source.
func (p *planner) createSource(st *parser.CreateSource) error {
	if skip, err := p.claimName(st.Name, st.IfNotExists); skip || err != nil {
		return err
	}
	src := &catalog.Source{Name: st.Name.Name, Pos: st.Span().Start}
	var err error
	if src.Schema, src.PrimaryKey, err = p.columns(st.Columns, st.PrimaryKey); err != nil {
		return err
	}
	if src.Options, err = p.options(st.With); err != nil {
		return err
	}
	if src.Connector, err = p.requireConnector("source", st.Name, src.Options); err != nil {
		return err
	}
	if err := p.sourceFormat(src, st.Name); err != nil {
		return err
	}
	if st.Watermark != nil {
		if src.Watermark, err = p.watermark(src, st.Watermark); err != nil {
			return err
		}
	}
	p.cat.Sources[strings.ToLower(src.Name)] = src
	return nil
}

// sourceFormat sets Format and the changelog mode it implies.
func (p *planner) sourceFormat(src *catalog.Source, name parser.Ident) error {
	opt, _ := src.Options.Lookup("format")
	src.Format = strings.ToLower(strings.TrimSpace(opt.Value))
	mode, ok := formatModes[src.Format]
	if !ok {
		known := make([]string, 0, len(formatModes))
		for f := range formatModes {
			if f != "" {
				known = append(known, f)
			}
		}
		return p.errorf(opt.Pos, "source %s: unknown format '%s'%s", name.Name, opt.Value, didYouMean(src.Format, known))
	}
	if mode == catalog.Upsert && len(src.PrimaryKey) == 0 {
		return p.errorf(opt.Pos, "source %s: format '%s' needs a PRIMARY KEY (the upsert key)", name.Name, src.Format)
	}
	src.Changelog = mode
	if native, ok := catalog.NativeChangelogOf(src.Connector, src.Options); ok {
		src.Changelog = native
	}
	return nil
}

// columns resolves column definitions and the primary key. The parser
// reports an inline `id INT PRIMARY KEY` both on the column and in pk, so
// pk wins when given.
func (p *planner) columns(defs []parser.ColumnDef, pk []parser.Ident) (catalog.Schema, []int, error) {
	var s catalog.Schema
	var key []int
	for _, d := range defs {
		if i := s.Index(d.Name.Name); i >= 0 {
			return s, nil, p.errorf(d.Name.Pos, "column %s is declared twice", d.Name.Name)
		}
		t, err := p.columnType(d.Type)
		if err != nil {
			return s, nil, err
		}
		if d.PrimaryKey {
			key = append(key, s.Len())
		}
		s.Columns = append(s.Columns, catalog.Column{Name: d.Name.Name, Type: t, NotNull: d.NotNull || d.PrimaryKey})
	}
	if len(pk) == 0 {
		return s, key, nil
	}
	key = key[:0]
	for _, k := range pk {
		i := s.Index(k.Name)
		if i < 0 {
			return s, nil, p.errorf(k.Pos, "PRIMARY KEY column %s is not a column%s", k.Name, didYouMean(k.Name, s.Names()))
		}
		if indexOf(key, i) >= 0 {
			return s, nil, p.errorf(k.Pos, "PRIMARY KEY names column %s twice", k.Name)
		}
		key = append(key, i)
		s.Columns[i].NotNull = true
	}
	return s, key, nil
}
