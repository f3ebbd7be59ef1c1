package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
)

// cmdCheck parses, binds and plans every file and validates the connector
// options of each source, file-loaded table and sink (and that each sink's
// input suits its format). It reports every failing file and exits 1 if any failed.
func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	quiet := fs.Bool("quiet", false, "print only errors")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{"want one or more pipeline files"}
	}
	failed := 0
	for _, path := range pos {
		if err := checkFile(path); err != nil {
			failed++
			msg := err.Error()
			if !strings.HasSuffix(msg, "\n") {
				msg += "\n"
			}
			fmt.Fprint(stderr, msg)
			continue
		}
		if !*quiet {
			fmt.Fprintf(stdout, "%s: ok\n", path)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d pipeline files failed the check", failed, len(pos))
	}
	return nil
}

func checkFile(path string) error {
	f, p, err := loadPlan(path)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(p.Catalog.Sources))
	for n := range p.Catalog.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		src := p.Catalog.Sources[n]
		if err := exec.CheckSource(src); err != nil {
			return f.Errorf(optionPos(src, err), "source %s: %v", src.Name, err)
		}
	}
	for _, t := range p.Tables {
		if t.Load == nil {
			continue
		}
		if err := exec.CheckSource(t.Load); err != nil {
			return f.Errorf(optionPos(t.Load, err), "table %s: %v", t.Table.Name, err)
		}
	}
	for _, root := range p.Roots {
		n, ok := root.(*planner.SinkWriteNode)
		if !ok || n.Sink == nil {
			continue
		}
		env := exec.SinkEnv{BaseDir: filepath.Dir(f.Name), Schema: n.P.Schema.Arrow(), Key: n.P.Key, Changelog: n.P.Mode}
		if err := exec.CheckSink(n.Sink, env); err != nil {
			pos := n.Sink.Pos
			var oe *exec.OptionError
			if errors.As(err, &oe) {
				if opt, ok := n.Sink.Options.Lookup(oe.Key); ok {
					pos = opt.Pos
				}
			}
			return f.Errorf(pos, "%v", err)
		}
	}
	return nil
}

// optionPos is where a connector's complaint points: the option it names,
// or the source statement when it names none (a missing option).
func optionPos(src *catalog.Source, err error) int {
	var oe *exec.OptionError
	if errors.As(err, &oe) {
		if opt, ok := src.Options.Lookup(oe.Key); ok {
			return opt.Pos
		}
	}
	return src.Pos
}
