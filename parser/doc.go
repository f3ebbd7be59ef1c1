// Package parser splits a pipeline file into statements and parses each one.
// Standard SQL goes to TiDB's MySQL parser; a small pre-pass first lifts the
// streaming clauses TiDB does not know (WITH options, WATERMARK, MATERIALIZED
// VIEW, SOURCE/SINK, window table functions, EMIT, FILTER (WHERE ...),
// FOR SYSTEM_TIME AS OF) out of the text, replacing them with spaces so that
// every offset TiDB reports is still an offset into the user's file. Errors
// carry file, line and column and render the source line with a caret under
// the offending token.
//
// Entry points: Parse; File.Position and File.Errorf for positioned errors
// of later stages; Query.Locate, Insert.Locate and WatermarkDef.Locate map a
// TiDB AST node back to a file offset.
//
// Files: lexer.go (pre-pass tokens), parse.go (splitting, statement
// dispatch), create_table.go (SOURCE/TABLE bodies, WATERMARK, types),
// with.go (WITH options), create_view.go (VIEW, SINK, INSERT, SET),
// query.go (query pre-pass, EMIT, FILTER, AS OF), window.go (window table
// functions), tidb.go (TiDB calls, syntax error mapping), locate*.go
// (node positions), errors.go (Error, ErrorList).
package parser
