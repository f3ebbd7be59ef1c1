package main

import (
	"errors"
	"io"
)

// cmdShell is the interactive SQL shell (issue 6).
func cmdShell(args []string, stdout, stderr io.Writer) error {
	return errors.New("sqlstream shell: not built yet")
}
