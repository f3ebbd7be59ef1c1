package parser

import (
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a pre-pass token.
type tokKind uint8

const (
	tokIdent       tokKind = iota + 1 // bare word, keywords included
	tokQuotedIdent                    // `name`
	tokString                         // 'text' or "text"
	tokNumber                         // 12, 1.5, 1e3
	tokPunct                          // ( ) , ; . = and operators
)

// token is one lexeme of the pre-pass, with its byte range in the file.
type token struct {
	kind       tokKind
	start, end int
	text       string // raw text as written
}

// value returns an identifier's or string's content without quotes and
// with doubled/escaped quotes resolved; other tokens return their text.
func (t token) value() string {
	switch t.kind {
	case tokQuotedIdent:
		return strings.ReplaceAll(t.text[1:len(t.text)-1], "``", "`")
	case tokString:
		return unquoteString(t.text)
	}
	return t.text
}

// is reports whether t is the bare word kw (case-insensitive).
func (t token) is(kw string) bool {
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

// isPunct reports whether t is the punctuation p.
func (t token) isPunct(p string) bool { return t.kind == tokPunct && t.text == p }

// isName reports whether t can name something (bare or quoted identifier).
func (t token) isName() bool { return t.kind == tokIdent || t.kind == tokQuotedIdent }

func unquoteString(s string) string {
	q := s[0]
	body := s[1 : len(s)-1]
	if !strings.ContainsAny(body, "\\"+string(q)) {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body):
			i++
			b.WriteByte(unescape(body[i]))
		case c == q && i+1 < len(body) && body[i+1] == q:
			i++
			b.WriteByte(q)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case '0':
		return 0
	}
	return c
}

// lexError is a tokenizer error at a byte offset.
type lexError struct {
	pos int
	msg string
}

// lex tokenizes src[from:to] (offsets are into src), skipping whitespace and
// comments (`-- `, `#`, `/* */`).
func lex(src string, from, to int) ([]token, *lexError) {
	var toks []token
	i := from
	for i < to {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || (c == '-' && i+1 < to && src[i+1] == '-'):
			for i < to && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < to && src[i+1] == '*':
			end := strings.Index(src[i+2:to], "*/")
			if end < 0 {
				return toks, &lexError{i, "unterminated comment"}
			}
			i += 2 + end + 2
		case c == '\'' || c == '"' || c == '`':
			end, ok := scanQuoted(src, i, to)
			if !ok {
				return toks, &lexError{i, unterminatedMsg(c)}
			}
			kind := tokString
			if c == '`' {
				kind = tokQuotedIdent
			}
			toks = append(toks, token{kind, i, end, src[i:end]})
			i = end
		case isDigit(c) || (c == '.' && i+1 < to && isDigit(src[i+1])):
			end := scanNumber(src, i, to)
			toks = append(toks, token{tokNumber, i, end, src[i:end]})
			i = end
		case isIdentStart(c):
			end := i
			for end < to && isIdentPart(src[end]) {
				end++
			}
			toks = append(toks, token{tokIdent, i, end, src[i:end]})
			i = end
		default:
			end := scanPunct(src, i, to)
			toks = append(toks, token{tokPunct, i, end, src[i:end]})
			i = end
		}
	}
	return toks, nil
}

func unterminatedMsg(q byte) string {
	if q == '`' {
		return "unterminated quoted identifier"
	}
	return "unterminated string literal"
}

// scanQuoted returns the end of the quoted token starting at src[i].
// Quotes are escaped by doubling; in strings also by backslash.
func scanQuoted(src string, i, to int) (int, bool) {
	q := src[i]
	for j := i + 1; j < to; j++ {
		switch src[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			if j+1 < to && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return to, false
}

func scanNumber(src string, i, to int) int {
	end := i
	for end < to && (isDigit(src[end]) || src[end] == '.') {
		end++
	}
	if end < to && (src[end] == 'e' || src[end] == 'E') {
		k := end + 1
		if k < to && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < to && isDigit(src[k]) {
			end = k
			for end < to && isDigit(src[end]) {
				end++
			}
		}
	}
	return end
}

var twoCharOps = []string{"<=", ">=", "<>", "!=", "||", "&&", "::", "=>", "<<", ">>", ":="}

func scanPunct(src string, i, to int) int {
	if i+2 <= to {
		for _, op := range twoCharOps {
			if src[i:i+2] == op {
				return i + 2
			}
		}
	}
	if src[i] < utf8.RuneSelf {
		return i + 1
	}
	_, n := utf8.DecodeRuneInString(src[i:to])
	return i + n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= utf8.RuneSelf
}

func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) }
