package main

import (
	"errors"
	"io"
)

// cmdBench runs benchmark queries against the DuckDB baseline (issue 7).
func cmdBench(args []string, stdout, stderr io.Writer) error {
	return errors.New("sqlstream bench: not built yet")
}
