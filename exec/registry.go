package exec

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
)

// Source is an opened input stream. The runner pulls batches from it; the
// source never pushes on its own, so a run is deterministic and barriers can
// be injected between batches.
type Source interface {
	// Next returns the next batch, whose schema is the source's
	// catalog schema (Source.Schema.Arrow()). It returns io.EOF when a
	// bounded source is exhausted. The caller owns (and releases) the batch.
	// A source with nothing ready returns an empty Batch (Rec == nil) and a
	// nil error, so the runner can go on with other sources.
	Next(ctx context.Context) (Batch, error)
	// Close releases the source's resources.
	Close() error
}

// BadRecord is an input record that could not be decoded. It is written to
// errors_<source> with everything needed to find and fix it.
type BadRecord struct {
	Source string // source name
	Raw    []byte // the record as read
	File   string // file path, topic, or generator name
	Line   int64  // 1-based line (file sources) or offset (Kafka); 0 if unknown
	Reason string // why it failed, naming the column where one is at fault
}

// ErrorSink receives bad records. Implementations must copy Raw if they keep
// it beyond the call.
type ErrorSink interface {
	BadRecord(r BadRecord) error
}

// SourceEnv is what a connector gets when it opens a source.
type SourceEnv struct {
	Alloc  memory.Allocator
	Errors ErrorSink
	// BatchSize is the preferred number of rows per batch.
	BatchSize int
	// BaseDir resolves relative paths (the pipeline file's directory).
	BaseDir string
}

// SourceFactory opens the source described by def.
type SourceFactory func(ctx context.Context, def *catalog.Source, env SourceEnv) (Source, error)

// SourceChecker validates a source definition without opening it (the
// options `check` can verify). It may be nil.
type SourceChecker func(def *catalog.Source) error

// Sink is an external sink opened for one CREATE SINK. It receives the
// sink's changelog stream.
type Sink interface {
	Stream
}

// SinkEnv is what a connector gets when it opens a sink.
type SinkEnv struct {
	Alloc   memory.Allocator
	BaseDir string
	Schema  *arrow.Schema
	// Key is the unique key of the sink's input rows (column indexes):
	// nil when rows are not unique, empty when there is at most one row.
	Key []int
	// Changelog is the input stream's mode: append-only input carries
	// only +I rows.
	Changelog catalog.ChangelogMode
}

// SinkFactory opens the sink described by def.
type SinkFactory func(ctx context.Context, def *catalog.Sink, env SinkEnv) (Sink, error)

// SinkChecker validates a sink definition without opening it or
// connecting anywhere: its options, and whether its input (env's schema,
// key and changelog mode) suits its format. `check` calls it.
type SinkChecker func(def *catalog.Sink, env SinkEnv) error

type sourceReg struct {
	open  SourceFactory
	check SourceChecker
}

var registry = struct {
	sync.Mutex
	sources map[string]sourceReg
	sinks   map[string]SinkFactory
	checks  map[string]SinkChecker
}{sources: map[string]sourceReg{}, sinks: map[string]SinkFactory{}, checks: map[string]SinkChecker{}}

// RegisterSource makes a source connector available by name. Connectors call
// it from init.
func RegisterSource(name string, open SourceFactory, check SourceChecker) {
	registry.Lock()
	defer registry.Unlock()
	registry.sources[strings.ToLower(name)] = sourceReg{open: open, check: check}
}

// RegisterSink makes a sink connector available by name.
func RegisterSink(name string, open SinkFactory) {
	registry.Lock()
	defer registry.Unlock()
	registry.sinks[strings.ToLower(name)] = open
}

// OpenSource opens def with its registered connector, which does not see
// the engine's own WITH options (IdleTimeoutOption).
func OpenSource(ctx context.Context, def *catalog.Source, env SourceEnv) (Source, error) {
	registry.Lock()
	r, ok := registry.sources[strings.ToLower(def.Connector)]
	registry.Unlock()
	if !ok {
		return nil, fmt.Errorf("source %s: unknown connector %q (known: %s)", def.Name, def.Connector, strings.Join(SourceConnectors(), ", "))
	}
	return r.open(ctx, connectorDef(def), env)
}

// CheckSource validates the engine's WITH options of def, then def with
// its connector's checker, if any.
func CheckSource(def *catalog.Source) error {
	if err := checkEngineOptions(def); err != nil {
		return err
	}
	registry.Lock()
	r, ok := registry.sources[strings.ToLower(def.Connector)]
	registry.Unlock()
	if !ok {
		return fmt.Errorf("unknown connector %q (known: %s)", def.Connector, strings.Join(SourceConnectors(), ", "))
	}
	if r.check == nil {
		return nil
	}
	return r.check(connectorDef(def))
}

// RegisterSinkChecker gives a sink connector a checker for `check`.
func RegisterSinkChecker(name string, check SinkChecker) {
	registry.Lock()
	defer registry.Unlock()
	registry.checks[strings.ToLower(name)] = check
}

// CheckSink validates def with its connector's checker, if any; an
// unknown connector is an error.
func CheckSink(def *catalog.Sink, env SinkEnv) error {
	registry.Lock()
	_, known := registry.sinks[strings.ToLower(def.Connector)]
	check := registry.checks[strings.ToLower(def.Connector)]
	registry.Unlock()
	if !known {
		return fmt.Errorf("sink %s: unknown connector %q (known: %s)", def.Name, def.Connector, strings.Join(SinkConnectors(), ", "))
	}
	if check == nil {
		return nil
	}
	return check(def, env)
}

// OpenSink opens def with its registered connector.
func OpenSink(ctx context.Context, def *catalog.Sink, env SinkEnv) (Sink, error) {
	registry.Lock()
	f, ok := registry.sinks[strings.ToLower(def.Connector)]
	registry.Unlock()
	if !ok {
		return nil, fmt.Errorf("sink %s: unknown connector %q (known: %s)", def.Name, def.Connector, strings.Join(SinkConnectors(), ", "))
	}
	return f(ctx, def, env)
}

// SourceConnectors lists the registered source connectors.
func SourceConnectors() []string {
	registry.Lock()
	defer registry.Unlock()
	var out []string
	for k := range registry.sources {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SinkConnectors lists the registered sink connectors.
func SinkConnectors() []string {
	registry.Lock()
	defer registry.Unlock()
	var out []string
	for k := range registry.sinks {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// OptionError is a connector's objection to one WITH option. `check` uses
// Key to point at the option in the pipeline file.
type OptionError struct {
	Key string
	Msg string
}

func (e *OptionError) Error() string { return e.Msg }

// OptionErrorf returns an *OptionError about option key.
func OptionErrorf(key, format string, args ...any) error {
	return &OptionError{Key: key, Msg: fmt.Sprintf(format, args...)}
}
