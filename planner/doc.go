// Package planner turns a parsed pipeline file into a Plan: it resolves the
// catalog (sources, tables, views, sinks, settings), binds and types every
// query, builds logical plans, rewrites them with rules (one per file), and
// lowers them to physical plans whose nodes carry changelog mode, unique
// keys and state. EXPLAIN renders physical plans as indented trees.
//
// Entry points: PlanFile(*parser.File) plans a whole file (statements in
// file order; roots in file order); Explain and ExplainRoot render plans
// as text trees, ExplainDot as a Graphviz digraph (explain_dot.go).
//
// Pipeline of one query: bind (query.go, select_list.go, scope.go) →
// logical plan (logical_*.go) → rules to a fixpoint (rule_*.go), column
// pruning into the scans, rules again → lower (lower.go) with Props. Views
// are planned at their definition. A plain view's logical plan is inlined
// (shared, immutable) where it is read; a materialized view is read by
// later queries and sinks through a ViewScan leaf (view_scan.go) with the
// view's schema, key and changelog, never pruned: exec fans the view's
// changelog out to its store table and to every reader, so each layer
// consumes the previous one's changes once instead of recomputing them.
//
// Output column names: the alias; else a bare column's declared name; else
// the expression text as written. Case-insensitive duplicates are renamed
// name_1, name_2, ... as DuckDB does.
//
// Aggregation (aggregate.go, agg_*.go): GROUP BY items are expressions,
// select-list positions or aliases (input columns win over aliases, as in
// MySQL); the plan is Project(select) ← Filter(HAVING) ← LogicalAgg ←
// input, with computed group expressions, aggregate arguments and FILTER
// conditions projected below the aggregation. A select or HAVING column
// outside every group expression is an error (ONLY_FULL_GROUP_BY); HAVING
// may name select-list aliases (preferred over input columns). SELECT
// DISTINCT groups by every output column.
//
// Joins (from.go, join.go): relations are scoped by name or alias;
// unqualified names must be unique across them. ON equalities between the
// sides become key pairs when lowering (computed keys are projected below
// the join), the rest the residual; a join without one is an error. Rules
// push WHERE and ON conjuncts over one side into it where the join does
// not pad that side with NULLs. A join whose right side is a table is a
// lookup join (INNER or LEFT). TiDB has no FULL JOIN: `a FULL JOIN b`
// parses as `a AS full JOIN b` and is read back as a full join.
//
// Changelog modes and keys (Props): an upsert source is normalized into a
// retract stream right above its scan. HashAgg: retract, keyed by its
// group columns; a global aggregate has the empty key (EXPLAIN `key=[]`:
// at most one row), distinct from no key (`key=none`). Join: append-only
// only for an inner join of append-only inputs, else retract; key: the
// left key when the right join keys cover the right key (inner, left),
// symmetrically the right key (inner, right), else the union of both keys
// when both exist (padded rows carry NULL key columns), else none.
// Lookup join: the input's mode, and its key when the lookup keys cover
// the table's primary key. SET 'state.ttl' applies to the aggregations and
// joins of the statements after it.
//
// State growth (state_bound.go, used by `sqlstream check`): StateBounds
// classifies every stateful node of a plan by what bounds its state:
// bounded input (every source under it ends: BoundedSource), the keys of
// changelog inputs (their live rows; a global aggregate's one row), the
// watermark (windows, interval and unique-key joins, EMIT ON WINDOW
// CLOSE, OVER's waiting rows), SET 'state.ttl', only the data (distinct
// values), or nothing. Severity: a regular join keeping every row of an
// ever-growing input (unbounded append-only, or the output of something
// that keeps adding rows) without a TTL, and an OVER partitioned by an
// ever-growing column (the event time, a unique key) of an unbounded
// input, are errors: the pipeline would run out of memory. A GROUP BY
// (or DISTINCT aggregate) over an unbounded append-only input is a
// warning: its groups either grow with an ever-growing column or are
// bounded only by the data; so is an OVER partitioned by other columns.
// Findings point at the JOIN's right relation, the
// GROUP BY or the PARTITION BY (HashAggNode, JoinNode and OverNode carry
// that Pos); EXPLAIN does not print the classification.
//
// The planner never imports exec: a plan is data that exec interprets.
// Scalar expressions live in the subpackage planner/scalar.
package planner
