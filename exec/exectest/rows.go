package exectest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/exec"
)

// token is one field of a row line; quoted fields are never NULL.
type token struct {
	text   string
	quoted bool
}

// ParseBatch parses changelog rows, one per line: an op (+I, -U, +U, -D)
// then one value per column. NULL is written NULL; strings with spaces
// are quoted 'like this' (” escapes a quote); timestamps are
// '2024-01-01 00:00:00.000' (or epoch milliseconds); dates 2024-01-01.
// Ops is nil when every row is +I. The caller releases the batch.
func ParseBatch(s catalog.Schema, text string, mem memory.Allocator) (exec.Batch, error) {
	bld := array.NewRecordBuilder(mem, s.Arrow())
	defer bld.Release()
	var ops []exec.Op
	appendOnly := true
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		toks, err := tokenize(line)
		if err != nil {
			return exec.Batch{}, fmt.Errorf("row %d: %w", n+1, err)
		}
		op, err := exec.ParseOp(toks[0].text)
		if err != nil {
			return exec.Batch{}, fmt.Errorf("row %d: %w", n+1, err)
		}
		if len(toks)-1 != s.Len() {
			return exec.Batch{}, fmt.Errorf("row %d: %d values for %d columns %s", n+1, len(toks)-1, s.Len(), s)
		}
		for i, tok := range toks[1:] {
			if err := appendValue(bld.Field(i), s.Columns[i].Type, tok); err != nil {
				return exec.Batch{}, fmt.Errorf("row %d column %s: %w", n+1, s.Columns[i].Name, err)
			}
		}
		ops = append(ops, op)
		appendOnly = appendOnly && op == exec.Insert
	}
	if appendOnly {
		ops = nil
	}
	return exec.Batch{Rec: bld.NewRecordBatch(), Ops: ops}, nil
}

// tokenize splits a row line into whitespace-separated fields.
func tokenize(line string) ([]token, error) {
	var out []token
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(line) {
					return nil, fmt.Errorf("unterminated quote in %q", line)
				}
				if line[j] == '\'' {
					if j+1 < len(line) && line[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(line[j])
			}
			out = append(out, token{text: b.String(), quoted: true})
			i = j + 1
		default:
			j := strings.IndexAny(line[i:], " \t")
			if j < 0 {
				j = len(line) - i
			}
			out = append(out, token{text: line[i : i+j]})
			i += j
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty row")
	}
	return out, nil
}

func appendValue(b array.Builder, t catalog.Type, tok token) error {
	if !tok.quoted && strings.EqualFold(tok.text, "NULL") {
		b.AppendNull()
		return nil
	}
	v := tok.text
	switch b := b.(type) {
	case *array.BooleanBuilder:
		x, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		b.Append(x)
	case *array.Int32Builder:
		x, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return err
		}
		b.Append(int32(x))
	case *array.Int64Builder:
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return err
		}
		b.Append(x)
	case *array.Float64Builder:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return err
		}
		b.Append(x)
	case *array.Decimal128Builder:
		x, err := decimal128.FromString(v, t.Precision, t.Scale)
		if err != nil {
			return err
		}
		b.Append(x)
	case *array.StringBuilder:
		b.Append(v)
	case *array.Date32Builder:
		d, ok := sqlval.ParseDate(v)
		if !ok {
			return fmt.Errorf("bad date %q (want '2006-01-02')", v)
		}
		b.Append(arrow.Date32(d))
	case *array.TimestampBuilder:
		ms, err := ParseTimestamp(v)
		if err != nil {
			return err
		}
		b.Append(arrow.Timestamp(ms))
	default:
		return fmt.Errorf("cannot parse values of type %s", t)
	}
	return nil
}

// ParseTimestamp parses a timestamp as goldens write it, or epoch
// milliseconds, into milliseconds since the epoch (UTC).
func ParseTimestamp(v string) (int64, error) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return ms, nil
	}
	if ms, ok := sqlval.ParseTimestamp(v); ok {
		return ms, nil
	}
	return 0, fmt.Errorf("bad timestamp %q (want '2006-01-02 15:04:05.000' or epoch ms)", v)
}
