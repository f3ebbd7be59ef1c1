package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests drive `sqlstream shell` as a person does: in a terminal
// (a tmux pane of 200x50), typing keys with send-keys and reading the
// screen with capture-pane, polling for the expected text with a deadline.

// tmuxPane is one shell session in its own tmux server.
type tmuxPane struct {
	t      *testing.T
	socket string
}

// requireTmux skips the test when tmux is missing, unless CI=true (then
// failing).
func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("tmux is missing and CI=true: %v", err)
		}
		t.Skipf("tmux is missing (set CI=true to fail instead): %v", err)
	}
}

// startShell runs `sqlstream shell args...` in a new tmux pane with the
// history file hist. The pane stays after the shell exits (see exited).
func startShell(t *testing.T, hist string, args ...string) *tmuxPane {
	t.Helper()
	requireTmux(t)
	dir, err := os.MkdirTemp("", "sqlstream-tmux") // short: a socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	p := &tmuxPane{t: t, socket: filepath.Join(dir, "s")}
	t.Cleanup(func() {
		exec.Command("tmux", "-S", p.socket, "kill-server").Run()
		os.RemoveAll(dir)
	})
	// sh runs the shell, then reports its exit status on the screen. Its
	// trap keeps it alive through the Ctrl-Cs sent to the shell (a trap
	// with a command is reset to the default in the child).
	script := `trap : INT; "$@"; echo "EXITED $?"; sleep 600`
	p.tmux(append([]string{"new-session", "-d", "-s", "shell", "-x", "200", "-y", "50",
		"-e", "SQLSTREAM_HISTORY=" + hist, "sh", "-c", script, "sh", bin, "shell"}, args...)...)
	p.waitFor("the prompt", func(s string) bool { return strings.Contains(s, "sqlstream> ") })
	return p
}

// exited waits for the shell to exit and fails unless its status is 0.
func (p *tmuxPane) exited() {
	p.t.Helper()
	s := p.waitFor("the shell to exit", func(s string) bool { return strings.Contains(s, "EXITED ") })
	if !strings.Contains(s, "EXITED 0\n") {
		p.t.Fatalf("the shell failed; the screen:\n%s", s)
	}
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typeLine types text and presses Enter.
func (p *tmuxPane) typeLine(text string) {
	p.t.Helper()
	p.typeText(text)
	p.tmux("send-keys", "-t", "shell", "Enter")
}

// typeText types text. (tmux reads an argument's trailing ; as a command
// separator unless escaped.)
func (p *tmuxPane) typeText(text string) {
	p.t.Helper()
	if strings.HasSuffix(text, ";") {
		text = strings.TrimSuffix(text, ";") + `\;`
	}
	p.tmux("send-keys", "-t", "shell", "-l", text)
}

// keys presses keys by tmux name (C-c, C-d, Up, Enter).
func (p *tmuxPane) keys(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "shell"}, keys...)...)
}

// screen returns the pane's whole history, wrapped lines joined.
func (p *tmuxPane) screen() string {
	p.t.Helper()
	return p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "shell")
}

// waitFor polls the screen until ok holds, failing after 20 s with the
// screen.
func (p *tmuxPane) waitFor(what string, ok func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := p.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waiting for %s; the screen:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitText waits until the screen holds text (n times, when n > 0 is given).
func (p *tmuxPane) waitText(text string, n ...int) string {
	p.t.Helper()
	want := 1
	if len(n) > 0 {
		want = n[0]
	}
	return p.waitFor(strconv.Quote(text), func(s string) bool { return strings.Count(s, text) >= want })
}

// TestShellTmuxDuckDB is a session over a DuckDB file: a multi-line
// statement, an error then a good query, \timing, \format csv, \d, \watch
// stopped by Ctrl-C, a long query cancelled by Ctrl-C, Ctrl-C clearing
// the line, Ctrl-D; then a second session finds the history (Up arrow).
func TestShellTmuxDuckDB(t *testing.T) {
	db := shellFixture(t)
	hist := filepath.Join(t.TempDir(), "history")
	p := startShell(t, hist, "--db", db)

	p.typeLine("SELECT region,")
	p.waitText("       -> ")
	p.typeLine("       orders FROM dws_sales ORDER BY region;")
	p.waitText(" region | orders\n--------+--------\n asia   |      0\n eu     |      3\n us     |     12\n(3 rows)\n")

	p.typeLine("SELECT * FROM missing_view;")
	p.waitText("ERROR: Catalog Error: Table with name missing_view does not exist!")
	p.typeLine("SELECT 40 + 2 AS answer;")
	p.waitText(" answer\n--------\n     42\n(1 row)\n")

	p.typeLine(`\timing`)
	p.waitText("Timing is on.")
	p.typeLine("SELECT 'timed' AS t;")
	p.waitFor("a time after the result", func(s string) bool {
		_, after, ok := strings.Cut(s, " timed\n(1 row)\n\nTime: ")
		return ok && strings.Contains(after, " ms\n")
	})
	p.typeLine(`\timing off`)
	p.waitText("Timing is off.")

	p.typeLine(`\format csv`)
	p.waitText("Output format is csv.")
	p.typeLine("SELECT region, amount FROM dws_sales ORDER BY region;")
	p.waitText("region,amount\nasia,\neu,1234.50\nus,-0.05\n")
	p.typeLine(`\format table`)
	p.waitText("Output format is table.")

	p.typeLine(`\d`)
	p.waitText(" main   | dws_sales         | table\n main   | errors_orders     | errors\n" +
		" main   | late_orders       | late rows\n main   | _sqlstream_epochs | internal\n(4 rows)\n")
	p.typeLine(`\d late_orders`)
	p.waitText("Relation main.late_orders\n   column   |   type    | nullable\n")

	p.typeLine("SELECT 'tick' AS w;")
	p.waitText(" tick\n(1 row)\n")
	p.typeLine(`\watch 1`)
	p.waitText("(every 1s)\n\n  w\n------\n tick\n(1 row)\n", 2)
	p.keys("C-c")
	p.waitText("Watch stopped.")
	p.typeLine("SELECT 'after watch' AS aw;")
	p.waitText(" after watch\n(1 row)\n")

	p.typeLine("SELECT sum(i % 7) AS s FROM range(10000000000000) t(i);")
	cancelWithCtrlC(p)
	p.typeLine("SELECT 'still here' AS alive;")
	p.waitText(" still here\n(1 row)\n")

	p.typeText("SELECT 'never run")
	p.waitText("sqlstream> SELECT 'never run")
	p.keys("C-c")
	p.typeLine("SELECT 'fresh' AS f;")
	if s := p.waitText(" fresh\n(1 row)\n"); strings.Contains(s, "ERROR: Parser") {
		t.Fatalf("the aborted line was run:\n%s", s)
	}

	p.keys("C-d")
	p.exited()

	b, err := os.ReadFile(hist)
	if err != nil || !strings.Contains(string(b), "SELECT region, orders FROM dws_sales ORDER BY region;\n") {
		t.Errorf("history file (%v):\n%s", err, b)
	}

	p2 := startShell(t, hist, "--db", db)
	p2.keys("Up")
	p2.waitText("sqlstream> SELECT 'fresh' AS f;")
	p2.keys("Up")
	p2.waitText("sqlstream> SELECT 'still here' AS alive;")
	p2.keys("Enter")
	p2.waitText(" still here\n(1 row)\n")
	p2.typeLine(`\q`)
	p2.exited()
}

// cancelWithCtrlC presses Ctrl-C until the running query reports its
// cancellation. (A Ctrl-C that reaches the shell before it started the
// query is read as input and would be lost; a repeat is harmless.)
func cancelWithCtrlC(p *tmuxPane) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.screen(), "Query cancelled.") {
		if time.Now().After(deadline) {
			p.t.Fatalf("Ctrl-C did not cancel the query; the screen:\n%s", p.screen())
		}
		p.keys("C-c")
		time.Sleep(300 * time.Millisecond)
	}
}

// TestShellTmuxPostgres is a session over the PostgreSQL protocol: an
// error, a long query cancelled by Ctrl-C (a cancel request), the session
// still usable.
func TestShellTmuxPostgres(t *testing.T) {
	pg := e2ePostgres(t)
	pg.Close(context.Background())
	p := startShell(t, filepath.Join(t.TempDir(), "history"),
		"--connect", "127.0.0.1:5432", "--user", "postgres", "--database", "test")
	p.waitText("sqlstream shell: 127.0.0.1:5432")
	p.typeLine("SELECT * FROM")
	p.typeLine("  no_such_table;")
	p.waitText(`ERROR: relation "no_such_table" does not exist`)
	p.typeLine("SELECT pg_sleep(60);")
	cancelWithCtrlC(p)
	p.typeLine("SELECT 'pg alive' AS p;")
	p.waitText("    p\n----------\n pg alive\n(1 row)\n")
	p.keys("C-d")
	p.exited()
}
