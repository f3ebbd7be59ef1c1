// Package planner turns a parsed pipeline file into a Plan: it resolves the
// catalog (sources, tables, views, sinks, settings), binds and types every
// query, builds logical plans, rewrites them with rules (one per file), and
// lowers them to physical plans whose nodes carry changelog mode, unique
// keys and state. EXPLAIN renders physical plans as indented trees.
//
// The planner never imports exec: a plan is data that exec interprets.
// Scalar expressions live in the subpackage planner/scalar.
package planner
