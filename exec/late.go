package exec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
)

// Extra columns of late_<source>, after the source's own columns.
const (
	// LateOpColumn holds the row's op (+I, -U, +U, -D); only changelog
	// sources (Source.Changelog other than append-only) have it.
	LateOpColumn = "_op"
	// LateWatermarkColumn holds the source watermark the row was behind
	// when it arrived.
	LateWatermarkColumn = "_watermark"
)

// LateTable returns the name of a source's late-data table.
func LateTable(source string) string { return "late_" + source }

// LateSchema is the schema of late_<source>: every column of the source
// (nullable: the table only collects what arrived), then LateOpColumn for
// changelog sources, then LateWatermarkColumn (TIMESTAMP, never NULL).
func LateSchema(def *catalog.Source) catalog.Schema {
	var s catalog.Schema
	for _, c := range def.Schema.Columns {
		c.NotNull = false
		s.Columns = append(s.Columns, c)
	}
	if def.Changelog != catalog.AppendOnly {
		s.Columns = append(s.Columns, catalog.Column{Name: LateOpColumn, Type: catalog.VarcharType, NotNull: true})
	}
	return catalog.Schema{Columns: append(s.Columns, catalog.Column{Name: LateWatermarkColumn, Type: catalog.TimestampType, NotNull: true})}
}

// LatePolicy says what happens to rows behind their source's watermark
// (SET 'late.policy').
type LatePolicy uint8

const (
	// LateSideTable writes late rows to late_<source> and counts them
	// (the default).
	LateSideTable LatePolicy = iota
	// LateDrop only counts late rows.
	LateDrop
)

// ParseLatePolicy parses 'side-table' or 'drop' (case-insensitive); ""
// is the default, LateSideTable.
func ParseLatePolicy(s string) (LatePolicy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "side-table":
		return LateSideTable, nil
	case "drop":
		return LateDrop, nil
	}
	return 0, fmt.Errorf("'late.policy' = '%s': want 'side-table' or 'drop'", s)
}

// lateSplit divides the batches of one source with a WATERMARK into rows
// on time and rows behind the watermark. A row is late when its event time
// is below the source's watermark at its arrival: the watermark in force
// before its batch, advanced by every earlier row of the batch (max event
// time minus the delay). A NULL event time is never late and does not move
// the watermark: the row cannot be placed in event time, so it is not
// diverted and flows on (what an event-time operator does with it is that
// operator's NULL semantics, as in DuckDB). Its buffers are reused from
// batch to batch.
//
// With fixed (a WatermarkSource, whose batches interleave partitions), the
// watermark is the one in force before the batch for every row of it:
// earlier rows of the batch, maybe from a faster partition, do not make a
// slower partition's rows late. The source computes its watermark itself.
type lateSplit struct {
	col    int   // event-time column
	delay  int64 // declared delay, ms
	fixed  bool  // rows do not advance the watermark (WatermarkSource)
	on     []int32
	late   []int32
	lateWm []int64 // the watermark each late row was behind
}

func newLateSplit(wm *catalog.Watermark) *lateSplit {
	return &lateSplit{col: wm.Column, delay: wm.DelayMs}
}

// scan classifies the rows of rec given the watermark wm in force before
// it, returning the watermark after it and the number of late rows. Late
// rows' indexes and watermarks are left in l.late and l.lateWm; l.on is
// filled only when some row is late.
func (l *lateSplit) scan(rec arrow.RecordBatch, wm int64) (int64, int, error) {
	if l.col < 0 || l.col >= int(rec.NumCols()) {
		return wm, 0, fmt.Errorf("watermark column %d out of range", l.col)
	}
	l.late, l.lateWm, l.on = l.late[:0], l.lateWm[:0], l.on[:0]
	switch a := rec.Column(l.col).(type) {
	case *array.Timestamp:
		wm = scanLate(l, a.Values(), a, wm)
	case *array.Int64:
		wm = scanLate(l, a.Values(), a, wm)
	default:
		return wm, 0, fmt.Errorf("event-time column is %s, want timestamp", a.DataType())
	}
	if len(l.late) > 0 {
		l.fillOnTime(int(rec.NumRows()))
	}
	return wm, len(l.late), nil
}

// scanLate is the per-row loop of scan over raw values and the validity
// bitmap, without per-row interface calls.
func scanLate[T ~int64](l *lateSplit, vals []T, a arrow.Array, wm int64) int64 {
	bitmap, off := a.NullBitmapBytes(), a.Data().Offset()
	nulls := a.NullN() > 0 && len(bitmap) > 0
	for i, v := range vals {
		if nulls && !bitutil.BitIsSet(bitmap, off+i) {
			continue
		}
		t := int64(v)
		if t < wm {
			l.late = append(l.late, int32(i))
			l.lateWm = append(l.lateWm, wm)
			continue
		}
		if w := t - l.delay; w > wm && !l.fixed {
			wm = w
		}
	}
	return wm
}

// fillOnTime sets l.on to the complement of l.late over n rows.
func (l *lateSplit) fillOnTime(n int) {
	j := 0
	for i := 0; i < n; i++ {
		if j < len(l.late) && int(l.late[j]) == i {
			j++
			continue
		}
		l.on = append(l.on, int32(i))
	}
}

// lateBatch builds the rows of late_<source> for the late rows of b found
// by the last scan: the rows themselves, their ops for a changelog source
// (withOp), and the watermark each was behind. The caller releases it.
func (l *lateSplit) lateBatch(b Batch, schema *arrow.Schema, withOp bool, mem memory.Allocator) (Batch, error) {
	rows, err := TakeRows(b, l.late, mem)
	if err != nil {
		return Batch{}, err
	}
	defer rows.Release()
	cols := make([]arrow.Array, 0, schema.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, c := range rows.Rec.Columns() {
		c.Retain()
		cols = append(cols, c)
	}
	if withOp {
		sb := array.NewStringBuilder(mem)
		sb.Reserve(len(l.late))
		for i := range l.late {
			sb.Append(rows.Op(i).String())
		}
		cols = append(cols, sb.NewArray())
		sb.Release()
	}
	tb := array.NewTimestampBuilder(mem, schema.Field(schema.NumFields()-1).Type.(*arrow.TimestampType))
	for _, w := range l.lateWm {
		tb.Append(arrow.Timestamp(w))
	}
	cols = append(cols, tb.NewArray())
	tb.Release()
	if len(cols) != schema.NumFields() {
		return Batch{}, fmt.Errorf("late rows have %d columns, late table has %d", len(cols), schema.NumFields())
	}
	return Batch{Rec: array.NewRecordBatch(schema, cols, int64(len(l.late)))}, nil
}
