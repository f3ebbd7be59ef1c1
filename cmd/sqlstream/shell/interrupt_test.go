package shell

import (
	"context"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// longQuery runs until it is cancelled (10^13 rows).
const longQuery = "SELECT sum(i % 7) AS s FROM range(10000000000000) t(i)"

// interruptible is a shell reading script with SIGINT caught as in an
// interactive session, writing to out.
func interruptible(t *testing.T, be Backend, out *syncBuffer) *session {
	t.Helper()
	s := newSession(Options{Backend: be, Out: out, Err: out})
	s.intr = catchInterrupts()
	t.Cleanup(s.intr.stop)
	s.now = func() time.Time { return time.Date(2024, 5, 2, 9, 15, 0, 0, time.UTC) }
	return s
}

// sigint interrupts this process, as Ctrl-C on the terminal does.
func sigint(t *testing.T) {
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Error(err)
	}
}

// startNotifier passes statements to a Backend and calls onStart (once)
// when the first one whose text contains match starts.
type startNotifier struct {
	Backend
	match   string
	once    sync.Once
	onStart func()
}

func (b *startNotifier) Query(ctx context.Context, stmt string) (*Result, error) {
	if strings.Contains(stmt, b.match) {
		b.once.Do(b.onStart)
	}
	return b.Backend.Query(ctx, stmt)
}

// TestCtrlCCancelsQuery: Ctrl-C during a statement cancels only that
// statement; the next one runs on the same session.
func TestCtrlCCancelsQuery(t *testing.T) {
	testCtrlCCancelsQuery(t, openFixture(t), longQuery)
}

func testCtrlCCancelsQuery(t *testing.T, be Backend, long string) string {
	t.Helper()
	var out syncBuffer
	be = &startNotifier{Backend: be, match: long, onStart: func() {
		go func() { time.Sleep(50 * time.Millisecond); sigint(t) }()
	}}
	s := interruptible(t, be, &out)
	script := long + ";\nSELECT 43 AS after;\n"
	if err := s.loop(context.Background(), newScript(strings.NewReader(script))); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	want := "Query cancelled.\n after\n-------\n    43\n(1 row)\n\n"
	if !strings.HasSuffix(got, want) {
		t.Fatalf("transcript:\n%s\nwant it to end with:\n%s", got, want)
	}
	return got
}

// TestWatchStopsOnCtrlC: \watch re-runs the last statement under a time
// header until Ctrl-C, then the shell goes on.
func TestWatchStopsOnCtrlC(t *testing.T) {
	var out syncBuffer
	const header = "Thu May 2 09:15:00 2024 (every 10ms)\n\n answer\n--------\n     42\n(1 row)\n\n"
	var once sync.Once
	out.onWrite = func(text string) {
		if strings.Count(text, header) >= 3 {
			once.Do(func() { sigint(t) })
		}
	}
	s := interruptible(t, openFixture(t), &out)
	script := "SELECT 42 AS answer;\n\\watch 0.01\nSELECT 43 AS after;\n"
	if err := s.loop(context.Background(), newScript(strings.NewReader(script))); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if n := strings.Count(got, header); n < 3 {
		t.Errorf("%d watch runs, want at least 3:\n%s", n, got)
	}
	want := "Watch stopped.\n after\n-------\n    43\n(1 row)\n\n"
	if !strings.HasSuffix(got, want) || strings.Contains(got, "ERROR") {
		t.Fatalf("transcript:\n%s\nwant it to end with:\n%s", got, want)
	}
}

// TestWatchTypedStatement: \watch after an unterminated statement watches
// that statement; \watch with nothing run yet is an error.
func TestWatchTypedStatement(t *testing.T) {
	var out syncBuffer
	var once sync.Once
	out.onWrite = func(text string) {
		if strings.Contains(text, "(1 row)") {
			once.Do(func() { sigint(t) })
		}
	}
	s := interruptible(t, openFixture(t), &out)
	script := "\\watch 1\nSELECT 7\n  AS seven \\watch 0.01\n"
	if err := s.loop(context.Background(), newScript(strings.NewReader(script))); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "ERROR: \\watch: no statement to re-run; run one first\n") ||
		!strings.Contains(got, " seven\n-------\n     7\n") || !strings.HasSuffix(got, "Watch stopped.\n") {
		t.Fatalf("transcript:\n%s", got)
	}
}
