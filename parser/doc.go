// Package parser splits a pipeline file into statements and parses each one.
// Standard SQL goes to TiDB's MySQL parser; a small pre-pass first lifts the
// streaming clauses TiDB does not know (WITH options, WATERMARK, MATERIALIZED
// VIEW, SOURCE/SINK, window table functions, EMIT) out of the text, replacing
// them with spaces so that every offset TiDB reports is still an offset into
// the user's file. Errors carry file, line and column and render the source
// line with a caret under the offending token.
package parser
