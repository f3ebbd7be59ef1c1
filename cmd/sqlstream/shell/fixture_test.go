package shell

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// fixtureSQL builds a small store shaped like a pipeline's: a
// materialized view (a table), a plain view, a quoted name, the dead-letter
// tables and a bookkeeping table.
const fixtureSQL = `
CREATE TABLE dws_sales (region VARCHAR NOT NULL, amount DECIMAL(18,2), orders BIGINT, updated TIMESTAMP);
INSERT INTO dws_sales VALUES
  ('eu', 1234.50, 3, '2024-05-02 09:15:00.25'),
  ('us', -0.05, 12, '2024-05-02 10:00:00'),
  ('asia', NULL, 0, NULL),
  ('new
line', 7.00, 1, '2024-05-03 00:00:00');
CREATE VIEW big_sales AS SELECT region, amount FROM dws_sales WHERE amount > 100;
CREATE TABLE "Odd Name" (x INTEGER);
CREATE TABLE errors_orders (raw BLOB, reason VARCHAR);
CREATE TABLE late_orders (region VARCHAR, _watermark TIMESTAMP NOT NULL);
CREATE TABLE _sqlstream_epochs (epoch UBIGINT);
`

// fixtureDB writes the fixture store to a new file and returns its path.
func fixtureDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fixtureSQL); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return path
}

// openFixture opens the fixture read-only as the shell does.
func openFixture(t *testing.T) Backend {
	t.Helper()
	be, err := OpenDuckDB(context.Background(), fixtureDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	return be
}

// syncBuffer is a transcript written by the shell (stdout and stderr
// interleaved, as on a terminal) and read by the test while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
	// onWrite, when set, sees the transcript after each write.
	onWrite func(string)
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.b.Write(p)
	text, f := s.b.String(), s.onWrite
	s.mu.Unlock()
	if f != nil {
		f(text)
	}
	return len(p), nil
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var timeLine = regexp.MustCompile(`Time: \d+\.\d{3} ms`)

// normalize replaces what varies from run to run.
func normalize(s string) string { return timeLine.ReplaceAllString(s, "Time: N ms") }
