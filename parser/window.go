package parser

import (
	"math"
	"strconv"
	"strings"
)

// windowFuncs maps a window table function name to its kind and the names
// of its interval arguments.
var windowFuncs = map[string]struct {
	kind  WindowKind
	sizes []string
}{
	"TUMBLE":   {Tumble, []string{"size"}},
	"HOP":      {Hop, []string{"slide", "size"}},
	"CUMULATE": {Cumulate, []string{"step", "max size"}},
	"SESSION":  {Session, []string{"gap"}},
}

// liftWindows finds window table functions in FROM position and replaces
// each by its bare table name (kept at its written offset).
func (p *fileParser) liftWindows(q *Query, toks []token, keep []bool) *Error {
	for i := 1; i+1 < len(toks); i++ {
		spec, ok := windowFuncs[strings.ToUpper(toks[i].text)]
		prev := toks[i-1]
		if !ok || toks[i].kind != tokIdent || !toks[i+1].isPunct("(") ||
			!(prev.is("FROM") || prev.is("JOIN") || prev.isPunct(",")) {
			continue
		}
		closeIdx := matchParen(toks, i+1)
		if closeIdx < 0 {
			return p.f.Errorf(toks[i+1].start, "unclosed parenthesis")
		}
		w, tableIdx, err := p.windowTVF(toks, i, closeIdx, spec.kind, spec.sizes)
		if err != nil {
			return err
		}
		for k := i; k <= closeIdx; k++ {
			keep[k] = k == tableIdx
		}
		q.Windows = append(q.Windows, w)
		i = closeIdx
	}
	return nil
}

// windowTVF parses KIND(table, time_col, interval...) spanning
// toks[i:closeIdx+1]. It returns the index of the table name token.
func (p *fileParser) windowTVF(toks []token, i, closeIdx int, kind WindowKind, sizes []string) (WindowTVF, int, *Error) {
	name := strings.ToUpper(toks[i].text)
	w := WindowTVF{Kind: kind, Pos: toks[i].start}
	args := splitTopLevel(toks[i+2 : closeIdx])
	if len(args) != 2+len(sizes) || len(args[len(args)-1]) == 0 {
		return w, 0, p.f.Errorf(toks[i].start, "%s takes (table, time column, %s), found %d argument(s)",
			name, strings.Join(sizes, ", "), len(args))
	}
	tableIdx, err := p.windowTable(args[0], name, toks[i+1])
	if err != nil {
		return w, 0, err
	}
	tableIdx += i + 2
	w.Table = Ident{Name: toks[tableIdx].value(), Pos: toks[tableIdx].start}
	if w.TimeCol, err = p.windowTimeCol(args[1], name, toks[i+1]); err != nil {
		return w, 0, err
	}
	for k, arg := range args[2:] {
		ms, err := p.interval(arg, name, sizes[k], toks[i+1])
		if err != nil {
			return w, 0, err
		}
		w.Sizes = append(w.Sizes, ms)
	}
	return w, tableIdx, nil
}

// windowTable accepts `t` or `TABLE t` and returns the name's index in arg.
func (p *fileParser) windowTable(arg []token, fn string, open token) (int, *Error) {
	switch {
	case len(arg) == 1 && arg[0].isName():
		return 0, nil
	case len(arg) == 2 && arg[0].is("TABLE") && arg[1].isName():
		return 1, nil
	}
	return 0, p.f.Errorf(firstStart(arg, open), "the first argument of %s must be a table name", fn)
}

// windowTimeCol accepts `col` or `DESCRIPTOR(col)`.
func (p *fileParser) windowTimeCol(arg []token, fn string, open token) (Ident, *Error) {
	switch {
	case len(arg) == 1 && arg[0].isName():
		return Ident{Name: arg[0].value(), Pos: arg[0].start}, nil
	case len(arg) == 4 && arg[0].is("DESCRIPTOR") && arg[1].isPunct("(") && arg[2].isName() && arg[3].isPunct(")"):
		return Ident{Name: arg[2].value(), Pos: arg[2].start}, nil
	}
	return Ident{}, p.f.Errorf(firstStart(arg, open), "the second argument of %s must be a time column name", fn)
}

func firstStart(arg []token, open token) int {
	if len(arg) == 0 {
		return open.end
	}
	return arg[0].start
}

// interval parses `INTERVAL n UNIT`, `INTERVAL 'n' UNIT` or
// `INTERVAL 'n unit'` into milliseconds.
func (p *fileParser) interval(arg []token, fn, what string, open token) (int64, *Error) {
	bad := func() (int64, *Error) {
		return 0, p.f.Errorf(firstStart(arg, open), "the %s of %s must be an interval like INTERVAL 5 SECOND", what, fn)
	}
	if len(arg) < 2 || !arg[0].is("INTERVAL") {
		return bad()
	}
	num, unit := arg[1].value(), ""
	switch {
	case len(arg) == 3 && arg[2].kind == tokIdent && (arg[1].kind == tokNumber || arg[1].kind == tokString):
		unit = arg[2].text
	case len(arg) == 2 && arg[1].kind == tokString:
		fields := strings.Fields(num)
		if len(fields) != 2 {
			return bad()
		}
		num, unit = fields[0], fields[1]
	default:
		return bad()
	}
	unitMs, ok := intervalUnits[strings.ToUpper(unit)]
	if !ok {
		return 0, p.f.Errorf(arg[len(arg)-1].start, "unknown interval unit %q (use MILLISECOND, SECOND, MINUTE, HOUR, DAY or WEEK)", unit)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	ms := v * float64(unitMs)
	if err != nil || ms <= 0 || ms != math.Trunc(ms) || ms > math.MaxInt64/2 {
		return 0, p.f.Errorf(arg[1].start, "the %s of %s must be a positive whole number of milliseconds, found %s", what, fn, describe(arg[1]))
	}
	return int64(ms), nil
}

var intervalUnits = map[string]int64{
	"MS": 1, "MILLISECOND": 1, "MILLISECONDS": 1,
	"S": 1000, "SEC": 1000, "SECS": 1000, "SECOND": 1000, "SECONDS": 1000,
	"MIN": 60_000, "MINS": 60_000, "MINUTE": 60_000, "MINUTES": 60_000,
	"H": 3_600_000, "HOUR": 3_600_000, "HOURS": 3_600_000,
	"D": 86_400_000, "DAY": 86_400_000, "DAYS": 86_400_000,
	"WEEK": 7 * 86_400_000, "WEEKS": 7 * 86_400_000,
}
