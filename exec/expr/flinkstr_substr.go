package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// substrKernel is a string function whose result is a substring of its
// first argument and whose other arguments are constants: SPLIT_INDEX(url,
// '/', 3) (q22) and REGEXP_EXTRACT(url, '...', 2) (q21). It writes the
// result array's buffers directly (no result is longer than its row, so
// the input's bytes bound the data buffer) and every result is one copy,
// with no per-row builder calls. part must not retain s.
type substrKernel struct {
	src  Kernel
	part func(s string) (string, bool)
	t    catalog.Type
}

func (k *substrKernel) Type() catalog.Type { return k.t }

// compileSplitIndex compiles SPLIT_INDEX: a substrKernel when the
// delimiter and index are constants and the string is not, the row
// function (splitIndexImpl, same semantics) otherwise.
func (c *compiler) compileSplitIndex(e *scalar.Call) (Kernel, error) {
	generic := func() (Kernel, error) {
		return c.compileStrSig(e, strSig{kinds: "ssi", minArgs: 3, impl: splitIndexImpl})
	}
	if len(e.Args) != 3 || e.T.ID != catalog.Varchar {
		return generic()
	}
	d, ok := e.Args[1].(*scalar.Literal)
	n, ok2 := e.Args[2].(*scalar.Literal)
	if !ok || !ok2 {
		return generic()
	}
	delim, ok := d.Value.(string)
	idx, ok2 := n.Value.(int64)
	if !ok || !ok2 {
		return generic() // NULL or non-integer constants
	}
	src, err := c.compileAs(e.Args[0], catalog.VarcharType)
	if err != nil {
		return nil, err
	}
	if _, isConst := asConst(src); isConst {
		return generic()
	}
	part := func(s string) (string, bool) { return splitPart(s, delim, idx) }
	if idx < 0 {
		part = func(string) (string, bool) { return "", false }
	}
	return &substrKernel{src: src, part: part, t: e.T}, nil
}

func (k *substrKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	a, err := k.src.Eval(rec, mem)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	in, ok := a.(*array.String)
	if !ok {
		return nil, fmt.Errorf("string function: argument is %s, not VARCHAR", a.DataType())
	}
	n := in.Len()
	// Results are substrings of their rows: the data buffer starts at a
	// guess (results are usually much shorter) and doubles, up to the
	// input's bytes, when a result does not fit.
	limit := len(in.ValueBytes())
	valid, offs, data := newStringBuffers(mem, n, min(limit, 16*n+64))
	vb, ob, db := valid.Bytes(), arrow.Int32Traits.CastFromBytes(offs.Bytes()), data.Bytes()
	pos, nulls := 0, 0
	for i := range n {
		ob[i] = int32(pos)
		if in.IsNull(i) {
			nulls++
			continue
		}
		part, ok := k.part(in.Value(i))
		if !ok {
			nulls++
			continue
		}
		if pos+len(part) > len(db) {
			data.Resize(min(limit, max(2*len(db), pos+len(part))))
			db = data.Bytes()
		}
		pos += copy(db[pos:], part)
		bitutil.SetBit(vb, i)
	}
	ob[n] = int32(pos)
	data.Resize(pos)
	return newStringArray(valid, offs, data, n, nulls), nil
}

// newStringBuffers allocates the validity bitmap (all NULL), offsets and
// data buffers of an n-row VARCHAR array, with dataLen bytes of data room.
func newStringBuffers(mem memory.Allocator, n, dataLen int) (valid, offs, data *memory.Buffer) {
	valid = memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(n))))
	memory.Set(valid.Bytes(), 0)
	offs = memory.NewResizableBuffer(mem)
	offs.Resize((n + 1) * arrow.Int32SizeBytes)
	data = memory.NewResizableBuffer(mem)
	data.Resize(dataLen)
	return valid, offs, data
}

// newStringArray wraps the buffers into a VARCHAR array, which takes them
// over.
func newStringArray(valid, offs, data *memory.Buffer, n, nulls int) arrow.Array {
	d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{valid, offs, data}, nil, nulls, 0)
	valid.Release()
	offs.Release()
	data.Release()
	defer d.Release()
	return array.NewStringData(d)
}

// splitPart is part idx (0-based, idx >= 0) of s split at every delim, as
// SPLIT_INDEX defines it; false for none. The part is a substring of s.
func splitPart(s, delim string, idx int64) (string, bool) {
	if s == "" {
		return "", false
	}
	if delim == "" {
		return s, idx == 0
	}
	for ; idx > 0; idx-- {
		i := strings.Index(s, delim)
		if i < 0 {
			return "", false
		}
		s = s[i+len(delim):]
	}
	if i := strings.Index(s, delim); i >= 0 {
		s = s[:i]
	}
	return s, true
}

// compileRegexpSubstr compiles REGEXP_EXTRACT(s, pattern[, group]) with a
// constant pattern and group over a computed s into a substrKernel; ok is
// false for other shapes, which take the row function.
func (c *compiler) compileRegexpSubstr(e *scalar.Call) (Kernel, bool, error) {
	if len(e.Args) < 2 || len(e.Args) > 3 || e.T.ID != catalog.Varchar {
		return nil, false, nil
	}
	p, ok := e.Args[1].(*scalar.Literal)
	if !ok {
		return nil, false, nil
	}
	pattern, ok := p.Value.(string)
	if !ok {
		return nil, false, nil
	}
	g := int64(0)
	if len(e.Args) == 3 {
		n, ok := e.Args[2].(*scalar.Literal)
		if !ok {
			return nil, false, nil
		}
		if g, ok = n.Value.(int64); !ok {
			return nil, false, nil
		}
	}
	m, err := newRegexpMatcher(pattern)
	if err != nil {
		return nil, false, fmt.Errorf("%s: pattern: %w", e, err)
	}
	src, err := c.compileAs(e.Args[0], catalog.VarcharType)
	if err != nil {
		return nil, false, err
	}
	if _, isConst := asConst(src); isConst {
		return nil, false, nil
	}
	part := func(s string) (string, bool) {
		loc := m.find(s)
		if loc == nil || loc[2*g] < 0 {
			return "", false
		}
		return s[loc[2*g]:loc[2*g+1]], true
	}
	if g < 0 || g > int64(m.numSubexp()) {
		part = func(string) (string, bool) { return "", false }
	}
	return &substrKernel{src: src, part: part, t: e.T}, true, nil
}
