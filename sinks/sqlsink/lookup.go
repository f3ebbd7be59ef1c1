package sqlsink

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/agg"
)

// Fetcher runs one database's lookup queries.
type Fetcher interface {
	// Fetch calls row with every table row whose key columns equal one
	// of the rows of keys (distinct, non-NULL key values in the key
	// columns' catalog Arrow types): the text of every table column, in
	// table order, nil for NULL. row must copy what it keeps.
	Fetch(ctx context.Context, keys arrow.RecordBatch, row func(cells [][]byte) error) error
	Close() error
}

// Lookup is an exec.LookupTable over a database table: per call it sends
// the distinct non-NULL keys to the Fetcher (at most maxKeys per query),
// decodes the answers into Arrow columns of the table's catalog types and
// pairs every answer with the key rows that asked for it. Answers whose
// key does not equal a requested key exactly (a case-insensitive
// collation) are dropped: keys compare as the engine compares them.
type Lookup struct {
	name    string
	schema  *arrow.Schema
	names   []string
	types   []catalog.Type
	key     []int
	keyType []arrow.DataType
	fetch   Fetcher
	maxKeys int
	mem     memory.Allocator

	enc, renc *agg.KeyEncoder
	cols      []arrow.Array
	first     map[string]int32 // encoded key -> distinct index
	head      []int32          // per distinct key, its first key row
	next      []int32          // per key row, the next key row of its key (-1 ends)
	distinct  []int32          // key row of each distinct key
}

var _ exec.LookupTable = (*Lookup)(nil)

// NewLookup returns the lookup of table t keyed by keyCols over f.
func NewLookup(t *catalog.Table, keyCols []int, f Fetcher, maxKeys int) (*Lookup, error) {
	if len(keyCols) == 0 {
		return nil, fmt.Errorf("table %s: a lookup needs at least one key column", t.Name)
	}
	l := &Lookup{name: t.Name, schema: t.Schema.Arrow(), key: append([]int(nil), keyCols...), fetch: f,
		maxKeys: max(maxKeys, 1), mem: memory.DefaultAllocator, first: map[string]int32{}}
	for _, c := range t.Schema.Columns {
		l.names = append(l.names, c.Name)
		l.types = append(l.types, c.Type)
	}
	kt := make([]catalog.Type, len(keyCols))
	for j, k := range keyCols {
		if k < 0 || k >= len(l.types) {
			return nil, fmt.Errorf("table %s: lookup key column %d out of range", t.Name, k)
		}
		kt[j] = l.types[k]
		l.keyType = append(l.keyType, l.types[k].Arrow())
	}
	var err error
	if l.enc, err = agg.NewKeyEncoder(kt); err != nil {
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	if l.renc, err = agg.NewKeyEncoder(kt); err != nil {
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	l.cols = make([]arrow.Array, len(keyCols))
	return l, nil
}

// Lookup implements exec.LookupTable.
func (l *Lookup) Lookup(ctx context.Context, keys arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	if int(keys.NumCols()) != len(l.key) {
		return nil, nil, fmt.Errorf("lookup %s: %d key columns, want %d", l.name, keys.NumCols(), len(l.key))
	}
	for j := range l.key {
		if dt := keys.Column(j).DataType(); !arrow.TypeEqual(dt, l.keyType[j]) {
			return nil, nil, fmt.Errorf("lookup %s: key column %s is %s, want %s", l.name, l.names[l.key[j]], dt, l.keyType[j])
		}
	}
	l.distinctKeys(keys)
	out := NewTextColumns(l.names, l.types, l.mem)
	defer out.Release()
	for lo := 0; lo < len(l.distinct); lo += l.maxKeys {
		hi := min(lo+l.maxKeys, len(l.distinct))
		batch, err := l.keyBatch(keys, l.distinct[lo:hi])
		if err != nil {
			return nil, nil, fmt.Errorf("lookup %s: %w", l.name, err)
		}
		err = l.fetch.Fetch(ctx, batch, out.AppendRow)
		batch.Release()
		if err != nil {
			return nil, nil, fmt.Errorf("lookup %s: %w", l.name, err)
		}
	}
	rec := out.NewRecord(l.schema)
	return l.pair(rec)
}

// distinctKeys groups the non-NULL key rows by key.
func (l *Lookup) distinctKeys(keys arrow.RecordBatch) {
	n := int(keys.NumRows())
	clear(l.first)
	l.head, l.distinct = l.head[:0], l.distinct[:0]
	l.next = l.next[:0]
	for j := range l.key {
		l.cols[j] = keys.Column(j)
	}
	l.enc.Encode(l.cols, n)
	tails := make(map[int32]int32)
rows:
	for i := range n {
		l.next = append(l.next, -1)
		for _, c := range l.cols {
			if c.IsNull(i) {
				continue rows
			}
		}
		k := l.enc.Key(i)
		if d, ok := l.first[string(k)]; ok {
			l.next[tails[d]] = int32(i)
			tails[d] = int32(i)
			continue
		}
		d := int32(len(l.distinct))
		l.first[string(k)] = d
		l.distinct = append(l.distinct, int32(i))
		l.head = append(l.head, int32(i))
		tails[d] = int32(i)
	}
	clear(l.cols)
}

// keyBatch gathers rows idx of the key columns.
func (l *Lookup) keyBatch(keys arrow.RecordBatch, idx []int32) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(l.key))
	fields := make([]arrow.Field, len(l.key))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for j, k := range l.key {
		c, err := exec.TakeArray(keys.Column(j), idx, l.mem)
		if err != nil {
			return nil, err
		}
		cols[j] = c
		fields[j] = arrow.Field{Name: l.names[k], Type: l.keyType[j], Nullable: true}
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(len(idx))), nil
}

// pair matches the fetched rows to the key rows that asked for them,
// repeating a row for every key row of its key.
func (l *Lookup) pair(rec arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	n := int(rec.NumRows())
	for j, k := range l.key {
		l.cols[j] = rec.Column(k)
	}
	l.renc.Encode(l.cols, n)
	clear(l.cols)
	var take, keyRow []int32
	identity := true
	for r := range n {
		d, ok := l.first[string(l.renc.Key(r))]
		if !ok {
			identity = false
			continue
		}
		for i := l.head[d]; i >= 0; i = l.next[i] {
			if len(take) != r {
				identity = false
			}
			take = append(take, int32(r))
			keyRow = append(keyRow, i)
		}
	}
	if identity && len(take) == n {
		return rec, keyRow, nil
	}
	defer rec.Release()
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		c, err := exec.TakeArray(rec.Column(i), take, l.mem)
		if err != nil {
			return nil, nil, fmt.Errorf("lookup %s: %w", l.name, err)
		}
		cols[i] = c
	}
	return array.NewRecordBatch(l.schema, cols, int64(len(take))), keyRow, nil
}

// Close closes the fetcher.
func (l *Lookup) Close() error { return l.fetch.Close() }

// DescribeRow renders columns cols of row of b as "name=value, ..." (all
// columns when cols is empty), for errors naming an offending row.
func DescribeRow(b exec.Batch, row int, cols []int, names []string, types []catalog.Type) string {
	if len(cols) == 0 {
		cols = make([]int, len(names))
		for i := range cols {
			cols[i] = i
		}
	}
	var sb strings.Builder
	var buf []byte
	for j, c := range cols {
		if j > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(names[c])
		sb.WriteByte('=')
		w, err := NewValueWriter(b.Rec.Column(c), types[c], PlainText)
		switch {
		case err != nil:
			sb.WriteString("?")
		case w.IsNull(row):
			sb.WriteString("NULL")
		default:
			buf = w.Append(buf[:0], row)
			sb.Write(buf)
		}
	}
	return sb.String()
}
