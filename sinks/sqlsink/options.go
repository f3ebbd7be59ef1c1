package sqlsink

import (
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// DefaultEpochTable is the marker table's name unless 'sink.epoch-table'
// names another.
const DefaultEpochTable = "_sqlstream_epochs"

// DefaultRetryTimeout bounds a stream-mode sink's retries (Barrier without
// a checkpoint store) unless 'sink.retry.timeout' says otherwise.
const DefaultRetryTimeout = time.Minute

// Options are the WITH options of a postgres or mysql sink or lookup table.
type Options struct {
	DSN          string        // 'dsn', required
	Table        string        // 'table', the object's name by default; may be schema-qualified
	CreateTable  bool          // 'sink.create-table'
	EpochTable   string        // 'sink.epoch-table'
	RetryTimeout time.Duration // 'sink.retry.timeout'
}

// ParseOptions reads the options of a connector object named name. Errors
// are *exec.OptionError pointing at the offending option.
func ParseOptions(connector, name string, opts catalog.Options) (Options, error) {
	o := Options{Table: name, EpochTable: DefaultEpochTable}
	dsn, ok := opts.Get("dsn")
	if !ok || strings.TrimSpace(dsn) == "" {
		return o, exec.OptionErrorf("connector", "%s %s: option 'dsn' is required (the database to connect to)", connector, name)
	}
	o.DSN = strings.TrimSpace(dsn)
	if t, ok := opts.Get("table"); ok {
		if strings.TrimSpace(t) == "" {
			return o, exec.OptionErrorf("table", "%s %s: option 'table' is empty", connector, name)
		}
		o.Table = strings.TrimSpace(t)
	}
	if strings.Count(o.Table, ".") > 1 {
		return o, exec.OptionErrorf("table", "%s %s: table %q: want name or schema.name", connector, name, o.Table)
	}
	if v, ok := opts.Get("sink.create-table"); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			o.CreateTable = true
		case "false":
		default:
			return o, exec.OptionErrorf("sink.create-table", "%s %s: option 'sink.create-table' = '%s': want 'true' or 'false'", connector, name, v)
		}
	}
	if v, ok := opts.Get("sink.epoch-table"); ok {
		if strings.TrimSpace(v) == "" || strings.Count(v, ".") > 1 {
			return o, exec.OptionErrorf("sink.epoch-table", "%s %s: option 'sink.epoch-table' = '%s': want a table name", connector, name, v)
		}
		o.EpochTable = strings.TrimSpace(v)
	}
	d, err := opts.Duration("sink.retry.timeout", DefaultRetryTimeout)
	if err != nil {
		return o, exec.OptionErrorf("sink.retry.timeout", "%s %s: %v", connector, name, err)
	}
	o.RetryTimeout = d
	return o, nil
}

// SplitName splits a possibly qualified table name into schema ("" when
// unqualified) and table.
func SplitName(name string) (schema, table string) {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}
