package shell

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"
)

// errAborted is Ctrl-C at the prompt: drop the input, keep going.
var errAborted = errors.New("input aborted")

// lineReader is where the shell's input comes from: the terminal with line
// editing and history, or a script on stdin.
type lineReader interface {
	// ReadLine returns the next line without its newline; io.EOF at the
	// end, errAborted when the user pressed Ctrl-C at the prompt.
	ReadLine(prompt string) (string, error)
	// Remember adds a finished entry (a statement or a meta command) to
	// the history.
	Remember(entry string)
	Close() error
}

// HistoryFile returns where the shell keeps its history:
// $SQLSTREAM_HISTORY, or ~/.sqlstream_history ("" when there is no home).
func HistoryFile() string {
	if f := os.Getenv("SQLSTREAM_HISTORY"); f != "" {
		return f
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".sqlstream_history")
}

// terminal reads lines with liner. It owns the terminal from newTerminal
// to Close (liner keeps it in raw mode, with ISIG on between prompts so
// Ctrl-C still interrupts a running query). The history is loaded at start
// and rewritten after every entry, so a crash loses nothing.
type terminal struct {
	ln      *liner.State
	history string
	warn    io.Writer
}

func newTerminal(history string, warn io.Writer) *terminal {
	t := &terminal{ln: liner.NewLiner(), history: history, warn: warn}
	t.ln.SetCtrlCAborts(true)
	if history == "" {
		return t
	}
	f, err := os.Open(history)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(warn, "warning: history: %v\n", err)
		}
		return t
	}
	defer f.Close()
	if _, err := t.ln.ReadHistory(f); err != nil {
		fmt.Fprintf(warn, "warning: history %s: %v\n", history, err)
	}
	return t
}

func (t *terminal) ReadLine(prompt string) (string, error) {
	line, err := t.ln.Prompt(prompt)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", errAborted
	}
	return line, err
}

func (t *terminal) Remember(entry string) {
	entry = strings.TrimSpace(entry)
	if entry == "" {
		return
	}
	t.ln.AppendHistory(entry)
	if err := t.save(); err != nil {
		fmt.Fprintf(t.warn, "warning: history: %v\n", err)
		t.history = "" // say it once
	}
}

func (t *terminal) save() error {
	if t.history == "" {
		return nil
	}
	f, err := os.OpenFile(t.history, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, werr := t.ln.WriteHistory(f)
	return errors.Join(werr, f.Close())
}

func (t *terminal) Close() error {
	err := t.save()
	return errors.Join(err, t.ln.Close())
}

// script reads lines from a non-terminal input, without prompts or
// history.
type script struct{ r *bufio.Reader }

func newScript(in io.Reader) *script { return &script{r: bufio.NewReader(in)} }

func (s *script) ReadLine(string) (string, error) {
	line, err := s.r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil // last line without a newline
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), err
}

func (s *script) Remember(string) {}

func (s *script) Close() error { return nil }
