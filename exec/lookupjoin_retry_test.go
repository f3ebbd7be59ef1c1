package exec_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// flakyLookup fails its first failures lookups with a transient error
// (a database that went away), then answers from a memLookup.
type flakyLookup struct {
	*memLookup
	failures int
}

func (f *flakyLookup) Lookup(ctx context.Context, keys arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	if f.failures > 0 {
		f.failures--
		return nil, nil, fmt.Errorf("connection refused: %w", exec.ErrRetry)
	}
	return f.memLookup.Lookup(ctx, keys)
}

var flaky struct {
	sync.Mutex
	failures int
}

func init() {
	exec.RegisterLookup("flakytest", func(_ context.Context, t *catalog.Table, keyCols []int) (exec.LookupTable, error) {
		m, err := newMemLookup(t.Schema, "+I 1 'north'\n+I 2 'south'", keyCols, memory.NewGoAllocator())
		if err != nil {
			return nil, err
		}
		flaky.Lock()
		defer flaky.Unlock()
		return &flakyLookup{memLookup: m, failures: flaky.failures}, nil
	})
}

// TestRunLookupRetries: a lookup table whose database is away for a
// while makes the run wait and retry with a log line, not fail; one that
// stays away fails after 'sink.retry.timeout'.
func TestRunLookupRetries(t *testing.T) {
	const pipeline = `%s
CREATE SOURCE lk_in (id BIGINT, branch INT) WITH (connector = 'memtest');
CREATE TABLE lk_dim (branch INT PRIMARY KEY, region VARCHAR) WITH (connector = 'flakytest');
CREATE MATERIALIZED VIEW lk_v AS SELECT i.id, d.region FROM lk_in i JOIN lk_dim d ON i.branch = d.branch;
`
	for _, tc := range []struct {
		name, set string
		failures  int
		wantErr   string
	}{
		{"recovers", "", 2, ""},
		{"gives up", "SET 'sink.retry.timeout' = '50ms';", 1000, "giving up"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flaky.Lock()
			flaky.failures = tc.failures
			flaky.Unlock()
			setMem("lk_in", &memData{batches: []string{"+I 10 1\n+I 11 2"}})
			var log []string
			st, _, err := run(t, planSQL(t, fmt.Sprintf(pipeline, tc.set)), exec.RunOptions{
				RetryBackoff: time.Millisecond, Log: func(s string) { log = append(log, s) }})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for _, l := range linesOf(st.Log(), "lk_v") {
				if strings.HasPrefix(l, "+I") {
					rows = append(rows, l)
				}
			}
			if got := strings.Join(rows, "; "); got != "+I 10 north; +I 11 south" {
				t.Errorf("view rows %q", got)
			}
			joined := strings.Join(log, "\n")
			if !strings.Contains(joined, "retrying in") || !strings.Contains(joined, "succeeded after 3 attempts") {
				t.Errorf("log lines:\n%s\nwant retries and a success after 3 attempts", joined)
			}
		})
	}
}
