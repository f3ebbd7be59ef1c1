package expr

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// castKernel converts its argument to another type. Invalid strings and
// out-of-range numbers are errors naming the expression.
type castKernel struct {
	arg      Kernel
	from, to catalog.Type
	name     string
}

func (k *castKernel) Type() catalog.Type { return k.to }

func (c *compiler) compileCast(e *scalar.Cast) (Kernel, error) {
	arg, err := c.compile(e.Arg)
	if err != nil {
		return nil, err
	}
	return newCastKernel(arg, e.T, e.String())
}

// newCastKernel casts arg to t; name labels errors.
func newCastKernel(arg Kernel, t catalog.Type, name string) (Kernel, error) {
	from := arg.Type()
	if !castSupported(from, t) {
		return nil, fmt.Errorf("%s: cannot cast %s to %s", name, from, t)
	}
	return &castKernel{arg: arg, from: from, to: t, name: name}, nil
}

func castSupported(from, to catalog.Type) bool {
	if from.ID == catalog.Null || from.Equal(to) || to.ID == catalog.Varchar {
		return from.ID != catalog.Interval || to.ID != catalog.Varchar
	}
	numeric := func(t catalog.Type) bool { return t.IsNumeric() || t.ID == catalog.Boolean }
	switch {
	case numeric(to):
		return numeric(from) || from.ID == catalog.Varchar
	case to.IsTemporal():
		return from.IsTemporal() || from.ID == catalog.Varchar
	}
	return false
}

func (k *castKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	a, err := k.arg.Eval(rec, mem)
	if err != nil {
		return nil, err
	}
	if k.from.Equal(k.to) {
		return a, nil
	}
	defer a.Release()
	n := a.Len()
	if k.from.ID == catalog.Null || a.NullN() == n {
		return nullArray(mem, k.to, n), nil
	}
	if out := k.fastPath(a, mem); out != nil {
		return out, nil
	}
	b := array.NewBuilder(mem, k.to.Arrow())
	defer b.Release()
	b.Reserve(n)
	row := k.rowFunc(a, b)
	for i := 0; i < n; i++ {
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		if err := row(i); err != nil {
			return nil, fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return b.NewArray(), nil
}

// fastPath handles the widening casts the binder inserts most often with
// whole-column loops; nil when not applicable.
func (k *castKernel) fastPath(a arrow.Array, mem memory.Allocator) arrow.Array {
	n := a.Len()
	switch {
	case k.from.ID == catalog.Int && k.to.ID == catalog.BigInt:
		buf, out := newI64Out(mem, n)
		for i, v := range i32s(a) {
			out[i] = int64(v)
		}
		return fixedArray(k.to.Arrow(), n, andValidity(mem, n, a), buf)
	case k.from.IsInteger() && k.to.ID == catalog.Double:
		buf, out := newF64Out(mem, n)
		for i, v := range i64s(a) {
			out[i] = float64(v)
		}
		return fixedArray(k.to.Arrow(), n, andValidity(mem, n, a), buf)
	case k.from.ID == catalog.Date && k.to.ID == catalog.Timestamp:
		buf, out := newI64Out(mem, n)
		for i, v := range i32s(a) {
			out[i] = int64(v) * msPerDay
		}
		return fixedArray(k.to.Arrow(), n, andValidity(mem, n, a), buf)
	}
	return nil
}

// rowFunc returns a function converting row i of a (not NULL) into b.
func (k *castKernel) rowFunc(a arrow.Array, b array.Builder) func(i int) error {
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		get := k.f64Getter(a)
		if k.from.ID == catalog.Varchar {
			s := a.(*array.String)
			return func(i int) error {
				v, err := parseBool(s.Value(i))
				bb.Append(v)
				return err
			}
		}
		return func(i int) error { v, err := get(i); bb.Append(v != 0); return err }
	case *array.Int32Builder, *array.Int64Builder:
		get := k.i64Getter(a)
		return func(i int) error {
			v, err := get(i)
			if err != nil {
				return err
			}
			if ib, ok := bb.(*array.Int32Builder); ok {
				if v != int64(int32(v)) {
					return fmt.Errorf("value %d out of range for INT", v)
				}
				ib.Append(int32(v))
			} else {
				bb.(*array.Int64Builder).Append(v)
			}
			return nil
		}
	case *array.Float64Builder:
		get := k.f64Getter(a)
		return func(i int) error { v, err := get(i); bb.Append(v); return err }
	case *array.Decimal128Builder:
		get := k.decGetter(a)
		return func(i int) error { v, err := get(i); bb.Append(v); return err }
	case *array.StringBuilder:
		return k.toString(a, bb)
	case *array.Date32Builder:
		get := k.msGetter(a)
		return func(i int) error {
			v, err := get(i)
			bb.Append(arrow.Date32(sqlval.FloorDiv(v, msPerDay)))
			return err
		}
	case *array.TimestampBuilder:
		get := k.msGetter(a)
		return func(i int) error { v, err := get(i); bb.Append(arrow.Timestamp(v)); return err }
	}
	return func(int) error { return fmt.Errorf("cannot cast %s to %s", k.from, k.to) }
}

func (k *castKernel) i64Getter(a arrow.Array) func(i int) (int64, error) {
	switch k.from.ID {
	case catalog.Double:
		vals := f64s(a)
		return func(i int) (int64, error) { return f64ToI64(vals[i]) }
	case catalog.Decimal:
		vals, s := decs(a), k.from.Scale
		return func(i int) (int64, error) { return decToI64(vals[i], s) }
	case catalog.Varchar:
		s := a.(*array.String)
		return func(i int) (int64, error) { return parseInt(s.Value(i)) }
	}
	vals := i64s(a)
	return func(i int) (int64, error) { return vals[i], nil }
}

func (k *castKernel) f64Getter(a arrow.Array) func(i int) (float64, error) {
	switch k.from.ID {
	case catalog.Double:
		vals := f64s(a)
		return func(i int) (float64, error) { return vals[i], nil }
	case catalog.Decimal:
		vals, s := decs(a), k.from.Scale
		return func(i int) (float64, error) { return vals[i].ToFloat64(s), nil }
	case catalog.Varchar:
		s := a.(*array.String)
		return func(i int) (float64, error) { return parseFloat(s.Value(i)) }
	}
	vals := i64s(a)
	return func(i int) (float64, error) { return float64(vals[i]), nil }
}

func (k *castKernel) decGetter(a arrow.Array) func(i int) (decimal128.Num, error) {
	p, s := k.to.Precision, k.to.Scale
	rangeErr := func(v string) error { return fmt.Errorf("value %s out of range for %s", v, k.to) }
	switch k.from.ID {
	case catalog.Double:
		vals := f64s(a)
		return func(i int) (decimal128.Num, error) { return f64ToDec(vals[i], p, s) }
	case catalog.Decimal:
		vals, fs := decs(a), k.from.Scale
		return func(i int) (decimal128.Num, error) {
			r, ok := rescale(vals[i], fs, s)
			if !ok || !fitsPrec(r, p) {
				return r, rangeErr(vals[i].ToString(fs))
			}
			return r, nil
		}
	case catalog.Varchar:
		str := a.(*array.String)
		return func(i int) (decimal128.Num, error) { return parseDecimal(str.Value(i), p, s) }
	}
	vals := i64s(a)
	return func(i int) (decimal128.Num, error) {
		r, ok := scaleUp(decimal128.FromI64(vals[i]), s)
		if !ok || !fitsPrec(r, p) {
			return r, rangeErr(strconv.FormatInt(vals[i], 10))
		}
		return r, nil
	}
}

// msGetter reads DATE, TIMESTAMP or VARCHAR as milliseconds.
func (k *castKernel) msGetter(a arrow.Array) func(i int) (int64, error) {
	switch k.from.ID {
	case catalog.Date:
		vals := i32s(a)
		return func(i int) (int64, error) { return int64(vals[i]) * msPerDay, nil }
	case catalog.Varchar:
		s := a.(*array.String)
		if k.to.ID == catalog.Date {
			return func(i int) (int64, error) { d, err := parseDate(s.Value(i)); return d * msPerDay, err }
		}
		return func(i int) (int64, error) { return parseTimestamp(s.Value(i)) }
	}
	vals := i64s(a)
	return func(i int) (int64, error) { return vals[i], nil }
}

func (k *castKernel) toString(a arrow.Array, b *array.StringBuilder) func(i int) error {
	var buf []byte
	emit := func() error { b.BinaryBuilder.Append(buf); return nil }
	switch k.from.ID {
	case catalog.Boolean:
		vals := a.(*array.Boolean)
		return func(i int) error { b.Append(strconv.FormatBool(vals.Value(i))); return nil }
	case catalog.Double:
		vals := f64s(a)
		return func(i int) error { buf = formatF64(buf[:0], vals[i]); return emit() }
	case catalog.Decimal:
		vals, s := decs(a), k.from.Scale
		return func(i int) error { buf = sqlval.AppendDecimal(buf[:0], vals[i], s); return emit() }
	case catalog.Date:
		vals := i32s(a)
		return func(i int) error { buf = appendDate(buf[:0], int64(vals[i])); return emit() }
	case catalog.Timestamp:
		vals := i64s(a)
		return func(i int) error { buf = appendTimestamp(buf[:0], vals[i]); return emit() }
	case catalog.Varchar:
		s := a.(*array.String)
		return func(i int) error { b.Append(s.Value(i)); return nil }
	}
	vals := i64s(a)
	return func(i int) error { buf = strconv.AppendInt(buf[:0], vals[i], 10); return emit() }
}
