package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
)

// cmdCheck validates pipeline files: it parses, binds and plans each one,
// checks the connector options of every source, file-loaded table and
// sink (and that each sink's input suits its format), and classifies the
// state of every stateful operator (planner.StateFindings). Parse and plan
// errors stop that file; everything after planning is reported in full.
// Diagnostics go to stderr as `file:line:col: error|warning: message`
// with the source line and a caret, or to stdout as one JSON document
// with --format json. It exits 1 when any file has an error (warnings
// count with --strict).
func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	quiet := fs.Bool("quiet", false, "print only diagnostics")
	format := fs.String("format", "text", "output format: text or json")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{"want one or more pipeline files"}
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("--format %q: want text or json", *format)}
	}
	reports := make([]*fileReport, len(pos))
	for i, path := range pos {
		reports[i] = checkFile(path)
		if *strict {
			reports[i].strict()
		}
	}
	if *format == "json" {
		if err := writeCheckJSON(stdout, reports); err != nil {
			return err
		}
	} else {
		writeCheckText(stdout, stderr, reports, *quiet)
	}
	return checkSummary(reports)
}

// diagnostic is one problem found in a file. Line and Col are 0 when the
// problem has no position (an unreadable file).
type diagnostic struct {
	Severity  planner.Severity
	Offset    int
	Line, Col int
	Msg       string
	LineText  string
	Statement string // the statement it is in, e.g. "CREATE SOURCE bid"
}

// fileReport is everything check found in one file, in file order.
type fileReport struct {
	File  string
	Diags []diagnostic
}

// count returns the number of errors and warnings.
func (r *fileReport) count() (errs, warns int) {
	for _, d := range r.Diags {
		if d.Severity == planner.SeverityError {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// strict turns warnings into errors.
func (r *fileReport) strict() {
	for i := range r.Diags {
		r.Diags[i].Severity = planner.SeverityError
	}
}

// checkFile checks one pipeline file.
func checkFile(path string) *fileReport {
	r := &fileReport{File: path}
	text, err := os.ReadFile(path)
	if err != nil {
		r.Diags = append(r.Diags, diagnostic{Severity: planner.SeverityError, Offset: -1, Msg: err.Error()})
		return r
	}
	f, err := parser.Parse(path, string(text))
	if err == nil {
		var p *planner.Plan
		if p, err = planner.PlanFile(f); err == nil {
			r.checkPlan(f, p)
		}
	}
	if err != nil {
		r.addError(f, err)
	}
	sort.SliceStable(r.Diags, func(i, j int) bool { return r.Diags[i].Offset < r.Diags[j].Offset })
	return r
}

// addError adds a parse or plan error: every positioned error it holds.
func (r *fileReport) addError(f *parser.File, err error) {
	var list parser.ErrorList
	var one *parser.Error
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			r.add(f, planner.SeverityError, e)
		}
	case errors.As(err, &one):
		r.add(f, planner.SeverityError, one)
	default:
		r.Diags = append(r.Diags, diagnostic{Severity: planner.SeverityError, Offset: -1, Msg: err.Error()})
	}
}

// add adds a positioned diagnostic.
func (r *fileReport) add(f *parser.File, sev planner.Severity, e *parser.Error) {
	r.Diags = append(r.Diags, diagnostic{Severity: sev, Offset: e.Offset, Line: e.Line, Col: e.Col,
		Msg: e.Msg, LineText: e.LineText, Statement: statementAt(f, e.Offset)})
}

// checkPlan checks a planned file: connector options of sources, tables
// and sinks, and the state of every stateful operator.
func (r *fileReport) checkPlan(f *parser.File, p *planner.Plan) {
	for _, src := range p.Catalog.Sources {
		if err := exec.CheckSource(src); err != nil {
			r.add(f, planner.SeverityError, f.Errorf(optionPos(src.Options, src.Pos, err), "source %s: %v", src.Name, err))
		}
	}
	for _, t := range p.Tables {
		if t.Load == nil {
			continue
		}
		if err := exec.CheckSource(t.Load); err != nil {
			r.add(f, planner.SeverityError, f.Errorf(optionPos(t.Load.Options, t.Load.Pos, err), "table %s: %v", t.Table.Name, err))
		}
	}
	for _, root := range p.Roots {
		n, ok := root.(*planner.SinkWriteNode)
		if !ok || n.Sink == nil {
			continue
		}
		env := exec.SinkEnv{BaseDir: filepath.Dir(f.Name), Schema: n.P.Schema.Arrow(), Key: n.P.Key, Changelog: n.P.Mode}
		if err := exec.CheckSink(n.Sink, env); err != nil {
			r.add(f, planner.SeverityError, f.Errorf(optionPos(n.Sink.Options, n.Sink.Pos, err), "%v", err))
		}
	}
	for _, s := range planner.StateFindings(p) {
		r.add(f, s.Severity, f.Errorf(s.Pos, "%s", s.Msg))
	}
}

// optionPos is where a connector's complaint points: the option it names,
// or the statement (pos) when it names none (a missing option).
func optionPos(opts catalog.Options, pos int, err error) int {
	var oe *exec.OptionError
	if errors.As(err, &oe) {
		if opt, ok := opts.Lookup(oe.Key); ok {
			return opt.Pos
		}
	}
	return pos
}

// statementAt describes the statement of f containing a file offset, or
// "" when none does (a statement that failed to parse).
func statementAt(f *parser.File, off int) string {
	if f == nil {
		return ""
	}
	for _, st := range f.Statements {
		if sp := st.Span(); off < sp.Start || off > sp.End {
			continue
		}
		switch st := st.(type) {
		case *parser.CreateSource:
			return "CREATE SOURCE " + st.Name.Name
		case *parser.CreateTable:
			return "CREATE TABLE " + st.Name.Name
		case *parser.CreateView:
			if st.Materialized {
				return "CREATE MATERIALIZED VIEW " + st.Name.Name
			}
			return "CREATE VIEW " + st.Name.Name
		case *parser.CreateSink:
			return "CREATE SINK " + st.Name.Name
		case *parser.Insert:
			return "INSERT INTO " + st.Table.Name
		case *parser.Set:
			return "SET '" + st.Key.Name + "'"
		}
	}
	return ""
}

// writeCheckText prints each file's diagnostics to stderr, and `file: ok`
// to stdout for a file without errors unless quiet.
func writeCheckText(stdout, stderr io.Writer, reports []*fileReport, quiet bool) {
	for _, r := range reports {
		for _, d := range r.Diags {
			fmt.Fprintln(stderr, d.text(r.File))
		}
		errs, warns := r.count()
		if errs > 0 || quiet {
			continue
		}
		switch warns {
		case 0:
			fmt.Fprintf(stdout, "%s: ok\n", r.File)
		case 1:
			fmt.Fprintf(stdout, "%s: ok, 1 warning\n", r.File)
		default:
			fmt.Fprintf(stdout, "%s: ok, %d warnings\n", r.File, warns)
		}
	}
}

// text renders `file:line:col: severity: message`, the source line and a
// caret under the column, as parser.Error does.
func (d diagnostic) text(file string) string {
	msg := d.Severity.String() + ": " + d.Msg
	if d.Line == 0 {
		return file + ": " + msg
	}
	e := parser.Error{File: file, Line: d.Line, Col: d.Col, Msg: msg, LineText: d.LineText}
	return e.Error()
}

// Output of --format json.
type (
	checkJSON struct {
		Files    []checkFileJSON `json:"files"`
		Errors   int             `json:"errors"`
		Warnings int             `json:"warnings"`
	}
	checkFileJSON struct {
		File        string           `json:"file"`
		OK          bool             `json:"ok"`
		Diagnostics []diagnosticJSON `json:"diagnostics"`
	}
	diagnosticJSON struct {
		Severity  string `json:"severity"`
		Line      int    `json:"line"`
		Col       int    `json:"col"`
		Message   string `json:"message"`
		Statement string `json:"statement,omitempty"`
	}
)

func writeCheckJSON(w io.Writer, reports []*fileReport) error {
	out := checkJSON{Files: make([]checkFileJSON, len(reports))}
	for i, r := range reports {
		errs, warns := r.count()
		out.Errors += errs
		out.Warnings += warns
		fj := checkFileJSON{File: r.File, OK: errs == 0, Diagnostics: make([]diagnosticJSON, len(r.Diags))}
		for k, d := range r.Diags {
			fj.Diagnostics[k] = diagnosticJSON{Severity: d.Severity.String(), Line: d.Line, Col: d.Col, Message: d.Msg, Statement: d.Statement}
		}
		out.Files[i] = fj
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// checkSummary is the command's result: an error naming how many files
// failed when any has an error.
func checkSummary(reports []*fileReport) error {
	failed, errs, warns := 0, 0, 0
	for _, r := range reports {
		e, w := r.count()
		errs += e
		warns += w
		if e > 0 {
			failed++
		}
	}
	if failed == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d pipeline files failed the check (%s, %s)", failed, len(reports), plural(errs, "error"), plural(warns, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
