package benchrun

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	duckdrv "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// Baseline is DuckDB recomputing a query's views from scratch over the
// same events, materialized in tables.
type Baseline struct {
	// Seconds is the sum over Views.
	Seconds float64    `json:"seconds"`
	Views   []ViewTime `json:"views"`
	Threads int        `json:"threads"`
	// Ratio is Seconds / the engine's seconds: above 1 the engine
	// processed the events faster than DuckDB recomputes the answer.
	Ratio float64 `json:"ratio"`
}

// ViewTime is one baseline query: the better of two runs of CREATE TEMP
// TABLE ... AS <query>, and the rows it produced.
type ViewTime struct {
	View    string  `json:"view"`
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"`
}

// baselineRuns is how many times each baseline query runs; the best
// counts (the machines are noisy and the first run reads cold pages).
const baselineRuns = 2

// srcTablePrefix names the materialized view of each source during
// materialize; the tables are renamed to the sources' names afterwards.
const srcTablePrefix = "bench_src_"

// runBaseline materializes q's sources into a temporary DuckDB file and
// times q's baseline queries there. It returns nil when q has none.
func runBaseline(ctx context.Context, cfg *Config, q query) (*Baseline, error) {
	if len(q.Baselines) == 0 {
		return nil, nil
	}
	dir, err := os.MkdirTemp(cfg.TempDir, "sqlstream-baseline-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "baseline.duckdb")
	sources, err := materialize(ctx, cfg, q, path)
	if err != nil {
		return nil, fmt.Errorf("%s: materializing the sources for DuckDB: %w", q.Name, err)
	}
	db, err := openDuckDB(path, cfg.Cores)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	for _, name := range sources {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE "%s%s" RENAME TO "%s"`, srcTablePrefix, name, name)); err != nil {
			return nil, fmt.Errorf("%s: table %s: %w", q.Name, name, err)
		}
	}
	b := &Baseline{Threads: cfg.Cores}
	for _, f := range q.Baselines {
		vt, err := timeBaseline(ctx, db, f)
		if err != nil {
			return nil, err
		}
		b.Views = append(b.Views, vt)
		b.Seconds += vt.Seconds
	}
	return b, nil
}

// materialize runs q's sources (sized as for the engine run) with the
// pipeline's tables into a DuckDB file at path, each source into a view
// srcTablePrefix+name, and returns the source names.
func materialize(ctx context.Context, cfg *Config, q query, path string) ([]string, error) {
	f, names, err := withSourceViews(q.Pipeline, cfg.Events)
	if err != nil {
		return nil, err
	}
	f.Statements = sourcesOnly(f.Statements)
	p, err := planner.PlanFile(f)
	if err != nil {
		return nil, err
	}
	store, err := duckdb.Open(path, duckdb.Options{Threads: cfg.Cores})
	if err != nil {
		return nil, err
	}
	r, err := exec.NewRunner(p, store, exec.RunOptions{BaseDir: filepath.Dir(q.Pipeline), Now: time.Now()})
	if err == nil {
		err = r.Run(ctx)
	}
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	return names, err
}

// withSourceViews parses the pipeline at path, sized to events, with a
// materialized view srcTablePrefix+name AS SELECT * FROM name appended
// for every source, and returns it with the source names.
func withSourceViews(path string, events int64) (*parser.File, []string, error) {
	f, _, err := parseSized(path, "", sizing{events: events})
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var extra strings.Builder
	for _, st := range f.Statements {
		if cs, ok := st.(*parser.CreateSource); ok {
			names = append(names, cs.Name.Name)
			fmt.Fprintf(&extra, "\nCREATE MATERIALIZED VIEW %s%s AS SELECT * FROM %s;\n", srcTablePrefix, cs.Name.Name, cs.Name.Name)
		}
	}
	f, _, err = parseSized(path, extra.String(), sizing{events: events})
	return f, names, err
}

// sourcesOnly keeps the statements that define the data: SET, sources,
// tables and their VALUES, and the source views materialize appended.
func sourcesOnly(sts []parser.Statement) []parser.Statement {
	var out []parser.Statement
	for _, st := range sts {
		switch st := st.(type) {
		case *parser.Set, *parser.CreateSource, *parser.CreateTable:
			out = append(out, st)
		case *parser.Insert:
			if st.Query == nil {
				out = append(out, st)
			}
		case *parser.CreateView:
			if strings.HasPrefix(st.Name.Name, srcTablePrefix) {
				out = append(out, st)
			}
		}
	}
	return out
}

// openDuckDB opens the DuckDB file at path with threads worker threads.
func openDuckDB(path string, threads int) (*sql.DB, error) {
	connector, err := duckdrv.NewConnector(fmt.Sprintf("%s?threads=%d", path, threads), nil)
	if err != nil {
		return nil, fmt.Errorf("open duckdb %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1) // one connection: the TEMP table stays visible
	return db, nil
}

// timeBaseline runs one baseline query baselineRuns times and keeps the
// best time.
func timeBaseline(ctx context.Context, db *sql.DB, f baselineFile) (ViewTime, error) {
	text, err := os.ReadFile(f.Path)
	if err != nil {
		return ViewTime{}, err
	}
	query := strings.TrimRight(strings.TrimSpace(string(text)), ";")
	ctas := "CREATE OR REPLACE TEMP TABLE bench_result AS\n" + query + "\n"
	vt := ViewTime{View: f.View}
	for i := 0; i < baselineRuns; i++ {
		start := time.Now()
		if _, err := db.ExecContext(ctx, ctas); err != nil {
			return vt, fmt.Errorf("%s: %w", f.Path, err)
		}
		if d := time.Since(start).Seconds(); i == 0 || d < vt.Seconds {
			vt.Seconds = d
		}
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM bench_result").Scan(&vt.Rows); err != nil {
		return vt, fmt.Errorf("%s: %w", f.Path, err)
	}
	_, err = db.ExecContext(ctx, "DROP TABLE bench_result")
	return vt, err
}
