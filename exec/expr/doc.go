// Package expr compiles bound scalar expressions (planner/scalar.Expr) once
// per plan into kernels that evaluate over whole Arrow arrays.
//
// Ownership: Kernel.Eval borrows the record batch and returns a new array
// the caller must Release. Kernels are immutable after Compile and safe for
// concurrent use: scratch buffers live only for one Eval.
//
// Semantics (MySQL dialect, decisions documented where the dialects differ):
//   - NULL propagates through arithmetic, comparisons and string functions;
//     AND/OR/NOT use Kleene three-valued logic; x IN (.., NULL) is NULL when
//     nothing matches; BETWEEN includes both ends.
//   - BIGINT/INT +, -, * overflow is an error naming the expression (like
//     DuckDB; MySQL also errors). DECIMAL results beyond the result
//     precision are errors. Division and MOD by zero yield NULL (MySQL).
//     MOD takes the sign of the dividend. DOUBLE arithmetic is plain IEEE.
//   - DECIMAL rounding (rescale, division, ROUND, DOUBLE→DECIMAL) is half
//     away from zero ("half up" in MySQL's words). ROUND on DOUBLE is also
//     half away from zero.
//   - CAST of an invalid string to a number, date or timestamp is an error
//     (MySQL would warn and yield 0); numbers out of the target range are
//     errors. BOOLEAN→VARCHAR is 'true'/'false' (as DuckDB); TIMESTAMP→VARCHAR
//     is 'YYYY-MM-DD HH:MM:SS.fff' (always 3 fractional digits, MySQL's
//     TIMESTAMP(3)).
//   - LIKE is case-sensitive and compares bytes, except that '_' matches one
//     UTF-8 character. The default escape character is '\'.
//   - CASE/IF/COALESCE evaluate every branch over the whole batch and then
//     pick per row, so an error (e.g. overflow) in a branch that no row
//     selects still fails the batch.
//   - Dates and timestamps are UTC; there are no time zones. NOW() is
//     Options.Now (time.Now() at Compile when zero), constant per run.
//   - TIMESTAMPDIFF counts whole units from its second to its third
//     argument, truncated toward zero; MONTH, QUARTER and YEAR count
//     calendar months as MySQL does (2024-01-31 to 2024-02-29 is 0 months,
//     where DuckDB's date_sub says 1). DATEDIFF(a, b) is the days from the
//     date of b to the date of a. TIMESTAMP - TIMESTAMP is a binding error
//     (MySQL's numeric result is not a duration).
package expr
