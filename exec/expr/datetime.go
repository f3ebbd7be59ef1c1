package expr

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// dtKernel evaluates the date/time functions (UTC, no time zones).
// Temporal arguments are read as milliseconds since the epoch.
type dtKernel struct {
	fn   scalar.Func
	args []Kernel
	t    catalog.Type
	name string
	fmt  *dateFormat // DATE_FORMAT with a constant format
}

func (k *dtKernel) Type() catalog.Type { return k.t }

func (c *compiler) compileDatetime(e *scalar.Call) (Kernel, error) {
	now := c.opts.Now.UnixMilli()
	switch {
	case e.Func == scalar.FuncNow:
		return &constKernel{v: now, t: catalog.TimestampType}, nil
	case e.Func == scalar.FuncUnixTimestamp && len(e.Args) == 0:
		e = &scalar.Call{Func: e.Func, Args: []scalar.Expr{&scalar.Literal{Value: now, T: catalog.TimestampType}}, T: e.T}
	}
	want := map[scalar.Func]int{scalar.FuncDateFormat: 2, scalar.FuncTimestampAdd: 2, scalar.FuncTimestampSub: 2}[e.Func]
	if want == 0 {
		want = 1
	}
	if len(e.Args) != want {
		return nil, fmt.Errorf("%s: want %d arguments", e, want)
	}
	ks, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	k := &dtKernel{fn: e.Func, args: ks, t: e.T, name: e.String()}
	in := ks[0].Type()
	if e.Func != scalar.FuncFromUnixtime && !in.IsTemporal() && in.ID != catalog.Null {
		if ks[0], err = c.compileAs(e.Args[0], catalog.TimestampType); err != nil {
			return nil, err
		}
	}
	if e.Func == scalar.FuncDateFormat {
		if fc, ok := asConst(ks[1]); ok && fc.v != nil {
			k.fmt = compileDateFormat(fc.v.(string))
		}
	}
	return k, nil
}

func (k *dtKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands(k.args, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if anyNullConst(ops) {
		return nullArray(mem, k.t, n), nil
	}
	b := array.NewBuilder(mem, k.t.Arrow())
	defer b.Release()
	b.Reserve(n)
	row, err := k.rowFunc(ops, b)
	if err != nil {
		return nil, err
	}
	valid := andValidity(mem, n, arrays(ops)...)
	if valid != nil {
		defer valid.Release()
	}
	for i := 0; i < n; i++ {
		if valid != nil && !isValid(valid.Bytes(), i) {
			b.AppendNull()
			continue
		}
		if err := row(i); err != nil {
			return nil, fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return b.NewArray(), nil
}

// msAcc reads a DATE or TIMESTAMP operand as milliseconds.
func msAcc(o operand, t catalog.Type) func(i int) int64 {
	acc := newIntAcc(o)
	if t.ID == catalog.Date {
		return func(i int) int64 { v, _ := acc.get(i); return v * msPerDay }
	}
	return func(i int) int64 { v, _ := acc.get(i); return v }
}

func (k *dtKernel) rowFunc(ops []operand, b array.Builder) (func(i int) error, error) {
	if k.fn == scalar.FuncFromUnixtime {
		return k.fromUnix(ops[0], b), nil
	}
	ms := msAcc(ops[0], k.args[0].Type())
	out := intAppender(b)
	switch k.fn {
	case scalar.FuncYear, scalar.FuncMonth, scalar.FuncDay:
		return func(i int) error {
			y, m, d := sqlval.CivilFromDays(sqlval.FloorDiv(ms(i), msPerDay))
			out([3]int64{y, m, d}[k.fn-scalar.FuncYear])
			return nil
		}, nil
	case scalar.FuncHour, scalar.FuncMinute, scalar.FuncSecond:
		div := [3]int64{3600000, 60000, 1000}[k.fn-scalar.FuncHour]
		mod := [3]int64{24, 60, 60}[k.fn-scalar.FuncHour]
		return func(i int) error { out(sqlval.FloorDiv(ms(i), div) - sqlval.FloorDiv(ms(i), div*mod)*mod); return nil }, nil
	case scalar.FuncDate:
		return func(i int) error { out(sqlval.FloorDiv(ms(i), msPerDay)); return nil }, nil
	case scalar.FuncTimestampAdd, scalar.FuncTimestampSub:
		return k.addInterval(ms, ops[1], out), nil
	case scalar.FuncUnixTimestamp:
		return k.unixTimestamp(ms, b)
	case scalar.FuncDateFormat:
		return k.dateFormat(ms, ops[1], b), nil
	}
	return nil, fmt.Errorf("%s: no kernel", k.name)
}

// intAppender appends an integer-like value to an INT, BIGINT, DATE (days)
// or TIMESTAMP (ms) builder.
func intAppender(b array.Builder) func(int64) {
	switch bb := b.(type) {
	case *array.Int32Builder:
		return func(v int64) { bb.Append(int32(v)) }
	case *array.Int64Builder:
		return bb.Append
	case *array.Date32Builder:
		return func(v int64) { bb.Append(arrow.Date32(v)) }
	case *array.TimestampBuilder:
		return func(v int64) { bb.Append(arrow.Timestamp(v)) }
	}
	return func(int64) { b.AppendNull() }
}

func (k *dtKernel) addInterval(ms func(int) int64, iv operand, out func(int64)) func(i int) error {
	sign := int64(1)
	if k.fn == scalar.FuncTimestampSub {
		sign = -1
	}
	get := func(i int) (int64, int64) {
		if iv.arr == nil {
			v, _ := iv.c.v.(scalar.IntervalValue)
			return int64(v.Months), v.Millis
		}
		v := iv.arr.(*array.MonthDayNanoInterval).Value(i)
		return int64(v.Months), int64(v.Days)*msPerDay + v.Nanoseconds/1e6
	}
	toDate := k.t.ID == catalog.Date
	return func(i int) error {
		months, millis := get(i)
		r := sqlval.AddInterval(ms(i), sign*months, sign*millis)
		if toDate {
			r = sqlval.FloorDiv(r, msPerDay)
		}
		out(r)
		return nil
	}
}

func (k *dtKernel) unixTimestamp(ms func(int) int64, b array.Builder) (func(i int) error, error) {
	switch bb := b.(type) {
	case *array.Decimal128Builder:
		s := k.t.Scale
		return func(i int) error {
			r, _ := rescale(decimal128.FromI64(ms(i)), 3, s)
			bb.Append(r)
			return nil
		}, nil
	case *array.Float64Builder:
		return func(i int) error { bb.Append(float64(ms(i)) / 1000); return nil }, nil
	}
	out := intAppender(b)
	return func(i int) error { out(sqlval.FloorDiv(ms(i), 1000)); return nil }, nil
}

// fromUnix converts epoch seconds (integer, DECIMAL or DOUBLE) to TIMESTAMP.
func (k *dtKernel) fromUnix(o operand, b array.Builder) func(i int) error {
	out := intAppender(b)
	switch in := k.args[0].Type(); in.ID {
	case catalog.Decimal:
		acc := newDecAcc(o)
		return func(i int) error {
			v, _ := acc.get(i)
			r, _ := rescale(v, in.Scale, 3)
			out(int64(r.LowBits()))
			return nil
		}
	case catalog.Double:
		acc := newF64Acc(o)
		return func(i int) error { v, _ := acc.get(i); out(int64(math.Round(v * 1000))); return nil }
	}
	acc := newIntAcc(o)
	return func(i int) error { v, _ := acc.get(i); out(v * 1000); return nil }
}

func (k *dtKernel) dateFormat(ms func(int) int64, f operand, b array.Builder) func(i int) error {
	sb := b.(*array.StringBuilder)
	facc := newStrAcc(f)
	df, last := k.fmt, ""
	var buf []byte
	return func(i int) error {
		if k.fmt == nil {
			fs, _ := facc.get(i)
			if df == nil || fs != last {
				df, last = compileDateFormat(fs), fs
			}
		}
		buf = df.append(buf[:0], ms(i))
		sb.BinaryBuilder.Append(buf)
		return nil
	}
}
