package scalar

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/sqlstream/sqlstream/catalog"
)

var arithOps = map[opcode.Op]Func{
	opcode.Plus: FuncAdd, opcode.Minus: FuncSub, opcode.Mul: FuncMul,
	opcode.Div: FuncDiv, opcode.IntDiv: FuncIntDiv, opcode.Mod: FuncMod,
}

var compareOps = map[opcode.Op]Func{
	opcode.EQ: FuncEq, opcode.NE: FuncNe, opcode.LT: FuncLt, opcode.LE: FuncLe,
	opcode.GT: FuncGt, opcode.GE: FuncGe, opcode.NullEQ: FuncNullSafeEq,
}

var logicOps = map[opcode.Op]Func{opcode.LogicAnd: FuncAnd, opcode.LogicOr: FuncOr, opcode.LogicXor: FuncNe}

func (b *binder) bindBinary(n *ast.BinaryOperationExpr) (Expr, error) {
	l, err := b.bind(n.L)
	if err != nil {
		return nil, err
	}
	r, err := b.bind(n.R)
	if err != nil {
		return nil, err
	}
	if f, ok := arithOps[n.Op]; ok {
		return arith(n, f, l, r, n.L, n.R)
	}
	if f, ok := compareOps[n.Op]; ok {
		return compare(n, f, l, r, n.L, n.R)
	}
	if f, ok := logicOps[n.Op]; ok {
		// XOR is inequality of two BOOLEANs (NULL when either is NULL).
		return logic(n, f, []Expr{l, r}, []ast.ExprNode{n.L, n.R})
	}
	return nil, errorf(n, "operator %s is not supported", opText(n.Op))
}

func (b *binder) bindUnary(n *ast.UnaryOperationExpr) (Expr, error) {
	v, err := b.bind(n.V)
	if err != nil {
		return nil, err
	}
	switch n.Op {
	case opcode.Plus:
		if !isNumberLike(v.Type()) && v.Type().ID != catalog.Null {
			return nil, errorf(n, "cannot apply unary + to %s", v.Type())
		}
		return v, nil
	case opcode.Minus:
		return negate(n, v)
	case opcode.Not, opcode.Not2:
		return logic(n, FuncNot, []Expr{v}, []ast.ExprNode{n.V})
	}
	return nil, errorf(n, "operator %s is not supported", opText(n.Op))
}

// negate binds -v, folding numeric literals.
func negate(n ast.Node, v Expr) (Expr, error) {
	t := v.Type()
	if lit, ok := v.(*Literal); ok {
		if folded := foldNeg(lit); folded != nil {
			return folded, nil
		}
	}
	switch {
	case t.ID == catalog.Null:
		return &Literal{T: catalog.BigIntType}, nil
	case t.ID == catalog.Int, t.ID == catalog.Boolean:
		return &Call{Func: FuncNeg, Args: []Expr{&Cast{Arg: v, T: catalog.BigIntType}}, T: catalog.BigIntType}, nil
	case t.IsNumeric():
		return &Call{Func: FuncNeg, Args: []Expr{v}, T: t}, nil
	}
	return nil, errorf(n, "cannot apply unary - to %s", t)
}

// logic binds AND/OR/XOR/NOT: operands are BOOLEAN; numbers are cast
// (non-zero is TRUE, as in MySQL).
func logic(n ast.Node, f Func, args []Expr, nodes []ast.ExprNode) (Expr, error) {
	for i, a := range args {
		t := a.Type()
		if t.ID != catalog.Boolean && t.ID != catalog.Null && !t.IsNumeric() {
			return nil, errorf(nodes[i], "%s expects BOOLEAN, got %s", logicName(f, n), t)
		}
	}
	args, err := coerceAll(args, catalog.BooleanType, nodes)
	if err != nil {
		return nil, err
	}
	return &Call{Func: f, Args: args, T: catalog.BooleanType}, nil
}

func logicName(f Func, n ast.Node) string {
	if be, ok := n.(*ast.BinaryOperationExpr); ok {
		return opText(be.Op)
	}
	return strings.TrimSpace(f.Info().Infix)
}

// opText is the SQL spelling of an operator.
func opText(op opcode.Op) string {
	var sb strings.Builder
	op.Format(&sb)
	return strings.TrimSpace(sb.String())
}
