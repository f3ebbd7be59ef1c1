// Package scalar owns bound scalar expressions: the typed Expr tree, the
// built-in function set (Func), and the binder that resolves TiDB's
// expression AST against a Scope into an Expr with MySQL's typing and
// coercion rules. The planner uses it for every SELECT list, WHERE and ON
// clause; exec/expr compiles its trees into columnar kernels.
package scalar
