package benchrun

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// datagenOf renders the sized options of f's sources.
func datagenOf(t *testing.T, f *parser.File) []string {
	t.Helper()
	var out []string
	for _, st := range f.Statements {
		cs, ok := st.(*parser.CreateSource)
		if !ok {
			continue
		}
		s := cs.Name.Name
		for _, k := range []string{"rows", "rate", "event_time"} {
			for _, o := range cs.With {
				if strings.EqualFold(o.Key, k) {
					s += " " + k + "=" + o.Value
				}
			}
		}
		out = append(out, s)
	}
	return out
}

// Every bank workload's baseline/<view>.sql returns exactly the rows the
// engine materializes in <view> over the same events: the baselines the
// bench times compute the same answers (DOUBLE and fine DECIMAL columns
// compared rounded to 4 places: sums in another order).
func TestBankBaselinesEqualViews(t *testing.T) {
	for _, name := range bankWorkloads {
		t.Run(name, func(t *testing.T) {
			q, err := resolveOne(queriesDir, name)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "views.duckdb")
			runWithSourceTables(t, q, path, 30000)
			db, err := openDuckDB(path, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			views := map[string]bool{}
			for _, b := range q.Baselines {
				views[b.View] = true
				compareView(t, db, b)
			}
			for _, root := range mustPlan(t, q).Roots {
				if m, ok := root.(*planner.MaterializeNode); ok && !views[m.View.Name] {
					t.Errorf("view %s has no baseline file", m.View.Name)
				}
			}
		})
	}
}

func mustPlan(t *testing.T, q query) *planner.Plan {
	t.Helper()
	p, _, err := planSized(q.Pipeline, sizing{events: 100})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runWithSourceTables runs q's whole pipeline, plus a table per source
// named like it, into the DuckDB file at path.
func runWithSourceTables(t *testing.T, q query, path string, events int64) {
	t.Helper()
	f, names, err := withSourceViews(q.Pipeline, events)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.PlanFile(f)
	if err != nil {
		t.Fatal(err)
	}
	store, err := duckdb.Open(path, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := exec.NewRunner(p, store, exec.RunOptions{BaseDir: filepath.Dir(q.Pipeline), Now: time.Now()})
	if err == nil {
		err = r.Run(context.Background())
	}
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	db, err := openDuckDB(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range names {
		if _, err := db.Exec(fmt.Sprintf(`ALTER TABLE "%s%s" RENAME TO "%s"`, srcTablePrefix, n, n)); err != nil {
			t.Fatal(err)
		}
	}
}

// compareView checks that view and its baseline hold the same multiset of
// rows, and that the view is not empty.
func compareView(t *testing.T, db *sql.DB, b baselineFile) {
	t.Helper()
	text, err := os.ReadFile(b.Path)
	if err != nil {
		t.Fatal(err)
	}
	query := strings.TrimRight(strings.TrimSpace(string(text)), ";")
	cols := normalizedColumns(t, db, b.View)
	var diff, rows int64
	err = db.QueryRow(fmt.Sprintf(`SELECT
		(SELECT count(*) FROM ((SELECT %[1]s FROM "%[2]s" EXCEPT ALL SELECT %[1]s FROM (%[3]s
		)) UNION ALL (SELECT %[1]s FROM (%[3]s
		) EXCEPT ALL SELECT %[1]s FROM "%[2]s"))),
		(SELECT count(*) FROM "%[2]s")`, cols, b.View, query)).Scan(&diff, &rows)
	if err != nil {
		t.Fatalf("%s: %v", b.Path, err)
	}
	if diff != 0 || rows == 0 {
		t.Errorf("%s: %d rows differ between the view and its baseline (view has %d rows)", b.View, diff, rows)
	}
}

// normalizedColumns is the view's select list, with DOUBLE and DECIMAL
// columns of more than 2 decimals rounded to 4.
func normalizedColumns(t *testing.T, db *sql.DB, view string) string {
	t.Helper()
	rows, err := db.Query(`SELECT column_name, data_type, coalesce(numeric_scale, 0) FROM information_schema.columns
		WHERE table_name = ? ORDER BY ordinal_position`, view)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		var scale int
		if err := rows.Scan(&name, &typ, &scale); err != nil {
			t.Fatal(err)
		}
		c := `"` + name + `"`
		if typ == "DOUBLE" || (strings.HasPrefix(typ, "DECIMAL") && scale > 2) {
			c = fmt.Sprintf(`round(CAST(%s AS DOUBLE), 4) AS "%s"`, c, name)
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		t.Fatalf("view %s has no table", view)
	}
	return strings.Join(cols, ", ")
}
