package benchrun

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
)

// sizing says how to size a pipeline's datagen sources.
type sizing struct {
	events int64
	// rate > 0 paces the sources to rate events/s in total and ties their
	// event time to the wall clock ('event_time' = 'wall').
	rate float64
}

// nexmarkShare is each Nexmark kind's share of the events (of 50).
var nexmarkShare = map[string]float64{"person": 1, "auction": 3, "bid": 46}

// parseSized reads path (plus extra statements appended to its text),
// parses it and sizes its datagen sources. It returns the file and the
// number of events the sources will generate.
func parseSized(path, extra string, sz sizing) (*parser.File, int64, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	f, err := parser.Parse(path, string(text)+extra)
	if err != nil {
		return nil, 0, err
	}
	events, err := sizeSources(f, sz)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	blackholeSinks(f)
	return f, events, nil
}

// planSized is parseSized followed by planning.
func planSized(path string, sz sizing) (*planner.Plan, int64, error) {
	f, events, err := parseSized(path, "", sz)
	if err != nil {
		return nil, 0, err
	}
	p, err := planner.PlanFile(f)
	if err != nil {
		return nil, 0, err
	}
	return p, events, nil
}

// genSource is a datagen CREATE SOURCE and its generator.
type genSource struct {
	st        *parser.CreateSource
	generator string
	kind      string
	rows      int64 // as written; -1 when absent
}

// sizeSources sets 'rows' (and with a rate, 'rate' and 'event_time') on
// every source of f, which must all be datagen sources. Nexmark sources
// share one event sequence and get rows = events; the sources of other
// generators are scaled to add up to events, in the proportions of their
// rows as written.
func sizeSources(f *parser.File, sz sizing) (int64, error) {
	var srcs []genSource
	var nexmark, others int
	var weight float64
	for _, st := range f.Statements {
		cs, ok := st.(*parser.CreateSource)
		if !ok {
			continue
		}
		g, err := datagenSource(cs)
		if err != nil {
			return 0, err
		}
		if g.generator == "nexmark" {
			nexmark++
		} else {
			if g.rows <= 0 {
				return 0, fmt.Errorf("source %s: the bench needs 'rows' on a %s source, to size it in proportion", cs.Name.Name, g.generator)
			}
			others++
			weight += float64(g.rows)
		}
		srcs = append(srcs, g)
	}
	if len(srcs) == 0 {
		return 0, fmt.Errorf("no source to generate events")
	}
	if nexmark > 0 && others > 0 {
		return 0, fmt.Errorf("the bench cannot size a pipeline mixing nexmark with other generators")
	}
	var total int64
	for _, g := range srcs {
		rows, share := sz.events, 1.0
		if g.generator == "nexmark" {
			share = nexmarkShare[g.kind] / 50
			total = sz.events
		} else {
			share = float64(g.rows) / weight
			rows = max(1, int64(math.Round(float64(sz.events)*share)))
			total += rows
		}
		setOption(g.st, "rows", strconv.FormatInt(rows, 10))
		if sz.rate > 0 {
			setOption(g.st, "rate", strconv.FormatFloat(sz.rate*share, 'g', -1, 64))
			setOption(g.st, "event_time", "wall")
		}
	}
	return total, nil
}

// datagenSource checks that cs is a datagen source and reads its options.
func datagenSource(cs *parser.CreateSource) (genSource, error) {
	g := genSource{st: cs, rows: -1}
	opt := func(key string) string {
		for _, o := range cs.With {
			if strings.EqualFold(o.Key, key) {
				return strings.TrimSpace(o.Value)
			}
		}
		return ""
	}
	if c := strings.ToLower(opt("connector")); c != "datagen" {
		return g, fmt.Errorf("source %s: connector '%s': the bench generates its events and runs only datagen sources", cs.Name.Name, c)
	}
	g.generator, g.kind = strings.ToLower(opt("generator")), strings.ToLower(opt("kind"))
	if v := opt("rows"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return g, fmt.Errorf("source %s: rows = '%s': %w", cs.Name.Name, v, err)
		}
		g.rows = n
	}
	return g, nil
}

// blackholeSinks points every CREATE SINK of f at the blackhole
// connector, so the bench measures the engine and never writes files,
// topics or tables outside its temporary store (Nexmark q10's file sink
// would write next to the query).
func blackholeSinks(f *parser.File) {
	for _, st := range f.Statements {
		if cs, ok := st.(*parser.CreateSink); ok {
			cs.With = []parser.Option{{Key: "connector", Value: "blackhole", KeyPos: cs.Start, ValuePos: cs.Start}}
		}
	}
}

// setOption sets key in the source's WITH clause, adding it (positioned
// at the statement) when absent.
func setOption(cs *parser.CreateSource, key, value string) {
	for i := range cs.With {
		if strings.EqualFold(cs.With[i].Key, key) {
			cs.With[i].Value = value
			return
		}
	}
	cs.With = append(cs.With, parser.Option{Key: key, Value: value, KeyPos: cs.Start, ValuePos: cs.Start})
}
