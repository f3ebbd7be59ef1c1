package exec_test

import (
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/exec"
)

// viewWindowPipeline windows an append-only materialized view: the view
// scan carries the view's event-time column, and the view's watermarks
// reach the window aggregation through the view's fanout.
const viewWindowPipeline = `
CREATE SOURCE vw_bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 1 SECOND) WITH (connector = 'memtest');
CREATE MATERIALIZED VIEW vw_big AS SELECT auction, price, ts FROM vw_bid WHERE price > 5;
CREATE MATERIALIZED VIEW vw_per10s AS
  SELECT window_start, COUNT(*) AS n, SUM(price) AS total
  FROM TUMBLE(vw_big, ts, INTERVAL 10 SECOND)
  GROUP BY window_start, window_end;
`

// TestRunWindowOverViewCloses: a window over a materialized view closes
// when the source's watermark passes its end, mid-stream, not only at the
// end of the input.
func TestRunWindowOverViewCloses(t *testing.T) {
	setMem("vw_bid", &memData{batches: []string{
		"+I 1 10 '2024-01-01 00:00:01.000'\n+I 2 3 '2024-01-01 00:00:02.000'\n+I 3 7 '2024-01-01 00:00:09.000'",
		"+I 4 20 '2024-01-01 00:00:12.000'",
		"+I 5 30 '2024-01-01 00:00:15.000'",
	}})
	st, _, err := run(t, planSQL(t, viewWindowPipeline), exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(linesOf(st.Log(), "vw_per10s"), "\n")
	// The watermark after the second batch is 00:00:11: the first window
	// [0s, 10s) closes then, before row 5 arrives; the second closes at the
	// end of the input (watermark max). Row 2 (price 3) is filtered out by
	// the view.
	want := strings.Join([]string{
		"watermark '2024-01-01 00:00:08.000'",
		"+I '2024-01-01 00:00:00.000' 2 17",
		"watermark '2024-01-01 00:00:11.000'",
		"watermark '2024-01-01 00:00:14.000'",
		"+I '2024-01-01 00:00:10.000' 2 50",
		"watermark max",
		"barrier 1",
		"close",
	}, "\n")
	if got != want {
		t.Errorf("vw_per10s log:\n%s\nwant:\n%s\nfull log:\n%s", got, want, st.Log())
	}
	log := st.Log()
	first := strings.Index(log, "vw_per10s: +I '2024-01-01 00:00:00.000'")
	fifth := strings.Index(log, "vw_big: +I 5 30")
	if first < 0 || fifth < 0 || first > fifth {
		t.Errorf("the first window should close before row 5 reaches the view:\n%s", log)
	}
}
