package render

import "strings"

// AppendToken appends row i as one space-separated token of a changelog
// line (`+I 1 eu 2.50`, the style of DESIGN.md's goldens): NULL as NULL;
// a text that is empty, contains a space, tab, newline or quote, or reads
// NULL is quoted 'like this' with ' doubled.
func (c Column) AppendToken(dst []byte, i int) []byte {
	if c.arr.IsNull(i) {
		return append(dst, "NULL"...)
	}
	start := len(dst)
	dst = c.text(dst, i)
	if !needsQuote(dst[start:]) {
		return dst
	}
	text := string(dst[start:])
	dst = append(dst[:start], '\'')
	dst = append(dst, strings.ReplaceAll(text, "'", "''")...)
	return append(dst, '\'')
}

func needsQuote(b []byte) bool {
	if len(b) == 0 || string(b) == "NULL" {
		return true
	}
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r', '\'':
			return true
		}
	}
	return false
}
