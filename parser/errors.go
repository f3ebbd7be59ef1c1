package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a positioned error in a pipeline file. Error() renders
//
//	pipeline.sql:3:17: unknown column "pricee"
//	  SELECT auction, pricee FROM bid
//	                  ^
//
// Line and Col are 1-based; Col counts characters (code points), not bytes.
type Error struct {
	File      string
	Line, Col int
	Msg       string
	LineText  string // the source line, without its newline
	Offset    int    // byte offset in the file
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s\n  %s\n  ", e.File, e.Line, e.Col, e.Msg, e.LineText)
	// Copy tabs so the caret lines up whatever the tab width.
	n := 0
	for _, r := range e.LineText {
		if n >= e.Col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	for ; n < e.Col-1; n++ {
		b.WriteByte(' ')
	}
	b.WriteByte('^')
	return b.String()
}

// ErrorList is several errors of one file, in file order. Parse reports at
// most one error per statement. errors.As(err, &*Error) finds the first.
type ErrorList []*Error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap exposes the individual errors to errors.Is/As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Position returns the 1-based line and character column of a byte offset
// in f.Text. Offsets outside the text are clamped.
func (f *File) Position(offset int) (line, col int) {
	offset = clamp(offset, len(f.Text))
	lineStart := strings.LastIndexByte(f.Text[:offset], '\n') + 1
	line = strings.Count(f.Text[:lineStart], "\n") + 1
	col = utf8.RuneCountInString(f.Text[lineStart:offset]) + 1
	return line, col
}

// Errorf returns an error positioned at a byte offset of f.Text.
func (f *File) Errorf(offset int, format string, args ...any) *Error {
	return newError(f.Name, f.Text, offset, fmt.Sprintf(format, args...))
}

func newError(name, text string, offset int, msg string) *Error {
	offset = clamp(offset, len(text))
	// Do not point into the middle of a UTF-8 sequence.
	for offset > 0 && offset < len(text) && !utf8.RuneStart(text[offset]) {
		offset--
	}
	f := File{Name: name, Text: text}
	line, col := f.Position(offset)
	lineStart := offset - len(lineUpTo(text, offset))
	lineEnd := strings.IndexByte(text[lineStart:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text) - lineStart
	}
	lt := strings.TrimRight(text[lineStart:lineStart+lineEnd], "\r")
	return &Error{File: name, Line: line, Col: col, Msg: msg, LineText: lt, Offset: offset}
}

// lineUpTo returns the part of offset's line before offset.
func lineUpTo(text string, offset int) string {
	return text[strings.LastIndexByte(text[:offset], '\n')+1 : offset]
}

func clamp(offset, n int) int {
	if offset < 0 {
		return 0
	}
	if offset > n {
		return n
	}
	return offset
}
