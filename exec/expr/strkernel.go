package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// strImpl computes one row of a string function. s holds the VARCHAR
// arguments and n the integer ones, in argument order. It appends the
// result to buf (VARCHAR results) or returns it as an integer, and reports
// false for a NULL result.
type strImpl func(buf []byte, s []string, n []int64) ([]byte, int64, bool)

// strSig describes a string function: argument kinds ('s' VARCHAR, 'i'
// integer; the last kind repeats for variadic functions), result kind and
// whether NULL arguments are passed through instead of making the result
// NULL.
type strSig struct {
	kinds    string
	variadic bool
	intOut   bool
	lenient  bool
	minArgs  int
	impl     strImpl
}

// strKernel evaluates a string function row by row over accessors, with
// one reused byte buffer for results; no per-row allocation.
type strKernel struct {
	sig  strSig
	args []Kernel
	kind []byte
	t    catalog.Type
	name string
}

func (k *strKernel) Type() catalog.Type { return k.t }

func (c *compiler) compileString(e *scalar.Call) (Kernel, error) {
	sig, ok := strSigs()[e.Func]
	if !ok {
		return nil, fmt.Errorf("%s: no string kernel", e)
	}
	return c.compileStrSig(e, sig)
}

// compileStrSig compiles e's arguments for a row function of signature sig.
func (c *compiler) compileStrSig(e *scalar.Call, sig strSig) (Kernel, error) {
	nk := len(sig.kinds)
	if len(e.Args) < sig.minArgs || !sig.variadic && len(e.Args) > nk {
		return nil, fmt.Errorf("%s: wrong number of arguments", e)
	}
	k := &strKernel{sig: sig, t: e.T, name: e.String()}
	for i, a := range e.Args {
		kind := sig.kinds[min(i, nk-1)]
		var ak Kernel
		var err error
		if kind == 's' {
			ak, err = c.compileAs(a, catalog.VarcharType)
		} else if a.Type().IsInteger() {
			ak, err = c.compile(a)
		} else {
			ak, err = c.compileAs(a, catalog.BigIntType)
		}
		if err != nil {
			return nil, err
		}
		k.args, k.kind = append(k.args, ak), append(k.kind, kind)
	}
	return k, nil
}

func (k *strKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands(k.args, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if !k.sig.lenient && anyNullConst(ops) {
		return nullArray(mem, k.t, n), nil
	}
	var sacc []strAcc
	var iacc []intAcc
	for j, o := range ops {
		if k.kind[j] == 's' {
			sacc = append(sacc, newStrAcc(o))
		} else {
			iacc = append(iacc, newIntAcc(o))
		}
	}
	b := array.NewBuilder(mem, k.t.Arrow())
	defer b.Release()
	b.Reserve(n)
	if sb, ok := b.(*array.StringBuilder); ok && len(ops) > 0 {
		if sa, ok := ops[0].arr.(*array.String); ok {
			sb.ReserveData(len(sa.ValueBytes()) + n)
		}
	}
	put := k.output(b)
	sv, iv := make([]string, len(sacc)), make([]int64, len(iacc))
	var buf []byte
	for i := 0; i < n; i++ {
		null := false
		for j := range sacc {
			var ok bool
			if sv[j], ok = sacc[j].get(i); !ok {
				if !k.sig.lenient || j == 0 {
					null = true
				} else {
					sv[j] = nullMarker
				}
			}
		}
		for j := range iacc {
			var ok bool
			if iv[j], ok = iacc[j].get(i); !ok {
				null = true
			}
		}
		if null {
			b.AppendNull()
			continue
		}
		var r int64
		var ok bool
		buf, r, ok = k.sig.impl(buf[:0], sv, iv)
		put(buf, r, ok)
	}
	return b.NewArray(), nil
}

// nullMarker stands for a NULL argument of a lenient function (CONCAT_WS);
// compared by pointer identity via isNullMarker.
var nullMarker = string([]byte{0xff, 0xfe, 0x00, 0x4e})

func isNullMarker(s string) bool { return len(s) == 4 && s == nullMarker }

// output returns the appender of results into b.
func (k *strKernel) output(b array.Builder) func(buf []byte, r int64, ok bool) {
	switch bb := b.(type) {
	case *array.StringBuilder:
		return func(buf []byte, _ int64, ok bool) {
			if ok {
				bb.BinaryBuilder.Append(buf)
			} else {
				bb.AppendNull()
			}
		}
	case *array.Int32Builder:
		return func(_ []byte, r int64, ok bool) {
			if ok {
				bb.Append(int32(r))
			} else {
				bb.AppendNull()
			}
		}
	case *array.Int64Builder:
		return func(_ []byte, r int64, ok bool) {
			if ok {
				bb.Append(r)
			} else {
				bb.AppendNull()
			}
		}
	}
	return func([]byte, int64, bool) { b.AppendNull() }
}
