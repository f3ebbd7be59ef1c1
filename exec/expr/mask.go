package expr

import "unicode/utf8"

// maskImpl is MASK(s, head, tail) (DESIGN.md §2): counting characters, a
// string of at most head+tail characters is unchanged; otherwise every
// character between the first head and the last tail becomes '*'.
// Negative head or tail count as 0.
func maskImpl(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
	str, head, tail := s[0], max(n[0], 0), max(n[1], 0)
	cnt := int64(utf8.RuneCountInString(str))
	if cnt <= head+tail {
		return append(buf, str...), 0, true
	}
	var i int64
	for _, r := range str {
		if i < head || i >= cnt-tail {
			buf = utf8.AppendRune(buf, r)
		} else {
			buf = append(buf, '*')
		}
		i++
	}
	return buf, 0, true
}
