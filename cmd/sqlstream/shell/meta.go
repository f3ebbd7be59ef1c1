package shell

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// metaKind is a backslash command.
type metaKind uint8

const (
	metaDescribe metaKind = iota // \d [name]
	metaTiming                   // \timing [on|off]
	metaFormat                   // \format [table|csv|json]
	metaWatch                    // \watch [seconds]
	metaReset                    // \r
	metaQuit                     // \q
	metaHelp                     // \?
)

// defaultWatch is \watch's interval when none is given (psql's default).
const defaultWatch = 2 * time.Second

// meta is a parsed backslash command. A meta command takes the rest of its
// line; a trailing `;` is ignored.
type meta struct {
	kind metaKind
	name string // \d: the relation, "" for all

	setTiming bool // \timing: an explicit on/off was given...
	timing    bool // ...and this is it

	setFormat bool // \format: a format was given...
	format    render.Format

	every time.Duration // \watch
}

// parseMeta parses a line starting with `\`.
func parseMeta(line string) (meta, error) {
	fields := metaFields(strings.TrimSuffix(strings.TrimSpace(line), ";"))
	if len(fields) == 0 || !strings.HasPrefix(fields[0], `\`) {
		return meta{}, fmt.Errorf("not a meta command: %q", line)
	}
	cmd, args := fields[0], fields[1:]
	m, err := parseMetaArgs(cmd, args)
	if err != nil {
		return meta{}, fmt.Errorf(`%s: %w`, cmd, err)
	}
	return m, nil
}

func parseMetaArgs(cmd string, args []string) (meta, error) {
	maxArgs := 1
	var m meta
	var err error
	switch cmd {
	case `\d`:
		m.kind = metaDescribe
		if len(args) > 0 {
			m.name = args[0]
		}
	case `\timing`:
		m.kind = metaTiming
		if len(args) > 0 {
			m.setTiming = true
			m.timing, err = parseOnOff(args[0])
		}
	case `\format`:
		m.kind = metaFormat
		if len(args) > 0 {
			m.setFormat = true
			m.format, err = render.ParseFormat(args[0])
		}
	case `\watch`:
		m.kind, m.every = metaWatch, defaultWatch
		if len(args) > 0 {
			m.every, err = parseSeconds(args[0])
		}
	case `\r`, `\q`, `\?`:
		m.kind, maxArgs = map[string]metaKind{`\r`: metaReset, `\q`: metaQuit, `\?`: metaHelp}[cmd], 0
	default:
		return meta{}, fmt.Errorf(`invalid command (try \? for help)`)
	}
	if err == nil && len(args) > maxArgs {
		err = fmt.Errorf("unexpected argument %q", args[maxArgs])
	}
	return m, err
}

// metaFields splits a meta command at whitespace outside double quotes,
// keeping the quotes ("Odd Name" stays one quoted identifier).
func metaFields(s string) []string {
	var out []string
	start, quoted := -1, false
	for i, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ' ' || c == '\t'):
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "true", "1":
		return true, nil
	case "off", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("want on or off, not %q", s)
}

// parseSeconds parses a positive number of seconds, fractions allowed.
func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) || f > 86400*365 {
		return 0, fmt.Errorf("want a positive number of seconds, not %q", s)
	}
	return time.Duration(f * float64(time.Second)), nil
}

const helpText = `Statements end with ; and may span lines. Ctrl-C cancels the running query
or clears the input; Ctrl-D or \q quits.

  \d               list relations: views, tables, errors_*, late_*, internal
  \d NAME          columns and types of NAME
  \format [FMT]    show or set the output format: table, csv or json
  \timing [on|off] toggle or set printing each statement's time
  \watch [N]       re-run the last statement (or the unfinished one) every N
                   seconds (default 2) until Ctrl-C
  \r               clear the unfinished statement
  \q               quit
  \?               this help
`
