// Package catalog owns the resolved schema objects of a pipeline: column
// types, sources with their watermarks, keys and connector options, tables,
// views and sinks. Objects are built by the planner while it binds a pipeline
// file and are immutable once resolved; every other layer reads them.
//
// The package depends only on Arrow: a Type knows its Arrow representation so
// that the planner, the executor and the connectors agree on the physical
// layout of every column.
package catalog
