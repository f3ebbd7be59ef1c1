package file

import (
	"fmt"
	"github.com/sqlstream/sqlstream/exec"
	"sort"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sources/format"
)

// OnError says what a bad record does.
type OnError uint8

const (
	Continue OnError = iota // report it to errors_<source> and go on
	Fail                    // stop the source with an error
)

// ParseOnError parses the 'on_error' option ("continue" or "fail").
func ParseOnError(s string) (OnError, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "continue", "skip", "log":
		return Continue, nil
	case "fail":
		return Fail, nil
	}
	return 0, exec.OptionErrorf("on_error", "option 'on_error' = '%s': want 'continue' or 'fail'", s)
}

// config is a file source's options, validated.
type config struct {
	path    string
	format  format.Format
	opts    format.Options
	bounded bool
	onError OnError
}

var knownOptions = []string{"connector", "path", "format", "bounded", "on_error", "csv.header", "csv.delimiter", "csv.null"}

func parseConfig(def *catalog.Source) (config, error) {
	cfg := config{opts: format.DefaultOptions(), bounded: true}
	if err := unknownOptions(def.Options, knownOptions); err != nil {
		return cfg, err
	}
	var ok bool
	if cfg.path, ok = def.Options.Get("path"); !ok || strings.TrimSpace(cfg.path) == "" {
		return cfg, fmt.Errorf("option 'path' is required for connector 'file'")
	}
	f := def.Format
	if f == "" {
		f = def.Options.String("format", "")
	}
	var err error
	if cfg.format, err = format.ParseFormat(f); err != nil {
		return cfg, err
	}
	if err = format.CheckSchema(def.Schema); err != nil {
		return cfg, err
	}
	cfg.opts.Key = def.PrimaryKey
	if cfg.format == format.UpsertJSON && len(def.PrimaryKey) == 0 {
		return cfg, exec.OptionErrorf("format", "format '%s' needs a PRIMARY KEY (the upsert key)", f)
	}
	if cfg.bounded, err = boolOption(def.Options, "bounded", true); err != nil {
		return cfg, err
	}
	if cfg.opts.CSVHeader, err = boolOption(def.Options, "csv.header", true); err != nil {
		return cfg, err
	}
	if d, ok := def.Options.Get("csv.delimiter"); ok {
		if d == `\t` || d == "tab" {
			d = "\t"
		}
		if len(d) != 1 || d[0] == '"' || d[0] == '\n' {
			return cfg, exec.OptionErrorf("csv.delimiter", "option 'csv.delimiter' = '%s': want a single character other than a quote", d)
		}
		cfg.opts.CSVDelimiter = d[0]
	}
	cfg.opts.CSVNull = def.Options.String("csv.null", "")
	cfg.onError, err = ParseOnError(def.Options.String("on_error", ""))
	return cfg, err
}

func boolOption(o catalog.Options, key string, def bool) (bool, error) {
	v, ok := o.Get(key)
	if !ok {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, exec.OptionErrorf(key, "option '%s' = '%s': want 'true' or 'false'", key, v)
}

// unknownOptions names the first option not in known.
func unknownOptions(o catalog.Options, known []string) error {
	for _, opt := range o {
		found := false
		for _, k := range known {
			if strings.EqualFold(opt.Key, k) {
				found = true
				break
			}
		}
		if !found {
			k := append([]string(nil), known...)
			sort.Strings(k)
			return exec.OptionErrorf(opt.Key, "unknown option '%s' (known: %s)", opt.Key, strings.Join(k, ", "))
		}
	}
	return nil
}
