package kafka

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// metaKind is which part of a Kafka record a metadata column holds.
type metaKind uint8

const (
	metaTopic     metaKind = iota // kafka_topic VARCHAR
	metaPartition                 // kafka_partition INT or BIGINT
	metaOffset                    // kafka_offset BIGINT
	metaTimestamp                 // kafka_timestamp TIMESTAMP(3)
	metaKey                       // kafka_key VARCHAR (NULL when the record has no key)
)

// metaNames are the reserved column names, with the types they accept.
var metaNames = []struct {
	name  string
	kind  metaKind
	types []catalog.TypeID
}{
	{"kafka_topic", metaTopic, []catalog.TypeID{catalog.Varchar}},
	{"kafka_partition", metaPartition, []catalog.TypeID{catalog.Int, catalog.BigInt}},
	{"kafka_offset", metaOffset, []catalog.TypeID{catalog.BigInt}},
	{"kafka_timestamp", metaTimestamp, []catalog.TypeID{catalog.Timestamp}},
	{"kafka_key", metaKey, []catalog.TypeID{catalog.Varchar}},
}

// metaColumn is one metadata column of the source schema.
type metaColumn struct {
	col  int // index in the source schema
	kind metaKind
	typ  catalog.TypeID
}

// splitColumns divides schema into payload columns (decoded from the
// record value) and metadata columns (reserved names, filled from the
// record), checking the metadata columns' types.
func splitColumns(schema catalog.Schema) (payload []int, meta []metaColumn, err error) {
	for i, c := range schema.Columns {
		kind, types, ok := metaOf(c.Name)
		if !ok {
			payload = append(payload, i)
			continue
		}
		good := false
		for _, t := range types {
			good = good || c.Type.ID == t
		}
		if !good {
			names := make([]string, len(types))
			for j, t := range types {
				names[j] = t.String()
			}
			return nil, nil, exec.OptionErrorf("format", "metadata column %s must be %s, not %s", c.Name, strings.Join(names, " or "), c.Type)
		}
		meta = append(meta, metaColumn{col: i, kind: kind, typ: c.Type.ID})
	}
	return payload, meta, nil
}

func metaOf(name string) (metaKind, []catalog.TypeID, bool) {
	for _, m := range metaNames {
		if strings.EqualFold(name, m.name) {
			return m.kind, m.types, true
		}
	}
	return 0, nil, false
}

// payloadSchema is the schema of the columns the decoder fills.
func payloadSchema(schema catalog.Schema, payload []int) catalog.Schema {
	var s catalog.Schema
	for _, i := range payload {
		s.Columns = append(s.Columns, schema.Columns[i])
	}
	return s
}

// metaRows buffers, per decoded row, what the metadata columns and the
// per-partition watermarks need: the row's partition (an index into the
// source's partitions), offset, timestamp and key.
type metaRows struct {
	part   []int32
	offset []int64
	ts     []int64
	keys   []byte
	keyEnd []int32 // end of each row's key in keys
	keyNil []bool
}

// add records n rows of one Kafka record.
func (m *metaRows) add(n int, part int32, offset, ts int64, key []byte, withKey bool) {
	for i := 0; i < n; i++ {
		m.part = append(m.part, part)
		m.offset = append(m.offset, offset)
		m.ts = append(m.ts, ts)
		if withKey {
			m.keys = append(m.keys, key...)
			m.keyEnd = append(m.keyEnd, int32(len(m.keys)))
			m.keyNil = append(m.keyNil, key == nil)
		}
	}
}

func (m *metaRows) reset() {
	m.part, m.offset, m.ts = m.part[:0], m.offset[:0], m.ts[:0]
	m.keys, m.keyEnd, m.keyNil = m.keys[:0], m.keyEnd[:0], m.keyNil[:0]
}

// column builds the array of metadata column c for the buffered rows.
func (m *metaRows) column(c metaColumn, parts []*partition, dt arrow.DataType, mem memory.Allocator) arrow.Array {
	n := len(m.part)
	switch c.kind {
	case metaTopic:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(n)
		for _, p := range m.part {
			b.Append(parts[p].topic)
		}
		return b.NewArray()
	case metaPartition:
		if c.typ == catalog.Int {
			b := array.NewInt32Builder(mem)
			defer b.Release()
			b.Reserve(n)
			for _, p := range m.part {
				b.UnsafeAppend(parts[p].id)
			}
			return b.NewArray()
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Reserve(n)
		for _, p := range m.part {
			b.UnsafeAppend(int64(parts[p].id))
		}
		return b.NewArray()
	case metaOffset:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(m.offset, nil)
		return b.NewArray()
	case metaTimestamp:
		b := array.NewTimestampBuilder(mem, dt.(*arrow.TimestampType))
		defer b.Release()
		b.Reserve(n)
		for _, t := range m.ts {
			b.UnsafeAppend(arrow.Timestamp(t))
		}
		return b.NewArray()
	default: // metaKey
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(n)
		b.ReserveData(len(m.keys))
		start := int32(0)
		for i, end := range m.keyEnd {
			if m.keyNil[i] {
				b.AppendNull()
			} else {
				b.BinaryBuilder.Append(m.keys[start:end])
			}
			start = end
		}
		return b.NewArray()
	}
}
