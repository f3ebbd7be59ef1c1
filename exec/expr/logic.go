package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// logicKernel evaluates AND, OR (Kleene), NOT, IS [NOT] NULL, IS TRUE and
// IS FALSE over whole bitmaps, a byte (8 rows) at a time.
type logicKernel struct {
	fn   scalar.Func
	args []Kernel
}

func (k *logicKernel) Type() catalog.Type { return catalog.BooleanType }

func (c *compiler) compileLogic(e *scalar.Call) (Kernel, error) {
	want := 1
	if e.Func == scalar.FuncAnd || e.Func == scalar.FuncOr {
		want = 2
	}
	if len(e.Args) < want || want == 1 && len(e.Args) != 1 {
		return nil, fmt.Errorf("%s: wrong number of arguments", e)
	}
	k := &logicKernel{fn: e.Func}
	for _, a := range e.Args {
		var ak Kernel
		var err error
		if e.Func == scalar.FuncIsNull || e.Func == scalar.FuncIsNotNull {
			ak, err = c.compile(a)
		} else {
			ak, err = c.compileAs(a, catalog.BooleanType)
		}
		if err != nil {
			return nil, err
		}
		k.args = append(k.args, ak)
	}
	return k, nil
}

// bits3 is a three-valued bitmap: val (meaningful where valid) and valid.
type bits3 struct{ val, valid []byte }

// toBits3 reads an operand as value/validity bitmaps of nb bytes.
func toBits3(o operand, nb int, boolean bool) bits3 {
	fill := func(b byte) []byte {
		s := make([]byte, nb)
		for i := range s {
			s[i] = b
		}
		return s
	}
	if o.arr == nil {
		if o.c.v == nil {
			return bits3{fill(0), fill(0)}
		}
		v, _ := o.c.v.(bool)
		if v || !boolean {
			return bits3{fill(0xff), fill(0xff)}
		}
		return bits3{fill(0), fill(0xff)}
	}
	valid := validBits(o.arr)
	if valid == nil {
		valid = fill(0xff)
	}
	if !boolean || o.arr.DataType().ID() != arrow.BOOL {
		return bits3{fill(0xff), valid}
	}
	return bits3{boolBits(o.arr), valid}
}

func (k *logicKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands(k.args, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	nb := int(bitutil.BytesForBits(int64(n)))
	boolean := k.fn != scalar.FuncIsNull && k.fn != scalar.FuncIsNotNull
	vbuf, val := newBitOut(mem, n)
	valbuf, valid := newBitOut(mem, n)
	x := toBits3(ops[0], nb, boolean)
	switch k.fn {
	case scalar.FuncAnd, scalar.FuncOr:
		copy(val, x.val)
		copy(valid, x.valid)
		for _, o := range ops[1:] {
			y := toBits3(o, nb, true)
			kleene(k.fn == scalar.FuncAnd, val, valid, y)
		}
	case scalar.FuncNot:
		for i := range val {
			val[i], valid[i] = ^x.val[i], x.valid[i]
		}
	case scalar.FuncIsNull, scalar.FuncIsNotNull:
		for i := range val {
			val[i], valid[i] = x.valid[i], 0xff
			if k.fn == scalar.FuncIsNull {
				val[i] = ^x.valid[i]
			}
		}
	case scalar.FuncIsTrue:
		for i := range val {
			val[i], valid[i] = x.val[i]&x.valid[i], 0xff
		}
	case scalar.FuncIsFalse:
		for i := range val {
			val[i], valid[i] = ^x.val[i]&x.valid[i], 0xff
		}
	}
	if bitutil.CountSetBits(valid, 0, n) == n {
		valbuf.Release()
		valbuf = nil
	}
	return fixedArray(arrow.FixedWidthTypes.Boolean, n, valbuf, vbuf), nil
}

// kleene folds y into (val, valid) with three-valued AND or OR.
func kleene(and bool, val, valid []byte, y bits3) {
	for i := range val {
		av, aok, bv, bok := val[i], valid[i], y.val[i], y.valid[i]
		if and {
			aFalse, bFalse := aok&^av, bok&^bv
			valid[i] = aok&bok | aFalse | bFalse
			val[i] = av & bv & aok & bok
		} else {
			aTrue, bTrue := aok&av, bok&bv
			valid[i] = aok&bok | aTrue | bTrue
			val[i] = aTrue | bTrue
		}
	}
}
