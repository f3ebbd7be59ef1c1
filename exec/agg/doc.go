// Package agg holds the accumulators of incremental aggregation: COUNT(*),
// COUNT(x), SUM, AVG, MIN and MAX, their DISTINCT variants, all correct
// under retraction.
//
// An accumulator (Acc) keeps the state of one aggregate call for every
// group of an operator in columnar arrays indexed by a dense group id, so a
// batch is folded in with one typed loop per call and no per-row boxing or
// allocation. Rows carry a weight: +1 adds (an +I or +U row), -1 retracts
// (-U or -D), 0 skips (NULL argument, FILTER not TRUE). The caller masks
// NULLs and filters; accumulators see only the rows that count.
//
// MIN and MAX keep a multiset per group (value → count) with a lazily
// pruned heap, so retracting the current minimum surfaces the next one:
// O(log d) amortized per change for d distinct values in the group. For
// types of at most 8 bytes the values are order-preserving uint64s (for
// DECIMAL, 128-bit pairs), each group caches its extreme (the multiset is
// consulted only when the extreme itself leaves), small multisets are
// sorted slices, and over an input declared append-only (Spec.AppendOnly)
// there is no multiset. VARCHAR and INTERVAL use byte-encoded multisets.
// DISTINCT counts each (group, value) pair and forwards only the first
// arrival and the last departure of each value to the inner accumulator:
// over fixed-width types in one open-addressing table shared by all
// groups, over VARCHAR and INTERVAL in a value → count map per group.
//
// Values are compared through an order-preserving byte encoding
// (EncodeValues); group keys use EncodeKeys, where NULL is a value distinct
// from every other.
package agg
