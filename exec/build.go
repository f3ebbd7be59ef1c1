package exec

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/expr"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// BuildEnv is what Build needs to open a plan's connectors and compile its
// expressions.
type BuildEnv struct {
	// Ctx is passed to source and sink connectors when they open.
	Ctx   context.Context
	Store Store
	Alloc memory.Allocator
	// BaseDir resolves relative paths in connector options.
	BaseDir   string
	BatchSize int
	// Now is NOW() for every expression of the run.
	Now time.Time
	// Retry, when set, retries an operation that fails transiently (an
	// error wrapping ErrRetry) with backoff, logging, up to the run's
	// 'sink.retry.timeout' (the runner's policy); lookups use it.
	Retry RetryFunc
}

// RetryFunc calls f until it succeeds, fails for good, or the retry
// policy gives up; what names the operation in log lines.
type RetryFunc func(ctx context.Context, what string, f func(ctx context.Context) error) error

// Builder holds the state of one Build; node builders get it to build their inputs.
type Builder struct {
	env     BuildEnv
	g       *Graph
	sources map[*catalog.Source]*GraphSource
	readers map[*catalog.Source][]Stream
	// viewsRead are the materialized views (lower-cased names) some root
	// reads with a view scan; views maps each to the fanout at its root
	// once built (see build_viewscan.go).
	viewsRead map[string]bool
	views     map[string]*Fanout
	// settings are the plan's SET statements (nil without a catalog).
	settings catalog.Options
}

// Build turns each root of p into an operator chain ending at the store or
// a sink. A source read by several roots is opened once and fanned out; a
// materialized view read by later roots fans its changelog out to the store
// and to them. On error, everything opened so far is closed.
func Build(p *planner.Plan, env BuildEnv) (*Graph, error) {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	if env.Alloc == nil {
		env.Alloc = memory.DefaultAllocator
	}
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	b := &Builder{
		env: env, g: &Graph{}, sources: map[*catalog.Source]*GraphSource{}, readers: map[*catalog.Source][]Stream{},
		viewsRead: viewsRead(p), views: map[string]*Fanout{},
	}
	if p.Catalog != nil {
		b.settings = p.Catalog.Settings
	}
	if err := b.build(p); err != nil {
		b.g.closeRoots()
		_ = b.g.CloseSources()
		return nil, err
	}
	return b.g, nil
}

func (b *Builder) build(p *planner.Plan) error {
	for _, root := range p.Roots {
		if err := b.root(root); err != nil {
			return err
		}
	}
	for _, s := range b.g.Sources {
		rs := b.readers[s.Def]
		if len(rs) == 1 {
			s.Head = rs[0]
		} else {
			s.Head = NewFanout(rs...)
		}
	}
	return nil
}

// root opens the writer of a root node and builds its input chain.
func (b *Builder) root(n planner.Physical) error {
	r := &GraphRoot{}
	var in planner.Physical
	var err error
	var view *planner.MaterializeNode
	switch n := n.(type) {
	case *planner.MaterializeNode:
		r.Kind, r.Name, in, view = RootView, n.View.Name, n.Input, n
		r.w, err = b.env.Store.ViewWriter(n.View)
	case *planner.SinkWriteNode:
		in = n.Input
		r.w, err = b.sinkWriter(r, n)
	default:
		return fmt.Errorf("build: plan root is a %T, want materialize or sink", n)
	}
	if err != nil {
		return fmt.Errorf("build %s %s: %w", r.Kind, r.Name, err)
	}
	b.g.Roots = append(b.g.Roots, r)
	var head Stream = &rootWriter{root: r, next: r.w}
	if view != nil {
		head = b.viewHead(view, head)
	}
	if err := b.node(in, head); err != nil {
		return fmt.Errorf("build %s %s: %w", r.Kind, r.Name, err)
	}
	return nil
}

// retry runs open under the run's retry policy (BuildEnv.Retry), so a
// database that is down or restarting when the run starts is waited for
// with backoff and log lines rather than failing the run; without a
// policy it runs open once.
func (b *Builder) retry(what string, open func(ctx context.Context) error) error {
	ctx := b.env.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if b.env.Retry == nil {
		return open(ctx)
	}
	return b.env.Retry(ctx, what, open)
}

func (b *Builder) sinkWriter(r *GraphRoot, n *planner.SinkWriteNode) (Stream, error) {
	switch {
	case n.Sink != nil:
		r.Kind, r.Name = RootSink, n.Sink.Name
		env := SinkEnv{Alloc: b.env.Alloc, BaseDir: b.env.BaseDir, Schema: n.P.Schema.Arrow(), Key: n.P.Key, Changelog: n.P.Mode}
		var sink Sink
		err := b.retry("open sink "+n.Sink.Name, func(ctx context.Context) error {
			var err error
			sink, err = OpenSink(ctx, n.Sink, env)
			return err
		})
		if err != nil {
			return nil, err
		}
		// An EpochSink writes through the store's outbox when the store
		// checkpoints (checkpoint_sink.go).
		return b.epochSink(n.Sink.Name, sink)
	case n.Table != nil:
		r.Kind, r.Name = RootTable, n.Table.Name
		return b.env.Store.TableWriter(n.Table)
	}
	return nil, fmt.Errorf("sink-write node has neither a sink nor a table")
}

// node builds the operator for n emitting to out, then its input.
func (b *Builder) node(n planner.Physical, out Stream) error {
	switch n := n.(type) {
	case *planner.SourceScan:
		return b.scan(n, out)
	case *planner.FilterNode:
		k, err := expr.CompilePredicate(n.Cond, expr.Options{Now: b.env.Now})
		if err != nil {
			return fmt.Errorf("filter %s: %w", n.Cond, err)
		}
		return b.node(n.Input, NewFilter(k, out, b.env.Alloc))
	case *planner.ProjectNode:
		p, err := b.project(n, out)
		if err != nil {
			return err
		}
		return b.node(n.Input, p)
	}
	if f, ok := nodeBuilders[n.Kind()]; ok {
		return f(b, n, out)
	}
	return fmt.Errorf("build: no operator for plan node %T", n)
}

// NodeBuilder builds the operator of one kind of plan node emitting to out,
// then builds its inputs with b.Node (one call per input port).
type NodeBuilder func(b *Builder, n planner.Physical, out Stream) error

// nodeBuilders holds the builders of operators defined in their own files
// (aggregates, joins, ...), registered from init with RegisterNodeBuilder.
var nodeBuilders = map[planner.PhysKind]NodeBuilder{}

// RegisterNodeBuilder makes Build handle plan nodes of kind k with f.
func RegisterNodeBuilder(k planner.PhysKind, f NodeBuilder) { nodeBuilders[k] = f }

// Node builds the operator chain of n (a node's input) emitting to out.
func (b *Builder) Node(n planner.Physical, out Stream) error { return b.node(n, out) }

// Track records a stateful operator for state-size reporting; node
// builders call it for every operator that implements StateReporter.
//
// An operator that also implements Checkpointer is checkpointed under the
// ID Track gives it.
func (b *Builder) Track(name string, op StateReporter) {
	id := fmt.Sprintf("op%d", len(b.g.Operators))
	b.g.Operators = append(b.g.Operators, &GraphOperator{Name: name, Op: op, ID: id})
}

// Env is the environment of the build: allocator, store, options.
func (b *Builder) Env() BuildEnv { return b.env }

// Settings are the pipeline's SET 'key' = 'value' options, in order.
func (b *Builder) Settings() catalog.Options { return b.settings }

func (b *Builder) project(n *planner.ProjectNode, out Stream) (*Project, error) {
	cols := make([]ProjectColumn, len(n.Exprs))
	for i, e := range n.Exprs {
		if c, ok := e.(*scalar.ColRef); ok {
			cols[i] = PassColumn(c.Index)
			continue
		}
		k, err := expr.Compile(e, expr.Options{Now: b.env.Now})
		if err != nil {
			return nil, fmt.Errorf("project %s: %w", e, err)
		}
		cols[i] = ComputedColumn(k)
	}
	return NewProject(n.P.Schema.Arrow(), cols, out, b.env.Alloc)
}

// scan opens the source once and registers out as one of its readers,
// behind a projection when the scan prunes columns.
func (b *Builder) scan(n *planner.SourceScan, out Stream) error {
	if _, err := b.open(n.Source); err != nil {
		return err
	}
	if pruned(n) {
		cols := make([]ProjectColumn, len(n.Columns))
		for i, c := range n.Columns {
			cols[i] = PassColumn(c)
		}
		p, err := NewProject(n.P.Schema.Arrow(), cols, out, b.env.Alloc)
		if err != nil {
			return fmt.Errorf("scan %s: %w", n.Source.Name, err)
		}
		out = p
	}
	b.readers[n.Source] = append(b.readers[n.Source], out)
	return nil
}

// pruned reports whether the scan outputs other than all source columns
// in order.
func pruned(n *planner.SourceScan) bool {
	if n.Columns == nil {
		return false
	}
	if len(n.Columns) != n.Source.Schema.Len() {
		return true
	}
	for i, c := range n.Columns {
		if c != i {
			return true
		}
	}
	return false
}

// open opens def the first time a root reads it.
func (b *Builder) open(def *catalog.Source) (*GraphSource, error) {
	if s, ok := b.sources[def]; ok {
		return s, nil
	}
	s := &GraphSource{Def: def}
	s.watermark.Store(MinWatermark)
	errs, err := b.env.Store.Errors(def.Name)
	if err != nil {
		return nil, fmt.Errorf("source %s: errors table: %w", def.Name, err)
	}
	src, err := OpenSource(b.env.Ctx, def, SourceEnv{
		Alloc: b.env.Alloc, Errors: countingErrors{next: errs, n: &s.bad},
		BatchSize: b.env.BatchSize, BaseDir: b.env.BaseDir,
	})
	if err != nil {
		return nil, fmt.Errorf("source %s: open: %w", def.Name, err)
	}
	s.Src = src
	b.sources[def] = s
	b.g.Sources = append(b.g.Sources, s)
	return s, nil
}
