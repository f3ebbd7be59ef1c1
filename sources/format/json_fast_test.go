package format

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// decodeRows decodes recs in order with one JSON decoder (so field
// positions are remembered from record to record) and returns each one's
// row or error.
func decodeRows(t *testing.T, schema string, recs []string) []string {
	t.Helper()
	sch, err := srctest.ParseSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	dec, err := New(JSON, sch, Options{BatchSize: 1}, alloc)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Release()
	var out []string
	for _, r := range recs {
		if err := dec.Decode([]byte(r)); err != nil {
			out = append(out, "error: "+err.Error())
			continue
		}
		b := dec.Flush()
		out = append(out, srctest.Rows(b)...)
		b.Release()
	}
	return out
}

// TestJSONKeyPositions checks the per-position key memory: the same key at
// another position, a key that extends or prefixes the remembered one, a
// key with escapes or another case, an unknown key, and more fields than
// positions are remembered.
func TestJSONKeyPositions(t *testing.T) {
	recs := []string{
		`{"id":1,"name":"a","idx":9}`,
		`{"name":"b","id":2}`,           // swapped order
		`{"idx":3,"id":4}`,              // "idx" where "name" was: unknown
		`{"i":5,"id":6}`,                // prefix of the remembered key
		`{"id\u0020":7,"i\u0064":8}`,    // escaped keys: "id " unknown, "id"
		`{"ID":9,"Name":"c"}`,           // case-insensitive
		`{"id":10,"name":"d","idx":11}`, // back to the first shape
		`{"id":12,"name":"é"}`,
		`{"id"  :13 , "name":"f"}`,
		`{"id":14,"name`, // truncated in a remembered key
	}
	want := []string{
		`1 | "a"`,
		`2 | "b"`,
		`4 | NULL`,
		`6 | NULL`,
		`8 | NULL`,
		`9 | "c"`,
		`10 | "d"`,
		`12 | "é"`,
		`13 | "f"`,
		`error: line is not valid JSON: unexpected end of input at byte 15`,
	}
	got := decodeRows(t, "id bigint, name varchar", recs)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// 100 fields: positions beyond the remembered ones still match.
	var cols, rec1, rec2 []string
	for k := 0; k < 100; k++ {
		cols = append(cols, fmt.Sprintf("c%d bigint", k))
		rec1 = append(rec1, fmt.Sprintf(`"c%d":%d`, k, k))
		rec2 = append(rec2, fmt.Sprintf(`"c%d":%d`, 99-k, k))
	}
	got = decodeRows(t, strings.Join(cols, ", "), []string{"{" + strings.Join(rec1, ",") + "}", "{" + strings.Join(rec2, ",") + "}"})
	for k := 0; k < 100; k++ {
		f1 := strings.Split(got[0], " | ")[k]
		f2 := strings.Split(got[1], " | ")[k]
		if f1 != strconv.Itoa(k) || f2 != strconv.Itoa(99-k) {
			t.Fatalf("column c%d: got %s and %s, want %d and %d", k, f1, f2, k, 99-k)
		}
	}
}

// TestJSONNumbers compares numbers decoded into INT, BIGINT, TIMESTAMP and
// DOUBLE columns (the direct path for short numbers, the general one for
// the rest) with strconv.
func TestJSONNumbers(t *testing.T) {
	nums := []string{"0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648", "-2147483649",
		"999999999999999999", "1000000000000000000", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "0.1", "-0.3", "1.5", "123456789012.345",
		"1234567890123456", "0.000000000000001", "1e3", "1E-2", "-2.5e+10", "12345678901234567890",
		"01", "-", "1.", "-01", "1.2", "00", "0.1234567890123456789", "-0.0"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var sb strings.Builder
		if rng.IntN(2) == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(byte('1' + rng.IntN(9)))
		for range rng.IntN(19) {
			sb.WriteByte(byte('0' + rng.IntN(10)))
		}
		if rng.IntN(2) == 0 {
			sb.WriteByte('.')
			for range 1 + rng.IntN(8) {
				sb.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		nums = append(nums, sb.String())
	}
	for _, def := range []string{"n int", "n bigint", "n timestamp", "n double"} {
		recs := make([]string, len(nums))
		for k, num := range nums {
			recs[k] = `{"n":` + num + `,"m":1}`
		}
		got := decodeRows(t, def, recs)
		for k, num := range nums {
			want := expectNumber(t, num, def)
			if got[k] != want && !(strings.HasSuffix(want, "*") && strings.HasPrefix(got[k], want[:len(want)-1])) {
				t.Errorf("%s from %s: got %q, want %q", def, num, got[k], want)
			}
		}
	}
}

// expectNumber is what column n of type def holds after decoding num, from
// the JSON grammar and strconv; a trailing * means "starts with".
func expectNumber(t *testing.T, num, def string) string {
	if !json.Valid([]byte(num)) {
		return "error: line is not valid JSON*"
	}
	typ := strings.ToUpper(strings.TrimPrefix(def, "n "))
	switch {
	case typ == "DOUBLE":
		f, _ := strconv.ParseFloat(num, 64)
		return strconv.FormatFloat(f, 'g', -1, 64)
	case strings.ContainsAny(num, ".eE"):
		return "error: column n: expected an integer, got " + num
	}
	bits := 64
	if typ == "INT" {
		bits = 32
	}
	sch, err := srctest.ParseSchema(def)
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseInt(num, 10, bits)
	if err != nil {
		return fmt.Sprintf("error: column n: %s is out of range for %s", num, sch.Columns[0].Type)
	}
	if typ == "TIMESTAMP" {
		b := array.NewTimestampBuilder(memory.DefaultAllocator, sch.Arrow().Field(0).Type.(*arrow.TimestampType))
		defer b.Release()
		b.Append(arrow.Timestamp(v))
		a := b.NewArray()
		defer a.Release()
		return srctest.Value(a, 0)
	}
	return strconv.FormatInt(v, 10)
}

// TestJSONStrings compares strings (short and long, with escapes, non-ASCII,
// invalid UTF-8 and control bytes at every offset of the 8-byte scan) with
// encoding/json, as values and as keys of skipped fields.
func TestJSONStrings(t *testing.T) {
	pieces := []string{"a", "bcdefgh", `\n`, `\"`, `\\`, `\/`, `\u00e9`, `\ud83d\ude00`, "é", "€", "\x80", "\xff",
		"\x01", "\t", `\x`, `\u12`, "\x7f", " ", "'", "0123456789abcdef"}
	rng := rand.New(rand.NewPCG(3, 4))
	var strs []string
	for range 3000 {
		var sb strings.Builder
		for range rng.IntN(6) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		strs = append(strs, sb.String())
	}
	recs := make([]string, 0, 2*len(strs))
	for _, str := range strs {
		recs = append(recs, `{"s":"`+str+`","n":1}`, `{"`+str+`":[1],"n":2}`)
	}
	got := decodeRows(t, "s varchar, n bigint", recs)
	for k, str := range strs {
		raw := `"` + str + `"`
		var want string
		if json.Valid([]byte(raw)) && utf8.ValidString(raw) {
			var v string
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				t.Fatal(err)
			}
			want = strconv.Quote(v) + " | 1"
		}
		if g := got[2*k]; (want == "" && !strings.HasPrefix(g, "error: line is not valid JSON")) || (want != "" && g != want) {
			t.Errorf("value %q: got %s, want %s", str, g, want)
		}
		wantKey := "NULL | 2"
		if want == "" {
			wantKey = "error: line is not valid JSON*"
		} else if strings.EqualFold(strings.Trim(want[:len(want)-4], `"`), "s") || strings.EqualFold(strings.Trim(want[:len(want)-4], `"`), "n") {
			continue
		}
		if g := got[2*k+1]; g != wantKey && !(strings.HasSuffix(wantKey, "*") && strings.HasPrefix(g, wantKey[:len(wantKey)-1])) {
			t.Errorf("key %q: got %s, want %s", str, g, wantKey)
		}
	}
}
