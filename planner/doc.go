// Package planner turns a parsed pipeline file into a Plan: it resolves the
// catalog (sources, tables, views, sinks, settings), binds and types every
// query, builds logical plans, rewrites them with rules (one per file), and
// lowers them to physical plans whose nodes carry changelog mode, unique
// keys and state. EXPLAIN renders physical plans as indented trees.
//
// Entry points: PlanFile(*parser.File) plans a whole file (statements in
// file order; roots in file order); Explain and ExplainRoot render plans.
//
// Pipeline of one query: bind (query.go, select_list.go, scope.go) →
// logical plan (logical_*.go) → rules to a fixpoint (rule_*.go), column
// pruning into the scans, rules again → lower (lower.go) with Props. Views
// are planned at their definition and their logical plans inlined (shared,
// immutable) where they are read; a materialized view read by a later
// query or sink is recomputed in place for now.
//
// Output column names: the alias; else a bare column's declared name; else
// the expression text as written. Case-insensitive duplicates are renamed
// name_1, name_2, ... as DuckDB does.
//
// The planner never imports exec: a plan is data that exec interprets.
// Scalar expressions live in the subpackage planner/scalar.
package planner
