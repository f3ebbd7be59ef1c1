package format

import (
	"unicode/utf16"
	"unicode/utf8"
)

// unescape decodes the JSON string whose content starts at s[start] and
// whose first escape or control byte is at s[j], into *buf.
func unescape(s []byte, start, j int, buf *[]byte) ([]byte, int, error) {
	out := append((*buf)[:0], s[start:j]...)
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			*buf = out
			if !utf8.Valid(out) {
				return nil, 0, recErr("line is not valid JSON: invalid UTF-8 in string at byte %d", start+1)
			}
			return out, j + 1, nil
		case c < 0x20:
			return nil, j, syntax(s, j)
		case c != '\\':
			out = append(out, c)
			j++
			continue
		}
		if j+1 >= len(s) {
			return nil, j + 1, syntax(s, j+1)
		}
		e := s[j+1]
		j += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n, err := hexRune(s, j)
			if err != nil {
				return nil, j, err
			}
			j = n
			out = utf8.AppendRune(out, r)
		default:
			return nil, j - 1, syntax(s, j-1)
		}
	}
	return nil, j, syntax(s, j)
}

// hexRune decodes \uXXXX at s[j:] (after the "\u"), joining surrogate pairs.
func hexRune(s []byte, j int) (rune, int, error) {
	r, ok := hex4(s, j)
	if !ok {
		return 0, j, syntax(s, j)
	}
	j += 4
	if utf16.IsSurrogate(r) {
		if j+6 <= len(s) && s[j] == '\\' && s[j+1] == 'u' {
			if r2, ok := hex4(s, j+2); ok {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					return d, j + 6, nil
				}
			}
		}
		return utf8.RuneError, j, nil
	}
	return r, j, nil
}

func hex4(s []byte, j int) (rune, bool) {
	if j+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[j : j+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skipValue skips the JSON value at s[i] of an unknown field, checking its
// structure (brackets, strings, literals, numbers) without decoding it.
func (d *jsonDecoder) skipValue(s []byte, i int) (int, error) {
	d.stack = d.stack[:0]
	for {
		if i >= len(s) {
			return i, syntax(s, i)
		}
		var err error
		switch c := s[i]; {
		case c == '{' || c == '[':
			d.stack = append(d.stack, c)
			i = skipWS(s, i+1)
			if i < len(s) && (s[i] == '}' || s[i] == ']') {
				if !d.closes(s[i]) {
					return i, syntax(s, i)
				}
				i++
				break
			}
			if c == '{' {
				if i, err = d.skipKey(s, i); err != nil {
					return i, err
				}
			}
			continue
		case c == '"':
			_, i, err = readString(s, i, &d.valBuf)
		case c == '-' || (c >= '0' && c <= '9'):
			i, _, err = scanNumber(s, i)
		case c == 't':
			i, err = literal(s, i, "true")
		case c == 'f':
			i, err = literal(s, i, "false")
		case c == 'n':
			i, err = literal(s, i, "null")
		default:
			return i, syntax(s, i)
		}
		if err != nil {
			return i, err
		}
		// After a value: close brackets, or separators inside a container.
		for {
			if len(d.stack) == 0 {
				return i, nil
			}
			i = skipWS(s, i)
			if i >= len(s) {
				return i, syntax(s, i)
			}
			if s[i] == '}' || s[i] == ']' {
				if !d.closes(s[i]) {
					return i, syntax(s, i)
				}
				i++
				continue
			}
			break
		}
		if s[i] != ',' {
			return i, syntax(s, i)
		}
		i = skipWS(s, i+1)
		if d.stack[len(d.stack)-1] == '{' {
			if i, err = d.skipKey(s, i); err != nil {
				return i, err
			}
		}
	}
}

// closes pops the open bracket matching c.
func (d *jsonDecoder) closes(c byte) bool {
	top := d.stack[len(d.stack)-1]
	if (top == '{') != (c == '}') {
		return false
	}
	d.stack = d.stack[:len(d.stack)-1]
	return true
}

// skipKey skips `"key" :` inside an object being skipped.
func (d *jsonDecoder) skipKey(s []byte, i int) (int, error) {
	if i >= len(s) || s[i] != '"' {
		return i, syntax(s, i)
	}
	_, i, err := readString(s, i, &d.valBuf)
	if err != nil {
		return i, err
	}
	i = skipWS(s, i)
	if i >= len(s) || s[i] != ':' {
		return i, syntax(s, i)
	}
	return skipWS(s, i+1), nil
}
