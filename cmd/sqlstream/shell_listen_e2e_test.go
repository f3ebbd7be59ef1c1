package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// shellListenPipeline is an unbounded pipeline: a count over generated bids.
const shellListenPipeline = `
CREATE SOURCE bid (auction BIGINT, price BIGINT, date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rate = '2000');
CREATE MATERIALIZED VIEW bid_count AS SELECT count(*) AS n FROM bid;
`

// startShellListening runs the unbounded pipeline with --listen on a free
// loopback port until the test ends, and returns the address once it
// accepts connections.
func startShellListening(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sqlFile := filepath.Join(dir, "p.sql")
	if err := os.WriteFile(sqlFile, []byte(shellListenPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "run", sqlFile, "--db", filepath.Join(dir, "p.duckdb"), "--listen", addr, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("run --listen exited: %v\n%s", err, stderr.String())
		default:
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("run --listen %s never accepted a connection\n%s", addr, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestShellTmuxListen is a session against a running pipeline's pgwire
// endpoint: \d, \watch of a view the pipeline keeps updating stopped by
// Ctrl-C, a long query cancelled by Ctrl-C (a cancel request
// the endpoint honours), and the session still usable.
func TestShellTmuxListen(t *testing.T) {
	requireTmux(t)
	addr := startShellListening(t)
	p := startShell(t, filepath.Join(t.TempDir(), "history"), "--connect", addr)
	p.waitText("sqlstream shell: " + addr)

	p.typeLine(`\d`)
	p.waitLine("| bid_count ", "| table")
	p.waitLine("| late_bid ", "| late rows")
	p.waitLine("| sqlstream_sources ", "| internal")
	p.typeLine(`\d bid_count`)
	p.waitText("Relation main.bid_count")

	// The view fills at the pipeline's first checkpoint: watch it until then.
	p.typeLine("SELECT CASE WHEN n > 0 THEN 'counting' END AS progress")
	p.typeLine(`FROM bid_count \watch 1`)
	p.waitText(" counting\n(1 row)\n")
	p.waitText("(every 1s)", 2)
	p.keys("C-c")
	p.waitText("Watch stopped.")

	p.typeLine("SELECT sum(i % 7) AS s FROM range(10000000000000) t(i);")
	cancelWithCtrlC(p)
	p.typeLine("SELECT 'still served' AS alive;")
	if s := p.waitText(" still served\n(1 row)\n"); strings.Contains(s, "was lost") {
		t.Errorf("the cancel cost the connection:\n%s", s)
	}
	p.keys("C-d")
	p.exited()
}

// waitLine waits until a line of the screen holds every part.
func (p *tmuxPane) waitLine(parts ...string) {
	p.t.Helper()
	p.waitFor(strings.Join(parts, " ... "), func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			all := true
			for _, part := range parts {
				all = all && strings.Contains(line, part)
			}
			if all {
				return true
			}
		}
		return false
	})
}
