package file

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/compress"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Format is the file format of a sink.
type Format uint8

const (
	// Parquet writes Parquet files with row-group statistics.
	Parquet Format = iota
	// CSV writes RFC 4180 CSV files with a header line.
	CSV
)

// Ext is the file name extension of the format, without the dot.
func (f Format) Ext() string {
	if f == CSV {
		return "csv"
	}
	return "parquet"
}

func (f Format) String() string { return f.Ext() }

// DefaultRowGroupRows is the default 'parquet.row-group-rows' (DuckDB's
// own row group size).
const DefaultRowGroupRows = 122880

// knownOptions are the WITH options of the file sink.
var knownOptions = []string{
	"connector", "path", "format", "partition.by", "sort.by",
	"parquet.compression", "parquet.row-group-rows", "sink.retry.timeout",
}

// Config is a parsed file sink definition.
type Config struct {
	// Name is the sink's name, for errors.
	Name string
	// Dir is the root directory of the sink's files.
	Dir string
	// Format is the file format.
	Format Format
	// Schema is the sink's input schema.
	Schema *arrow.Schema
	// PartitionBy are the input columns that name the Hive-style
	// directories (col=value/...), outermost first. They are not written
	// into the files.
	PartitionBy []int
	// SortBy are the input columns each file is sorted by, ascending,
	// NULLs first.
	SortBy []int
	// Compression is the Parquet codec.
	Compression compress.Compression
	// RowGroupRows is the most rows of a Parquet row group.
	RowGroupRows int64
}

// partitionTypes are the column types a sink may partition by: ones whose
// text is a stable, readable directory name.
var partitionTypes = []catalog.TypeID{catalog.Date, catalog.Varchar, catalog.Int, catalog.BigInt, catalog.Boolean}

// ParseConfig checks def's options against its schema and returns the
// sink's configuration. Relative paths resolve against baseDir.
func ParseConfig(def *catalog.Sink, baseDir string) (Config, error) {
	cfg := Config{Name: def.Name, Schema: def.Schema.Arrow(), RowGroupRows: DefaultRowGroupRows, Compression: compress.Codecs.Zstd}
	if err := unknownOptions(def.Options); err != nil {
		return cfg, err
	}
	path, ok := def.Options.Get("path")
	if !ok || strings.TrimSpace(path) == "" {
		return cfg, exec.OptionErrorf("path", "option 'path' is required: the directory the files go to")
	}
	cfg.Dir = path
	if !filepath.IsAbs(path) && baseDir != "" {
		cfg.Dir = filepath.Join(baseDir, path)
	}
	switch f := strings.ToLower(strings.TrimSpace(def.Options.String("format", "parquet"))); f {
	case "parquet":
		cfg.Format = Parquet
	case "csv":
		cfg.Format = CSV
	default:
		return cfg, exec.OptionErrorf("format", "unknown format '%s' (want 'parquet' or 'csv')", f)
	}
	var err error
	if cfg.PartitionBy, err = columnList(def, "partition.by"); err != nil {
		return cfg, err
	}
	for _, i := range cfg.PartitionBy {
		c := def.Schema.Columns[i]
		if !slices.Contains(partitionTypes, c.Type.ID) {
			return cfg, exec.OptionErrorf("partition.by",
				"option 'partition.by': column %s is %s; partition by a DATE, VARCHAR, INT, BIGINT or BOOLEAN column (for a day of a timestamp, add DATE(ts) AS day to the query)",
				c.Name, c.Type)
		}
	}
	if len(cfg.PartitionBy) == def.Schema.Len() {
		return cfg, exec.OptionErrorf("partition.by", "option 'partition.by' names every column: nothing would be left to write in the files")
	}
	if cfg.SortBy, err = columnList(def, "sort.by"); err != nil {
		return cfg, err
	}
	for _, i := range cfg.SortBy {
		c := def.Schema.Columns[i]
		if c.Type.ID == catalog.Interval {
			return cfg, exec.OptionErrorf("sort.by", "option 'sort.by': cannot sort by %s column %s", c.Type, c.Name)
		}
		if slices.Contains(cfg.PartitionBy, i) {
			return cfg, exec.OptionErrorf("sort.by", "option 'sort.by': %s is a partition column, constant within each file", c.Name)
		}
	}
	for _, c := range def.Schema.Columns {
		if c.Type.ID == catalog.Interval || c.Type.ID == catalog.Null {
			return cfg, fmt.Errorf("column %s is %s, which a file cannot hold: cast it in the query", c.Name, c.Type)
		}
	}
	if v, ok := def.Options.Get("parquet.compression"); ok {
		if cfg.Compression, err = parseCompression(v); err != nil {
			return cfg, err
		}
	}
	if cfg.RowGroupRows, err = def.Options.Int("parquet.row-group-rows", DefaultRowGroupRows); err != nil {
		return cfg, exec.OptionErrorf("parquet.row-group-rows", "%v", err)
	}
	if cfg.RowGroupRows < 1 {
		return cfg, exec.OptionErrorf("parquet.row-group-rows", "option 'parquet.row-group-rows' = '%d': want a positive number of rows", cfg.RowGroupRows)
	}
	if cfg.Format == CSV {
		for _, k := range []string{"parquet.compression", "parquet.row-group-rows"} {
			if _, ok := def.Options.Get(k); ok {
				return cfg, exec.OptionErrorf(k, "option '%s' applies to format 'parquet', not 'csv'", k)
			}
		}
	}
	return cfg, nil
}

// parseCompression parses 'parquet.compression'.
func parseCompression(v string) (compress.Compression, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, exec.OptionErrorf("parquet.compression", "option 'parquet.compression' = '%s': want 'zstd', 'snappy', 'gzip' or 'none'", v)
}

// columnList parses a comma-separated list of column names into indexes
// of def's schema; absent is nil.
func columnList(def *catalog.Sink, key string) ([]int, error) {
	v, ok := def.Options.Get(key)
	if !ok {
		return nil, nil
	}
	var out []int
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, exec.OptionErrorf(key, "option '%s' = '%s': want a comma-separated list of column names", key, v)
		}
		i := def.Schema.Index(name)
		if i < 0 {
			return nil, exec.OptionErrorf(key, "option '%s': no column %s in the sink's input (columns: %s)", key, name, strings.Join(def.Schema.Names(), ", "))
		}
		if slices.Contains(out, i) {
			return nil, exec.OptionErrorf(key, "option '%s': column %s is listed twice", key, name)
		}
		out = append(out, i)
	}
	return out, nil
}

// unknownOptions names the first option the sink does not know.
func unknownOptions(o catalog.Options) error {
	for _, opt := range o {
		if !slices.ContainsFunc(knownOptions, func(k string) bool { return strings.EqualFold(k, opt.Key) }) {
			return exec.OptionErrorf(opt.Key, "unknown option '%s' (known: %s)", opt.Key, strings.Join(knownOptions, ", "))
		}
	}
	return nil
}

// CheckAppendOnly rejects a changelog input: the file sink only appends.
func CheckAppendOnly(name string, mode catalog.ChangelogMode) error {
	if mode == catalog.AppendOnly {
		return nil
	}
	return fmt.Errorf("sink %s: a file sink writes append-only data; its input is a changelog (%s: it updates or deletes earlier rows, which files cannot apply): sink an append-only view, or use a sink that takes changelogs", name, mode)
}
