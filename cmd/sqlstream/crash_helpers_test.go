package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/twmb/franz-go/pkg/kgo"
)

// crashRuns runs `sqlstream run path --db db --quiet` and SIGKILLs it 3–5
// times (the count drawn from r), restarting the same command after each
// kill, then lets the last start run to completion. full is the time of
// an uninterrupted run: the kills fall at random points drawn from r
// below three quarters of it (sorted, so the delay of each start is the
// gap to the next point; a start makes less progress than its delay, so
// no start but the last should finish). Each delay is logged. It fails
// the test when a start exits with an error, when a start finishes before
// its kill (restarting a finished run would start it over, repeating the
// external sinks' output), or when no start resumed from a checkpoint. It
// returns the number of kills and of resumed starts.
func crashRuns(t *testing.T, r *rand.Rand, full time.Duration, path, db string) (kills, resumes int) {
	t.Helper()
	target := 3 + r.IntN(3)
	points := make([]time.Duration, target)
	for i := range points {
		points[i] = time.Duration(r.Int64N(int64(full) * 3 / 4))
	}
	slices.Sort(points)
	resumed := func(stderr string) bool { return strings.Contains(stderr, "resuming "+path+" from epoch ") }
	var prev time.Duration
	for i, p := range points {
		wait := p - prev + 20*time.Millisecond
		prev = p
		cmd := exec.Command(bin, "run", path, "--db", db, "--quiet")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		t.Logf("start %d: SIGKILL after %s", i, wait)
		select {
		case err := <-done:
			t.Fatalf("start %d ended (%v) before its kill after %s; the uninterrupted run took %s\n%s", i, err, wait, full, stderr.String())
		case <-time.After(wait):
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-done
			kills++
		}
		if resumed(stderr.String()) {
			resumes++
		}
	}
	_, errOut, code := cli(t, "run", path, "--db", db, "--quiet")
	if code != 0 {
		t.Fatalf("final run: exit %d\n%s", code, errOut)
	}
	if resumed(errOut) {
		resumes++
	}
	t.Logf("%d kills, %d resumed starts", kills, resumes)
	if resumes == 0 {
		t.Fatalf("%d kills and no resumed start: the test did not exercise recovery", kills)
	}
	return kills, resumes
}

// debeziumEnvelope is one message of a debezium-json changelog.
type debeziumEnvelope struct {
	Before, After json.RawMessage
	Op            string
}

// replayDebezium applies a debezium-json changelog (read_committed, in
// partition order) to an empty table keyed by the message key and returns
// the final rows by key. Every op c must create a missing key and every
// op u or d must name, as its before-image, the key's current row: a
// repeated or lost epoch breaks that and fails the test.
func replayDebezium(t *testing.T, topic string, msgs []*kgo.Record) map[string]string {
	t.Helper()
	state := map[string]string{}
	for _, r := range msgs {
		var e debeziumEnvelope
		if err := json.Unmarshal(r.Value, &e); err != nil {
			t.Fatalf("%s message %s: %v", topic, r.Value, err)
		}
		key := string(r.Key)
		cur, exists := state[key]
		switch e.Op {
		case "c":
			if exists {
				t.Fatalf("%s: op c for key %s which holds %s (an epoch was repeated?)", topic, key, cur)
			}
			state[key] = string(e.After)
		case "u", "d":
			if !exists || cur != string(e.Before) {
				t.Fatalf("%s: op %s for key %s with before %s, but the key holds %q", topic, e.Op, key, e.Before, cur)
			}
			if e.Op == "u" {
				state[key] = string(e.After)
			} else {
				delete(state, key)
			}
		default:
			t.Fatalf("%s message %s: op %q", topic, r.Value, e.Op)
		}
	}
	return state
}

// e2ePostgres connects to the local PostgreSQL, skipping the test when it
// is unreachable unless CI=true (then failing).
func e2ePostgres(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	pg, err := pgx.Connect(ctx, e2ePGDSN)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is unreachable and CI=true: %v", err)
		}
		t.Skipf("PostgreSQL is unreachable (set CI=true to fail instead): %v", err)
	}
	t.Cleanup(func() { pg.Close(context.Background()) })
	return pg
}

// pgRows renders a PostgreSQL query's rows as comma-separated text cells
// (the simple protocol's text format), one string per row.
func pgRows(t *testing.T, pg *pgx.Conn, sql string) []string {
	t.Helper()
	rows, err := pg.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cells []string
		for _, v := range rows.RawValues() {
			cells = append(cells, string(v))
		}
		out = append(out, strings.Join(cells, ","))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}
