package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// cmdRun runs a pipeline: it plans the file, opens the DuckDB store, and
// drives the sources through the operators until bounded input is exhausted
// or SIGINT/SIGTERM arrives, committing at every checkpoint. On a DuckDB
// file holding an unfinished checkpoint of the same pipeline it resumes
// from it (printing one line); --reset starts over.
func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	db := fs.String("db", "sqlstream.duckdb", "DuckDB file that stores the views")
	quiet := fs.Bool("quiet", false, "no progress output")
	listen := fs.String("listen", "", "serve the PostgreSQL wire protocol on this address, e.g. 127.0.0.1:4566 (read-only; a bounded run keeps serving until Ctrl-C)")
	password := fs.String("password", "", "password of the --listen endpoint (or set "+passwordEnv+"); required for a non-loopback address")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	reset := fs.Bool("reset", false, "start over: drop the checkpoint in the DuckDB file and replace the views (without it, a run resumes the file's checkpoint of the same pipeline)")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want exactly one pipeline file"}
	}
	if *listen != "" {
		if *password, err = listenPassword(*listen, *password); err != nil {
			return err
		}
	}
	_, p, err := loadPlan(pos[0])
	if err != nil {
		return err
	}
	interval, err := p.Catalog.Settings.Duration("checkpoint.interval", time.Second)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	store, err := duckdb.Open(*db, duckdb.Options{})
	if err != nil {
		return err
	}
	if *reset {
		if err := store.Reset(); err != nil {
			store.Close()
			return err
		}
	}
	runner, err := exec.NewRunner(p, store, exec.RunOptions{
		CheckpointInterval: interval,
		BaseDir:            filepath.Dir(pos[0]),
		Now:                time.Now(),
		Log:                func(line string) { fmt.Fprintln(stderr, line) },
		OnResume: func(epoch uint64) {
			fmt.Fprintf(stderr, "resuming %s from epoch %d\n", pos[0], epoch)
		},
	})
	if err != nil {
		store.Close()
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			store.Close()
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			store.Close()
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var ep *endpoint
	if *listen != "" {
		if ep, err = startEndpoint(*listen, *password, pos[0], store, runner, sourceConnectors(p), stderr); err != nil {
			store.Close()
			return err
		}
	}
	prog := startProgress(stderr, runner, *quiet)
	runErr := runner.Run(ctx)
	prog.stop()
	if ep != nil {
		runErr = errors.Join(runErr, ep.serveUntilDone(ctx, runErr, stderr))
	}
	if cerr := store.Close(); runErr == nil {
		runErr = cerr
	}
	if runErr != nil {
		return fmt.Errorf("%s: %w", pos[0], runErr)
	}
	return nil
}
