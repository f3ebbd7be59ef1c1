package expr

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// strSigs maps each string function to its signature and row function.
func strSigs() map[scalar.Func]strSig {
	one := func(f func(buf []byte, s string) []byte) strImpl {
		return func(buf []byte, s []string, _ []int64) ([]byte, int64, bool) { return f(buf, s[0]), 0, true }
	}
	return map[scalar.Func]strSig{
		scalar.FuncConcat:    {kinds: "s", variadic: true, minArgs: 1, impl: concatImpl},
		scalar.FuncConcatWs:  {kinds: "s", variadic: true, minArgs: 2, lenient: true, impl: concatWsImpl},
		scalar.FuncSubstring: {kinds: "sii", minArgs: 2, impl: substringImpl},
		scalar.FuncUpper:     {kinds: "s", minArgs: 1, impl: one(func(b []byte, s string) []byte { return mapRunes(b, s, unicode.ToUpper) })},
		scalar.FuncLower:     {kinds: "s", minArgs: 1, impl: one(func(b []byte, s string) []byte { return mapRunes(b, s, unicode.ToLower) })},
		scalar.FuncTrim:      {kinds: "ss", minArgs: 1, impl: trimImpl(true, true)},
		scalar.FuncLTrim:     {kinds: "ss", minArgs: 1, impl: trimImpl(true, false)},
		scalar.FuncRTrim:     {kinds: "ss", minArgs: 1, impl: trimImpl(false, true)},
		scalar.FuncReverse:   {kinds: "s", minArgs: 1, impl: one(reverseRunes)},
		scalar.FuncLength:    {kinds: "s", minArgs: 1, intOut: true, impl: func(b []byte, s []string, _ []int64) ([]byte, int64, bool) { return b, int64(len(s[0])), true }},
		scalar.FuncCharLength: {kinds: "s", minArgs: 1, intOut: true, impl: func(b []byte, s []string, _ []int64) ([]byte, int64, bool) {
			return b, int64(utf8.RuneCountInString(s[0])), true
		}},
		scalar.FuncReplace: {kinds: "sss", minArgs: 3, impl: replaceImpl},
		scalar.FuncLeft:    {kinds: "si", minArgs: 2, impl: leftImpl},
		scalar.FuncRight:   {kinds: "si", minArgs: 2, impl: rightImpl},
		scalar.FuncLPad:    {kinds: "sis", minArgs: 3, impl: padImpl(true)},
		scalar.FuncRPad:    {kinds: "sis", minArgs: 3, impl: padImpl(false)},
		scalar.FuncMask:    {kinds: "sii", minArgs: 3, impl: maskImpl},
		scalar.FuncMD5:     {kinds: "s", minArgs: 1, impl: one(md5Hex)},
		scalar.FuncSHA2:    {kinds: "si", minArgs: 2, impl: sha2Impl},
	}
}

func concatImpl(buf []byte, s []string, _ []int64) ([]byte, int64, bool) {
	for _, v := range s {
		buf = append(buf, v...)
	}
	return buf, 0, true
}

// concatWsImpl joins the non-NULL arguments after the separator s[0].
func concatWsImpl(buf []byte, s []string, _ []int64) ([]byte, int64, bool) {
	first := true
	for _, v := range s[1:] {
		if isNullMarker(v) {
			continue
		}
		if !first {
			buf = append(buf, s[0]...)
		}
		buf, first = append(buf, v...), false
	}
	return buf, 0, true
}

func mapRunes(buf []byte, s string, f func(rune) rune) []byte {
	for _, r := range s {
		if r < utf8.RuneSelf {
			buf = append(buf, byte(f(r)))
		} else {
			buf = utf8.AppendRune(buf, f(r))
		}
	}
	return buf
}

func reverseRunes(buf []byte, s string) []byte {
	for i := len(s); i > 0; {
		_, w := utf8.DecodeLastRuneInString(s[:i])
		buf = append(buf, s[i-w:i]...)
		i -= w
	}
	return buf
}

// runeOffset returns the byte offset of character n (clamped to len(s)).
func runeOffset(s string, n int64) int {
	if n <= 0 {
		return 0
	}
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// substringImpl is SUBSTRING(s, pos[, len]) with MySQL's rules: 1-based
// characters, pos 0 gives ”, negative pos counts from the end.
func substringImpl(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
	str, pos := s[0], n[0]
	length := int64(1 << 62)
	if len(n) > 1 {
		length = n[1]
	}
	if pos == 0 || length <= 0 {
		return buf, 0, true
	}
	if pos < 0 {
		pos += int64(utf8.RuneCountInString(str)) + 1
		if pos < 1 {
			return buf, 0, true
		}
	}
	start := runeOffset(str, pos-1)
	rest := str[start:]
	return append(buf, rest[:runeOffset(rest, length)]...), 0, true
}

func replaceImpl(buf []byte, s []string, _ []int64) ([]byte, int64, bool) {
	str, from, to := s[0], s[1], s[2]
	if from == "" {
		return append(buf, str...), 0, true
	}
	for {
		i := strings.Index(str, from)
		if i < 0 {
			return append(buf, str...), 0, true
		}
		buf = append(append(buf, str[:i]...), to...)
		str = str[i+len(from):]
	}
}

func leftImpl(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
	return append(buf, s[0][:runeOffset(s[0], n[0])]...), 0, true
}

func rightImpl(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
	if n[0] <= 0 {
		return buf, 0, true
	}
	cnt := int64(utf8.RuneCountInString(s[0]))
	if n[0] >= cnt {
		return append(buf, s[0]...), 0, true
	}
	return append(buf, s[0][runeOffset(s[0], cnt-n[0]):]...), 0, true
}

// padImpl is LPAD/RPAD(s, len, pad): truncates s to len characters, NULL
// for a negative len or when padding is needed but pad is ”.
func padImpl(left bool) strImpl {
	return func(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
		str, want, pad := s[0], n[0], s[1]
		if want < 0 {
			return buf, 0, false
		}
		cnt := int64(utf8.RuneCountInString(str))
		if want <= cnt {
			return append(buf, str[:runeOffset(str, want)]...), 0, true
		}
		if pad == "" {
			return buf, 0, false
		}
		if !left {
			buf = append(buf, str...)
		}
		for need := want - cnt; need > 0; {
			for _, r := range pad {
				if need == 0 {
					break
				}
				buf = utf8.AppendRune(buf, r)
				need--
			}
		}
		if left {
			buf = append(buf, str...)
		}
		return buf, 0, true
	}
}

// trimImpl is TRIM/LTRIM/RTRIM(s[, remstr]): removes repeated whole
// occurrences of remstr (default ' ') from the chosen ends, as MySQL's
// TRIM([BOTH|LEADING|TRAILING] remstr FROM s).
func trimImpl(lead, trail bool) strImpl {
	return func(buf []byte, s []string, _ []int64) ([]byte, int64, bool) {
		str, rem := s[0], " "
		if len(s) > 1 {
			rem = s[1]
		}
		if rem != "" {
			for lead && strings.HasPrefix(str, rem) {
				str = str[len(rem):]
			}
			for trail && strings.HasSuffix(str, rem) {
				str = str[:len(str)-len(rem)]
			}
		}
		return append(buf, str...), 0, true
	}
}
