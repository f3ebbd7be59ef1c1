package pgwire

import (
	"strings"
	"unicode"
)

// splitStatements splits a query string into its statements at the
// semicolons outside quotes ('...', "...", $tag$...$tag$) and comments
// (-- to the end of the line, /* */ nested), trimming each one and
// dropping empty ones (a statement of only comments is empty).
func splitStatements(q string) []string {
	var out []string
	start := 0
	for i := 0; i < len(q); {
		switch {
		case q[i] == ';':
			out = appendStatement(out, q[start:i])
			i++
			start = i
		default:
			i = skipToken(q, i)
		}
	}
	return appendStatement(out, q[start:])
}

func appendStatement(out []string, s string) []string {
	s = strings.TrimSpace(s)
	if skipSpace(s, 0) == len(s) {
		return out // empty, or only comments
	}
	return append(out, s)
}

// skipToken returns the index after the token at q[i]: a quoted string,
// identifier, dollar-quoted string, comment, or one byte.
func skipToken(q string, i int) int {
	switch c := q[i]; {
	case c == '\'' || c == '"':
		return skipQuoted(q, i, c)
	case c == '-' && strings.HasPrefix(q[i:], "--"):
		if j := strings.IndexByte(q[i:], '\n'); j >= 0 {
			return i + j + 1
		}
		return len(q)
	case c == '/' && strings.HasPrefix(q[i:], "/*"):
		return skipBlockComment(q, i)
	case c == '$':
		return skipDollar(q, i)
	}
	return i + 1
}

// skipQuoted skips a quoted string or identifier; a doubled quote is an
// escaped quote, and so is a backslash-escaped one in E'...' strings.
func skipQuoted(q string, i int, quote byte) int {
	escapes := quote == '\'' && i > 0 && (q[i-1] == 'E' || q[i-1] == 'e')
	for j := i + 1; j < len(q); j++ {
		switch {
		case escapes && q[j] == '\\':
			j++
		case q[j] == quote:
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

func skipBlockComment(q string, i int) int {
	depth := 0
	for j := i; j < len(q)-1; j++ {
		switch {
		case q[j] == '/' && q[j+1] == '*':
			depth++
			j++
		case q[j] == '*' && q[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(q)
}

// skipDollar skips a $tag$...$tag$ string; a $1 parameter is one byte.
func skipDollar(q string, i int) int {
	j := i + 1
	for j < len(q) && (q[j] == '_' || unicode.IsLetter(rune(q[j])) || (j > i+1 && unicode.IsDigit(rune(q[j])))) {
		j++
	}
	if j >= len(q) || q[j] != '$' {
		return i + 1
	}
	tag := q[i : j+1]
	if end := strings.Index(q[j+1:], tag); end >= 0 {
		return j + 1 + end + len(tag)
	}
	return len(q)
}

// skipSpace returns the index of the first byte at or after i that is
// neither white space nor inside a comment.
func skipSpace(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f':
			i++
		case strings.HasPrefix(s[i:], "--"), strings.HasPrefix(s[i:], "/*"):
			i = skipToken(s, i)
		default:
			return i
		}
	}
	return i
}

// keywords returns the first n words of a statement, upper-cased,
// skipping comments; it stops at the first token that is not a word.
func keywords(s string, n int) []string {
	var out []string
	i := 0
	for len(out) < n {
		i = skipSpace(s, i)
		j := i
		for j < len(s) && (s[j] == '_' || unicode.IsLetter(rune(s[j])) || (j > i && unicode.IsDigit(rune(s[j])))) {
			j++
		}
		if j == i {
			break
		}
		out = append(out, strings.ToUpper(s[i:j]))
		i = j
	}
	return out
}

// afterKeywords returns s after its first n words (and the comments and
// space around them).
func afterKeywords(s string, n int) string {
	i := 0
	for range n {
		i = skipSpace(s, i)
		for i < len(s) && (s[i] == '_' || unicode.IsLetter(rune(s[i])) || unicode.IsDigit(rune(s[i]))) {
			i++
		}
	}
	return strings.TrimSpace(s[skipSpace(s, i):])
}
