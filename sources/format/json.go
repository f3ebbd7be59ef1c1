package format

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// jsonDecoder decodes one JSON object per record with a hand-written
// scanner that writes each field straight into its column. Field names are
// matched to columns case-insensitively; unknown fields (including nested
// objects and arrays) are skipped after a structural check.
type jsonDecoder struct {
	b      *colbuf.Batch
	exact  map[string]int // column name as declared → index
	folded map[string]int // lower-cased name → index
	keyBuf []byte         // unescaped key
	valBuf []byte         // unescaped string value
	lower  []byte
	stack  []byte // open brackets while skipping
	// textScalars accepts a JSON string for INT, BIGINT, DOUBLE and BOOLEAN
	// columns too (canal-json quotes every value).
	textScalars bool
}

var _ Decoder = (*jsonDecoder)(nil)

func newJSONDecoder(b *colbuf.Batch) *jsonDecoder {
	d := &jsonDecoder{b: b, exact: map[string]int{}, folded: map[string]int{}}
	for i, c := range b.Cols {
		d.exact[c.Name] = i
		if _, dup := d.folded[strings.ToLower(c.Name)]; !dup {
			d.folded[strings.ToLower(c.Name)] = i
		}
	}
	return d
}

func (d *jsonDecoder) Len() int                 { return d.b.Len() }
func (d *jsonDecoder) Full() bool               { return d.b.Full() }
func (d *jsonDecoder) Flush() arrow.RecordBatch { return d.b.Finish() }
func (d *jsonDecoder) Release()                 { d.b.Release() }

// Decode implements Decoder.
func (d *jsonDecoder) Decode(rec []byte) error {
	if err := d.object(rec); err != nil {
		d.b.Rollback()
		return err
	}
	return commit(d.b)
}

// syntax reports invalid JSON at byte i (1-based in the message).
func syntax(s []byte, i int) *RecordError {
	if i >= len(s) {
		return recErr("line is not valid JSON: unexpected end of input at byte %d", len(s)+1)
	}
	return recErr("line is not valid JSON: unexpected %s at byte %d", describeByte(s[i]), i+1)
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func skipWS(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

func (d *jsonDecoder) object(s []byte) error {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return syntax(s, i)
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return d.trailing(s, i+1)
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return syntax(s, i)
		}
		key, j, err := readString(s, i, &d.keyBuf)
		if err != nil {
			return err
		}
		i = skipWS(s, j)
		if i >= len(s) || s[i] != ':' {
			return syntax(s, i)
		}
		i = skipWS(s, i+1)
		if col := d.lookup(key); col >= 0 {
			i, err = d.value(d.b.Cols[col], s, i)
		} else {
			i, err = d.skipValue(s, i)
		}
		if err != nil {
			return err
		}
		i = skipWS(s, i)
		if i < len(s) && s[i] == ',' {
			i = skipWS(s, i+1)
			continue
		}
		if i < len(s) && s[i] == '}' {
			return d.trailing(s, i+1)
		}
		return syntax(s, i)
	}
}

func (d *jsonDecoder) trailing(s []byte, i int) error {
	if i = skipWS(s, i); i != len(s) {
		return syntax(s, i)
	}
	return nil
}

func (d *jsonDecoder) lookup(key []byte) int {
	if i, ok := d.exact[string(key)]; ok {
		return i
	}
	d.lower = d.lower[:0]
	for _, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		d.lower = append(d.lower, c)
	}
	if i, ok := d.folded[string(d.lower)]; ok {
		return i
	}
	return -1
}

// readString reads the JSON string starting at s[i] == '"'. It returns its
// content (a slice of s when it has no escapes, else of *buf) and the index
// after the closing quote.
func readString(s []byte, i int, buf *[]byte) ([]byte, int, error) {
	start := i + 1
	j := start
	var hi byte
	for j < len(s) {
		c := s[j]
		if c == '"' {
			if hi >= 0x80 && !utf8.Valid(s[start:j]) {
				return nil, 0, recErr("line is not valid JSON: invalid UTF-8 in string at byte %d", start+1)
			}
			return s[start:j], j + 1, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		hi |= c
		j++
	}
	return unescape(s, start, j, buf)
}

func (d *jsonDecoder) value(c *colbuf.Column, s []byte, i int) (int, error) {
	if i >= len(s) {
		return i, syntax(s, i)
	}
	switch ch := s[i]; {
	case ch == '"':
		str, j, err := readString(s, i, &d.valBuf)
		if err != nil {
			return j, err
		}
		return j, d.setString(c, str)
	case ch == '-' || (ch >= '0' && ch <= '9'):
		j, isInt, err := scanNumber(s, i)
		if err != nil {
			return j, err
		}
		return j, setNumber(c, s[i:j], isInt)
	case ch == 'n':
		j, err := literal(s, i, "null")
		c.SetNull()
		return j, err
	case ch == 't' || ch == 'f':
		lit := "true"
		if ch == 'f' {
			lit = "false"
		}
		j, err := literal(s, i, lit)
		if err != nil {
			return j, err
		}
		if c.Type.ID != catalog.Boolean {
			return j, mismatch(c, lit)
		}
		c.SetBool(ch == 't')
		return j, nil
	case ch == '{':
		return i, mismatch(c, "an object")
	case ch == '[':
		return i, mismatch(c, "an array")
	}
	return i, syntax(s, i)
}

func (d *jsonDecoder) setString(c *colbuf.Column, str []byte) error {
	switch c.Type.ID {
	case catalog.Varchar, catalog.Decimal, catalog.Date, catalog.Timestamp:
		if err := setText(c, str); err != nil {
			return err
		}
		return nil
	case catalog.Int, catalog.BigInt, catalog.Double, catalog.Boolean:
		if d.textScalars {
			if err := setText(c, str); err != nil {
				return err
			}
			return nil
		}
	}
	return mismatch(c, "string "+quote(str))
}

func setNumber(c *colbuf.Column, num []byte, isInt bool) error {
	switch c.Type.ID {
	case catalog.Int, catalog.BigInt, catalog.Timestamp:
		if !isInt {
			return recErr("column %s: expected an integer, got %s", c.Name, num)
		}
		bits := 64
		if c.Type.ID == catalog.Int {
			bits = 32
		}
		v, ok := parseInt(num, bits)
		if !ok {
			return recErr("column %s: %s is out of range for %s", c.Name, num, c.Type)
		}
		if bits == 32 {
			c.SetInt32(int32(v))
		} else {
			c.SetInt64(v)
		}
		return nil
	case catalog.Double:
		v, _ := parseFloat(num)
		c.SetFloat64(v)
		return nil
	case catalog.Decimal:
		if err := setDecimal(c, num); err != nil {
			return err
		}
		return nil
	}
	return mismatch(c, "number "+string(num))
}

// mismatch is a JSON value of the wrong kind for c's type.
func mismatch(c *colbuf.Column, got string) error {
	var want string
	switch c.Type.ID {
	case catalog.Int, catalog.BigInt, catalog.Double, catalog.Decimal:
		want = "a number"
	case catalog.Varchar:
		want = "a string"
	case catalog.Boolean:
		want = "true or false"
	case catalog.Date:
		want = "a date string"
	case catalog.Timestamp:
		want = "a timestamp string or epoch milliseconds"
	}
	return recErr("column %s: expected %s, got %s", c.Name, want, got)
}

func literal(s []byte, i int, lit string) (int, error) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(s) || s[i+k] != lit[k] {
			return i + k, syntax(s, i+k)
		}
	}
	return i + len(lit), nil
}

// scanNumber checks the JSON number grammar from s[i] and returns its end
// and whether it is an integer (no fraction or exponent).
func scanNumber(s []byte, i int) (int, bool, error) {
	if s[i] == '-' {
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return i, false, syntax(s, i)
	}
	if s[i] == '0' {
		i++
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	isInt := true
	if i < len(s) && s[i] == '.' {
		isInt = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return i, false, syntax(s, i)
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		isInt = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return i, false, syntax(s, i)
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i, isInt, nil
}
