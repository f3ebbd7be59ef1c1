package render

import (
	"encoding/json"
	"unicode/utf8"
)

// AppendJSON appends row i as a JSON value: null, true/false, numbers
// (DECIMAL with its exact digits; non-finite DOUBLE as null), nested values
// as Arrow marshals them, everything else as a JSON string of its text.
func (c Column) AppendJSON(dst []byte, i int) []byte {
	if c.arr.IsNull(i) {
		return append(dst, "null"...)
	}
	switch c.json {
	case jsonNumber, jsonBool:
		return c.text(dst, i)
	case jsonFloat:
		start := len(dst)
		dst = c.text(dst, i)
		switch string(dst[start:]) {
		case "nan", "inf", "-inf":
			return append(dst[:start], "null"...)
		}
		return dst
	case jsonMarshal:
		b, err := json.Marshal(c.arr.GetOneForMarshal(i))
		if err != nil {
			return AppendJSONString(dst, c.arr.ValueStr(i))
		}
		return append(dst, b...)
	}
	start := len(dst)
	dst = c.text(dst, i)
	text := string(dst[start:])
	return AppendJSONString(dst[:start], text)
}

// AppendJSONString appends s as a JSON string literal. Invalid UTF-8 becomes
// U+FFFD; HTML characters are not escaped.
func AppendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
