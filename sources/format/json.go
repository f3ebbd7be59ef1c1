package format

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
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
	// slots remembers, for the k-th field of the previous top-level
	// object, its key and column, so records of one producer (same field
	// order) match keys with one byte comparison instead of a map lookup.
	slots []keySlot
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
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
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
	for k := 0; ; k++ {
		if i >= len(s) || s[i] != '"' {
			return syntax(s, i)
		}
		col, j, err := d.fieldKey(s, i, k)
		if err != nil {
			return err
		}
		i = skipWS(s, j)
		if i >= len(s) || s[i] != ':' {
			return syntax(s, i)
		}
		i = skipWS(s, i+1)
		if col >= 0 {
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

// keySlot is a key seen at one field position and its column (-1 unknown).
// key holds the raw bytes between the quotes: it has no escapes, quotes or
// control bytes and is valid UTF-8, so equal raw bytes are the same key.
type keySlot struct {
	key []byte
	col int
}

// maxSlots bounds the field positions remembered per object.
const maxSlots = 64

// fieldKey reads the key at s[i] == '"', the k-th of its object, and
// returns its column (-1 when unknown) and the index after the closing
// quote. A key equal to the k-th key of the previous object reuses its
// column without unescaping or a map lookup.
func (d *jsonDecoder) fieldKey(s []byte, i, k int) (int, int, error) {
	if k < len(d.slots) {
		sl := &d.slots[k]
		end := i + 1 + len(sl.key)
		if end < len(s) && s[end] == '"' && bytes.Equal(s[i+1:end], sl.key) {
			return sl.col, end + 1, nil
		}
	}
	key, j, err := readString(s, i, &d.keyBuf)
	if err != nil {
		return -1, j, err
	}
	col := d.lookup(key)
	if j == i+2+len(key) && k <= len(d.slots) && k < maxSlots { // no escapes: key is s[i+1:j-1]
		if k == len(d.slots) {
			d.slots = append(d.slots, keySlot{})
		}
		d.slots[k] = keySlot{key: append(d.slots[k].key[:0], key...), col: col}
	}
	return col, j, nil
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
	var hi uint64 // OR of the bytes before j: its 0x80 bits flag non-ASCII
	// Eight bytes at a time while none is a quote, a backslash or a
	// control byte; the lowest flagged byte is exact (false positives of
	// the borrow trick only lie above a true one).
	for j+8 <= len(s) {
		v := binary.LittleEndian.Uint64(s[j:])
		q := v ^ (lsbs * '"')
		b := v ^ (lsbs * '\\')
		m := ((q - lsbs) &^ q) | ((b - lsbs) &^ b) | ((v - lsbs*0x20) &^ v)
		if m &= msbs; m != 0 {
			n := bits.TrailingZeros64(m) / 8
			hi |= v & (1<<(8*n) - 1)
			j += n
			break
		}
		hi |= v
		j += 8
	}
	for j < len(s) {
		c := s[j]
		if c == '"' {
			if hi&msbs != 0 && !utf8.Valid(s[start:j]) {
				return nil, 0, recErr("line is not valid JSON: invalid UTF-8 in string at byte %d", start+1)
			}
			return s[start:j], j + 1, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		hi |= uint64(c)
		j++
	}
	return unescape(s, start, j, buf)
}

// Byte-parallel masks for readString.
const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

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
		if c.Type.ID == catalog.Varchar {
			c.SetBytes(str)
			return j, nil
		}
		return j, d.setString(c, str)
	case ch == '-' || (ch >= '0' && ch <= '9'):
		if j, ok := fastNumber(c, s, i); ok {
			return j, nil
		}
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

// pow10 are the powers of ten exact in a float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// fastNumber parses the JSON number at s[i] straight into an INT, BIGINT,
// TIMESTAMP or DOUBLE column when that is simple: at most 18 digits for
// integers (no overflow possible in a uint64), at most 15 significant
// digits and no exponent for doubles (so mantissa / 10^k is exact up to
// one correctly rounded division, as strconv computes it). It reports false,
// having set nothing, for anything else, which the general path handles
// (other types, errors, long numbers).
func fastNumber(c *colbuf.Column, s []byte, i int) (int, bool) {
	id := c.Type.ID
	if id != catalog.BigInt && id != catalog.Int && id != catalog.Timestamp && id != catalog.Double {
		return i, false
	}
	k := i
	neg := s[k] == '-'
	if neg {
		k++
	}
	start := k
	var u uint64
	for k < len(s) && s[k]-'0' <= 9 {
		u = u*10 + uint64(s[k]-'0')
		k++
	}
	nd := k - start
	if nd == 0 || nd > 18 || (nd > 1 && s[start] == '0') {
		return i, false
	}
	frac := 0
	if k < len(s) && s[k] == '.' {
		if id != catalog.Double {
			return i, false
		}
		k++
		fs := k
		for k < len(s) && s[k]-'0' <= 9 {
			u = u*10 + uint64(s[k]-'0')
			k++
		}
		frac = k - fs
		if frac == 0 || nd+frac > 15 {
			return i, false
		}
	}
	if k < len(s) && (s[k] == 'e' || s[k] == 'E') {
		return i, false
	}
	switch id {
	case catalog.Double:
		if nd > 15 {
			return i, false
		}
		f := float64(u) / pow10[frac]
		if neg {
			f = -f
		}
		c.SetFloat64(f)
	case catalog.Int:
		v := int64(u)
		if neg {
			v = -v
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			return i, false
		}
		c.SetInt32(int32(v))
	default:
		v := int64(u)
		if neg {
			v = -v
		}
		c.SetInt64(v)
	}
	return k, true
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
