package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// runCheck runs `sqlstream check args...` in this process.
func runCheck(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = runMain(append([]string{"check"}, args...), &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestCheckCorpus runs the golden testdata/check_corpus (regenerate with
// -rewrite): `check args...` prints the exit code, stdout and stderr of
// `sqlstream check args...`. Every file of testdata/check/ (a pipeline
// with one mistake each, one with several, a warning and a clean one)
// must appear in it.
func TestCheckCorpus(t *testing.T) {
	seen := map[string]bool{}
	datadriven.RunTest(t, "testdata/check_corpus", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "check" {
			d.Fatalf(t, "unknown directive %s", d.Cmd)
		}
		args := make([]string, len(d.CmdArgs))
		for i, a := range d.CmdArgs {
			args[i] = a.String()
			seen[filepath.ToSlash(args[i])] = true
		}
		stdout, stderr, code := runCheck(args...)
		var b strings.Builder
		b.WriteString("exit " + strconv.Itoa(code) + "\n")
		if stdout != "" {
			b.WriteString("stdout:\n" + stdout)
		}
		if stderr != "" {
			b.WriteString("stderr:\n" + stderr)
		}
		return b.String()
	})
	files, err := filepath.Glob("testdata/check/*.sql")
	if err != nil || len(files) < 12 {
		t.Fatalf("corpus: %d files (%v), want at least 12", len(files), err)
	}
	for _, f := range files {
		if !seen[filepath.ToSlash(f)] {
			t.Errorf("corpus file %s has no case in testdata/check_corpus", f)
		}
	}
}

// checkOutput mirrors the --format json document.
type checkOutput struct {
	Files []struct {
		File        string `json:"file"`
		OK          bool   `json:"ok"`
		Diagnostics []struct {
			Severity  string `json:"severity"`
			Line      int    `json:"line"`
			Col       int    `json:"col"`
			Message   string `json:"message"`
			Statement string `json:"statement"`
		} `json:"diagnostics"`
	} `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func checkJSONOf(t *testing.T, args ...string) (checkOutput, int) {
	t.Helper()
	stdout, stderr, code := runCheck(append([]string{"--format", "json"}, args...)...)
	var out checkOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("check --format json: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	return out, code
}

// TestCheckJSON: --format json is one document with every file's
// diagnostics (severity, position, message, statement) and the totals;
// the exit code is 1 on an error, 0 on warnings alone, 1 with --strict.
func TestCheckJSON(t *testing.T) {
	out, code := checkJSONOf(t, "testdata/check/clean.sql", "testdata/check/several_problems.sql",
		"testdata/check/warning_group_by.sql", "testdata/check/no_such_file.sql")
	if code != 1 || out.Errors != 5 || out.Warnings != 2 || len(out.Files) != 4 {
		t.Fatalf("exit %d, %d errors, %d warnings, %d files; want 1, 5, 2, 4:\n%+v", code, out.Errors, out.Warnings, len(out.Files), out)
	}
	clean, several, warn, missing := out.Files[0], out.Files[1], out.Files[2], out.Files[3]
	if !clean.OK || len(clean.Diagnostics) != 0 || clean.Diagnostics == nil {
		t.Errorf("clean.sql: ok=%t diagnostics=%v, want ok and an empty list", clean.OK, clean.Diagnostics)
	}
	if several.OK || len(several.Diagnostics) != 5 {
		t.Fatalf("several_problems.sql: ok=%t, %d diagnostics, want 5", several.OK, len(several.Diagnostics))
	}
	want := []struct {
		sev       string
		line, col int
		statement string
		msg       string
	}{
		{"error", 6, 9, "CREATE SOURCE orders", "option 'scan.startup.mode'"},
		{"error", 10, 56, "CREATE SOURCE payments", "option 'rate'"},
		{"error", 14, 22, "CREATE MATERIALIZED VIEW paid_orders", "unbounded state: this join"},
		{"warning", 17, 54, "CREATE MATERIALIZED VIEW orders_per_customer", "GROUP BY keeps a group for every distinct customer_id"},
		{"error", 20, 63, "CREATE SINK paid_out", "option 'sort.by'"},
	}
	for i, w := range want {
		d := several.Diagnostics[i]
		if d.Severity != w.sev || d.Line != w.line || d.Col != w.col || d.Statement != w.statement || !strings.Contains(d.Message, w.msg) {
			t.Errorf("diagnostic %d = %+v, want %s at %d:%d in %q containing %q", i, d, w.sev, w.line, w.col, w.statement, w.msg)
		}
	}
	if !warn.OK || len(warn.Diagnostics) != 1 || warn.Diagnostics[0].Severity != "warning" {
		t.Errorf("warning_group_by.sql: %+v, want ok with one warning", warn)
	}
	if missing.OK || len(missing.Diagnostics) != 1 || missing.Diagnostics[0].Line != 0 ||
		!strings.Contains(missing.Diagnostics[0].Message, "no such file") {
		t.Errorf("no_such_file.sql: %+v, want one unpositioned error", missing)
	}

	out, code = checkJSONOf(t, "testdata/check/warning_group_by.sql")
	if code != 0 || out.Errors != 0 || out.Warnings != 1 || !out.Files[0].OK {
		t.Errorf("warnings alone: exit %d, %+v; want exit 0, ok", code, out)
	}
	out, code = checkJSONOf(t, "--strict", "testdata/check/warning_group_by.sql")
	if code != 1 || out.Errors != 1 || out.Warnings != 0 || out.Files[0].OK || out.Files[0].Diagnostics[0].Severity != "error" {
		t.Errorf("--strict: exit %d, %+v; want exit 1 and the warning as an error", code, out)
	}
}

// TestCheckQueries: every pipeline under queries/ checks without errors.
// Warnings are listed in the log; each must be a true statement about
// the pipeline (today there are none: they all read bounded input).
func TestCheckQueries(t *testing.T) {
	files, _ := filepath.Glob("../../queries/*/*.sql")
	if len(files) < 4 {
		t.Fatalf("found only %d pipelines under queries/", len(files))
	}
	sort.Strings(files)
	out, code := checkJSONOf(t, files...)
	for _, f := range out.Files {
		for _, d := range f.Diagnostics {
			t.Logf("%s:%d:%d: %s: %s", f.File, d.Line, d.Col, d.Severity, d.Message)
		}
		if !f.OK {
			t.Errorf("%s does not pass check", f.File)
		}
	}
	if code != 0 || out.Errors != 0 || len(out.Files) != len(files) {
		t.Errorf("check queries/: exit %d, %d errors over %d files", code, out.Errors, len(out.Files))
	}
}

// TestCheckUsage: a bad --format is a usage error (exit 2).
func TestCheckUsage(t *testing.T) {
	if _, stderr, code := runCheck("--format", "xml", "testdata/check/clean.sql"); code != 2 || !strings.Contains(stderr, "--format") {
		t.Errorf("--format xml: exit %d, stderr %q; want 2", code, stderr)
	}
	if _, err := os.Stat("testdata/check/no_such_file.sql"); err == nil {
		t.Fatal("testdata/check/no_such_file.sql must not exist")
	}
}
