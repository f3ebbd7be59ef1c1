package kafka

import (
	"sort"
	"strconv"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/format"
)

// startupMode is 'scan.startup.mode': where a source without a restored
// position starts reading each partition.
type startupMode uint8

const (
	startEarliest     startupMode = iota // the log start offset
	startLatest                          // the end offset at open
	startGroupOffsets                    // the group's committed offsets (earliest where none)
	startTimestamp                       // the first record at or after a time
)

// config is a Kafka source's options, validated.
type config struct {
	brokers   []string
	topics    []string
	format    format.Format
	opts      format.Options // for the payload decoder (Key in payload indexes)
	startup   startupMode
	startMs   int64  // scan.startup.timestamp-millis
	group     string // properties.group.id
	bounded   bool   // scan.bounded = 'latest'
	committed bool   // isolation read_committed
	failOnBad bool   // on_error = 'fail'
	clientID  string
	// payload are the indexes (in the source schema) of the columns
	// decoded from the record value, in order; meta the metadata columns.
	payload []int
	meta    []metaColumn
}

var knownOptions = []string{
	"connector", "format", "brokers", "properties.bootstrap.servers", "topic",
	"scan.startup.mode", "scan.startup.timestamp-millis", "properties.group.id",
	"scan.bounded", "properties.isolation.level", "properties.client.id",
	"on_error", "csv.delimiter", "csv.null",
}

// parseConfig validates def's options; every error is an
// *exec.OptionError naming the option at fault.
func parseConfig(def *catalog.Source) (config, error) {
	cfg := config{opts: format.DefaultOptions(), committed: true, clientID: "sqlstream"}
	cfg.opts.CSVHeader = false
	if err := unknownOptions(def.Options); err != nil {
		return cfg, err
	}
	brokerKey := "brokers"
	b, ok := def.Options.Get(brokerKey)
	if !ok {
		brokerKey = "properties.bootstrap.servers"
		b, ok = def.Options.Get(brokerKey)
	}
	if cfg.brokers = splitList(b); !ok || len(cfg.brokers) == 0 {
		return cfg, exec.OptionErrorf("brokers", "option 'brokers' is required for connector 'kafka' (host:port, comma-separated)")
	}
	for _, br := range cfg.brokers {
		if i := strings.LastIndexByte(br, ':'); i <= 0 || i == len(br)-1 {
			return cfg, exec.OptionErrorf(brokerKey, "option '%s': broker %q is not host:port", brokerKey, br)
		}
	}
	if cfg.topics = splitList(def.Options.String("topic", "")); len(cfg.topics) == 0 {
		return cfg, exec.OptionErrorf("topic", "option 'topic' is required for connector 'kafka' (one topic or a comma-separated list)")
	}
	seen := map[string]bool{}
	for _, t := range cfg.topics {
		if !validTopic(t) {
			return cfg, exec.OptionErrorf("topic", "option 'topic': %q is not a valid topic name (letters, digits, '.', '_', '-')", t)
		}
		if seen[t] {
			return cfg, exec.OptionErrorf("topic", "option 'topic': topic %q is listed twice", t)
		}
		seen[t] = true
	}
	if err := parseFormat(def, &cfg); err != nil {
		return cfg, err
	}
	if err := parseStartup(def, &cfg); err != nil {
		return cfg, err
	}
	if v, ok := def.Options.Get("scan.bounded"); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "latest", "latest-offset":
			cfg.bounded = true
		case "false", "none", "unbounded":
		default:
			return cfg, exec.OptionErrorf("scan.bounded", "option 'scan.bounded' = '%s': want 'latest' (stop at the end offsets of the start) or 'false'", v)
		}
	}
	if v, ok := def.Options.Get("properties.isolation.level"); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "read_committed":
		case "read_uncommitted":
			cfg.committed = false
		default:
			return cfg, exec.OptionErrorf("properties.isolation.level", "option 'properties.isolation.level' = '%s': want 'read_committed' or 'read_uncommitted'", v)
		}
	}
	if v, ok := def.Options.Get("properties.client.id"); ok && strings.TrimSpace(v) != "" {
		cfg.clientID = strings.TrimSpace(v)
	}
	switch v := strings.ToLower(strings.TrimSpace(def.Options.String("on_error", ""))); v {
	case "", "continue":
	case "fail":
		cfg.failOnBad = true
	default:
		return cfg, exec.OptionErrorf("on_error", "option 'on_error' = '%s': want 'continue' or 'fail'", v)
	}
	return cfg, nil
}

// parseFormat sets the format, the decoder options and the split of the
// schema into payload and metadata columns.
func parseFormat(def *catalog.Source, cfg *config) error {
	f := def.Format
	if f == "" {
		f = def.Options.String("format", "")
	}
	var err error
	if cfg.format, err = format.ParseFormat(f); err != nil {
		return exec.OptionErrorf("format", "%s", err.Error())
	}
	if cfg.payload, cfg.meta, err = splitColumns(def.Schema); err != nil {
		return err
	}
	if len(cfg.payload) == 0 {
		return exec.OptionErrorf("format", "source has only metadata columns: declare the columns of the record value")
	}
	if err := format.CheckSchema(payloadSchema(def.Schema, cfg.payload)); err != nil {
		return exec.OptionErrorf("format", "%s", err.Error())
	}
	pos := make(map[int]int, len(cfg.payload))
	for i, c := range cfg.payload {
		pos[c] = i
	}
	for _, k := range def.PrimaryKey {
		if cfg.format != format.UpsertJSON {
			break
		}
		p, ok := pos[k]
		if !ok {
			return exec.OptionErrorf("format", "format '%s': PRIMARY KEY column %s is a metadata column; the upsert key must be columns of the record",
				f, def.Schema.Columns[k].Name)
		}
		cfg.opts.Key = append(cfg.opts.Key, p)
	}
	if cfg.format == format.UpsertJSON && len(cfg.opts.Key) == 0 {
		return exec.OptionErrorf("format", "format '%s' needs a PRIMARY KEY (the upsert key, carried by the message key)", f)
	}
	if cfg.format != format.CSV {
		for _, k := range []string{"csv.delimiter", "csv.null"} {
			if _, ok := def.Options.Get(k); ok {
				return exec.OptionErrorf(k, "option '%s' applies only to format 'csv'", k)
			}
		}
		return nil
	}
	if d, ok := def.Options.Get("csv.delimiter"); ok {
		if d == `\t` || d == "tab" {
			d = "\t"
		}
		if len(d) != 1 || d[0] == '"' || d[0] == '\n' {
			return exec.OptionErrorf("csv.delimiter", "option 'csv.delimiter' = '%s': want a single character other than a quote", d)
		}
		cfg.opts.CSVDelimiter = d[0]
	}
	cfg.opts.CSVNull = def.Options.String("csv.null", "")
	return nil
}

// parseStartup sets the startup mode, its timestamp and the group.
func parseStartup(def *catalog.Source, cfg *config) error {
	cfg.group = strings.TrimSpace(def.Options.String("properties.group.id", ""))
	mode := strings.ToLower(strings.TrimSpace(def.Options.String("scan.startup.mode", "earliest")))
	switch mode {
	case "earliest", "earliest-offset":
		cfg.startup = startEarliest
	case "latest", "latest-offset":
		cfg.startup = startLatest
	case "group-offsets":
		cfg.startup = startGroupOffsets
		if cfg.group == "" {
			return exec.OptionErrorf("scan.startup.mode", "option 'scan.startup.mode' = 'group-offsets' needs option 'properties.group.id'")
		}
	case "timestamp":
		cfg.startup = startTimestamp
	default:
		return exec.OptionErrorf("scan.startup.mode", "option 'scan.startup.mode' = '%s': want 'earliest', 'latest', 'group-offsets' or 'timestamp'", mode)
	}
	v, ok := def.Options.Get("scan.startup.timestamp-millis")
	switch {
	case cfg.startup == startTimestamp && !ok:
		return exec.OptionErrorf("scan.startup.mode", "option 'scan.startup.mode' = 'timestamp' needs option 'scan.startup.timestamp-millis'")
	case cfg.startup != startTimestamp && ok:
		return exec.OptionErrorf("scan.startup.timestamp-millis", "option 'scan.startup.timestamp-millis' applies only to 'scan.startup.mode' = 'timestamp'")
	case ok:
		ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || ms < 0 {
			return exec.OptionErrorf("scan.startup.timestamp-millis", "option 'scan.startup.timestamp-millis' = '%s': want epoch milliseconds (a non-negative integer)", v)
		}
		cfg.startMs = ms
	}
	return nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validTopic reports a legal Kafka topic name.
func validTopic(t string) bool {
	if len(t) > 249 || t == "." || t == ".." {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// unknownOptions names the first option the connector does not know.
func unknownOptions(o catalog.Options) error {
	for _, opt := range o {
		found := false
		for _, k := range knownOptions {
			if strings.EqualFold(opt.Key, k) {
				found = true
				break
			}
		}
		if !found {
			k := append([]string(nil), knownOptions...)
			sort.Strings(k)
			return exec.OptionErrorf(opt.Key, "unknown option '%s' (known: %s)", opt.Key, strings.Join(k, ", "))
		}
	}
	return nil
}
