package shell

import "strings"

// lexState is where the splitter is inside the SQL text.
type lexState uint8

const (
	lexCode         lexState = iota
	lexSingle                // '...' ('' escapes a quote)
	lexEscape                // E'...' (backslash escapes too)
	lexDouble                // "identifier"
	lexLineComment           // -- to the end of the line
	lexBlockComment          // /* ... */, nested as in PostgreSQL and DuckDB
	lexDollar                // $tag$ ... $tag$
)

// splitter accumulates input lines and cuts complete statements at each
// `;` outside string literals, quoted identifiers, dollar-quoted strings
// and comments. It is the shell's multi-line input: the zero value is
// empty, and its state carries over from one Feed to the next.
type splitter struct {
	buf     string   // text of the statement being read, from its start
	pos     int      // next byte of buf to scan
	state   lexState // lexer state at pos
	depth   int      // block comment nesting
	tag     string   // dollar-quote tag, with both $
	content bool     // buf has something besides whitespace and comments
}

// Feed appends text (one or more whole lines, each ending in "\n") and
// returns the statements it completes, without their `;` and trimmed.
// Statements holding only whitespace and comments are dropped.
func (s *splitter) Feed(text string) []string {
	s.buf += text
	var out []string
	for s.pos < len(s.buf) {
		if s.state == lexCode && s.buf[s.pos] == ';' {
			if s.content {
				out = append(out, strings.TrimSpace(s.buf[:s.pos]))
			}
			s.buf, s.pos, s.content = s.buf[s.pos+1:], 0, false
			continue
		}
		s.pos += s.step()
	}
	if s.state == lexCode && !s.content {
		s.buf, s.pos = "", 0 // only whitespace and comments: nothing pending
	}
	return out
}

// Empty reports whether no statement is pending.
func (s *splitter) Empty() bool { return s.buf == "" }

// InCode reports whether the pending text ends outside any literal or
// comment, so that a new line starting with `\` is a meta command.
func (s *splitter) InCode() bool { return s.state == lexCode }

// Pending returns the unterminated statement, trimmed, or "" when it holds
// only whitespace and comments.
func (s *splitter) Pending() string {
	if !s.content {
		return ""
	}
	return strings.TrimSpace(s.buf)
}

// CutMeta splits a line at its first `\` outside literals and comments
// (given what is pending): the SQL before it, and the meta command from
// it on. ok is false when the line holds no meta command. It changes
// nothing; Feed the SQL part afterwards.
func (s *splitter) CutMeta(line string) (sql, meta string, ok bool) {
	probe := *s
	probe.buf += line
	for probe.pos < len(probe.buf) {
		if probe.state == lexCode && probe.buf[probe.pos] == '\\' {
			i := probe.pos - len(s.buf)
			return line[:i], line[i:], true
		}
		probe.pos += probe.step()
	}
	return line, "", false
}

// Reset drops the pending text.
func (s *splitter) Reset() { *s = splitter{} }

// step scans from pos, updating the state, and returns how many bytes it
// consumed (at least one).
func (s *splitter) step() int {
	b, next := s.buf[s.pos], s.peek(1)
	switch s.state {
	case lexSingle, lexEscape:
		return s.stepString(b, next)
	case lexDouble:
		if b == '"' {
			s.state = lexCode
		}
	case lexLineComment:
		if b == '\n' {
			s.state = lexCode
		}
	case lexBlockComment:
		return s.stepBlockComment(b, next)
	case lexDollar:
		if strings.HasPrefix(s.buf[s.pos:], s.tag) {
			s.state = lexCode
			return len(s.tag)
		}
	default:
		return s.stepCode(b, next)
	}
	return 1
}

func (s *splitter) stepCode(b, next byte) int {
	switch {
	case b == '-' && next == '-':
		s.state = lexLineComment
		return 2
	case b == '/' && next == '*':
		s.state, s.depth = lexBlockComment, 1
		return 2
	case b == '\'':
		s.state = lexSingle
		if p := s.peek(-1); (p == 'E' || p == 'e') && !isIdent(s.peek(-2)) {
			s.state = lexEscape
		}
	case b == '"':
		s.state = lexDouble
	case b == '$':
		if tag := s.dollarTag(); tag != "" {
			s.state, s.tag, s.content = lexDollar, tag, true
			return len(tag)
		}
	}
	if !isSpace(b) {
		s.content = true
	}
	return 1
}

func (s *splitter) stepString(b, next byte) int {
	switch {
	case b == '\\' && s.state == lexEscape:
		return 2
	case b == '\'' && next == '\'':
		return 2
	case b == '\'':
		s.state = lexCode
	}
	return 1
}

func (s *splitter) stepBlockComment(b, next byte) int {
	switch {
	case b == '/' && next == '*':
		s.depth++
		return 2
	case b == '*' && next == '/':
		if s.depth--; s.depth == 0 {
			s.state = lexCode
		}
		return 2
	}
	return 1
}

// dollarTag returns the dollar-quote opener at pos ($$ or $name$), or ""
// when the `$` is something else (a parameter $1, part of an identifier).
func (s *splitter) dollarTag() string {
	if isIdent(s.peek(-1)) {
		return ""
	}
	rest := s.buf[s.pos+1:]
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '$':
			return s.buf[s.pos : s.pos+i+2]
		case c >= '0' && c <= '9' && i == 0, !isIdent(c):
			return ""
		}
	}
	return ""
}

// peek returns the byte at pos+off, or 0 outside buf.
func (s *splitter) peek(off int) byte {
	if i := s.pos + off; i >= 0 && i < len(s.buf) {
		return s.buf[i]
	}
	return 0
}

func isIdent(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }
