package exec_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
)

// loadedTable is a table dim (k, v) filled from the memtest source of the
// same name.
func loadedTable(t *testing.T, d *memData) *planner.TableInit {
	setMem("dim", d)
	s := mustSchema(t, "k:int", "v:varchar")
	tab := &catalog.Table{Name: "dim", Schema: s, PrimaryKey: []int{0}, Connector: "file"}
	return &planner.TableInit{Table: tab, Load: &catalog.Source{Name: "dim", Schema: s, PrimaryKey: []int{0}, Connector: "memtest"}}
}

func TestRunLoadsTablesBeforeSources(t *testing.T) {
	dim := &memData{batches: []string{"+I 1 'a'\n+I 2 'b'", "", "+I 3 NULL"}, bad: 1}
	bids := &memData{batches: []string{"+I 1 10 '2024-01-01 00:00:01.000'"}}
	src := bidSource(t, "bid", bids)
	p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{viewOf("v", scanOf(src))},
		Tables: []*planner.TableInit{loadedTable(t, dim)}}
	st, r, err := run(t, p, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The table is created, filled from its source (bad records into
	// errors_dim) and committed as epoch 0 before the first source opens.
	checkLog(t, st, `
init table dim
errors table dim
bad record dim: bad json
dim: +I 1 a
dim: +I 2 b
dim: +I 3 NULL
dim: close
commit 0
errors table bid
v: +I 1 10 '2024-01-01 00:00:01.000'
v: watermark '2024-01-01 00:00:00.000'
v: watermark max
v: barrier 1
commit 1
v: close`)
	if dim.opens != 1 || dim.closes != 1 {
		t.Errorf("load source opened %d, closed %d times; want 1, 1", dim.opens, dim.closes)
	}
	if s := r.Stats(); s.Epochs != 1 || s.EventsIn != 1 {
		t.Errorf("stats = %+v: the load is neither a source epoch nor source events", s)
	}
}

func TestRunLoadFailureAbortsBeforeSources(t *testing.T) {
	dim := &memData{batches: []string{"+I 1 'a'", "+I 2 'b'"}, failAt: 1, err: errors.New("line 3: bad csv")}
	bids := &memData{batches: []string{"+I 1 10 NULL"}}
	src := bidSource(t, "bid", bids)
	p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{viewOf("v", scanOf(src))},
		Tables: []*planner.TableInit{loadedTable(t, dim)}}
	st, _, err := run(t, p, exec.RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "table dim: load: line 3: bad csv") {
		t.Fatalf("err = %v, want the load error with its table", err)
	}
	if strings.Contains(st.Log(), "commit") || bids.opens != 0 {
		t.Errorf("a failed load must commit nothing and open no source; log:\n%s", st.Log())
	}
	if dim.closes != 1 {
		t.Errorf("load source closed %d times, want 1", dim.closes)
	}
}

func TestOpenLookupRoutesFileTablesToStore(t *testing.T) {
	tab := &catalog.Table{Name: "dim", Schema: mustSchema(t, "k:int"), Connector: "File"}
	_, err := exec.OpenLookup(context.Background(), newFakeStore(), tab, []int{0})
	if err == nil || !strings.Contains(err.Error(), "fake store") {
		t.Errorf("err = %v, want the store's Lookup to answer", err)
	}
}
