package catalog

import "strings"

// ChangelogMode says which row kinds a stream carries.
type ChangelogMode uint8

const (
	// AppendOnly streams carry only +I rows.
	AppendOnly ChangelogMode = iota
	// Retract streams carry +I, -U, +U and -D, each -U/-D with the full old row.
	Retract
	// Upsert streams carry +I/+U/-D keyed by a unique key; -U may be absent
	// and -D may carry only the key columns.
	Upsert
)

func (m ChangelogMode) String() string {
	switch m {
	case AppendOnly:
		return "append-only"
	case Retract:
		return "retract"
	case Upsert:
		return "upsert"
	}
	return "?"
}

// Watermark is a source's `WATERMARK FOR col AS col - INTERVAL d`. The
// watermark is the largest event time seen minus Delay.
type Watermark struct {
	Column  int    // index of the event-time column (TIMESTAMP)
	DelayMs int64  // milliseconds subtracted from the max event time
	Text    string // the expression as written, for EXPLAIN
}

// Source is a CREATE SOURCE: an unbounded or bounded input stream.
type Source struct {
	Name       string
	Schema     Schema
	PrimaryKey []int // column indexes; empty when none is declared
	Watermark  *Watermark
	Connector  string // "file", "datagen", "kafka", ...
	Format     string // "json", "csv", "debezium-json", ... ("" when the connector has none)
	Options    Options
	// Changelog is AppendOnly for plain formats and Retract/Upsert for CDC
	// formats; it is derived from Format by the planner.
	Changelog ChangelogMode
	Pos       int // byte offset of the statement, for errors
}

// Table is a CREATE TABLE: a DuckDB table (Connector "") or an external
// lookup table. Joins to tables are lookup joins.
type Table struct {
	Name       string
	Schema     Schema
	PrimaryKey []int
	Connector  string
	Options    Options
	Pos        int
}

// View is a CREATE VIEW or CREATE MATERIALIZED VIEW after binding. Plain
// views are inlined where used; materialized views are maintained and stored.
type View struct {
	Name         string
	Schema       Schema
	Materialized bool
	// Key is the unique key the planner derived for the view's rows (column
	// indexes); empty when rows are not unique. Materialized views are
	// upserted by it.
	Key       []int
	Changelog ChangelogMode
	// Time are the event-time columns of the view's rows (column indexes):
	// the columns its root's watermark bounds, so windows, interval joins
	// and OVER can read a materialized view as they read a source with a
	// WATERMARK. Empty when the view's stream has no event time.
	Time []int
	Pos  int
}

// Sink is a CREATE SINK: the changes of a view or query sent to a connector.
type Sink struct {
	Name      string
	From      string // the view it reads, or "" for CREATE SINK ... AS SELECT
	Schema    Schema
	Connector string
	Format    string
	Options   Options
	Pos       int
}

// Catalog holds every object of one pipeline by lower-cased name. Sources,
// tables and views share one namespace.
type Catalog struct {
	Sources  map[string]*Source
	Tables   map[string]*Table
	Views    map[string]*View
	Sinks    map[string]*Sink
	Settings Options // SET 'key' = 'value' statements, in order
}

// New returns an empty catalog.
func New() *Catalog {
	return &Catalog{
		Sources: map[string]*Source{},
		Tables:  map[string]*Table{},
		Views:   map[string]*View{},
		Sinks:   map[string]*Sink{},
	}
}

// Relation returns whichever source, table or view has the name.
func (c *Catalog) Relation(name string) (any, bool) {
	k := strings.ToLower(name)
	if s, ok := c.Sources[k]; ok {
		return s, true
	}
	if t, ok := c.Tables[k]; ok {
		return t, true
	}
	if v, ok := c.Views[k]; ok {
		return v, true
	}
	return nil, false
}

// Names returns every relation name, for "did you mean" suggestions.
func (c *Catalog) Names() []string {
	var out []string
	for _, s := range c.Sources {
		out = append(out, s.Name)
	}
	for _, t := range c.Tables {
		out = append(out, t.Name)
	}
	for _, v := range c.Views {
		out = append(out, v.Name)
	}
	return out
}
