// Package exec runs physical plans: changelog batches (Arrow record batches
// with an ops column), push-based operators, watermarks, barriers and the
// runner that drives sources through operators into sinks.
//
// Operators do no I/O. Sources and sinks are connectors registered by name in
// the registry of this package (see registry.go); exec never imports a
// connector. Expression kernels live in the subpackage exec/expr.
//
// Ownership: Push borrows its batch for the duration of the call. An operator
// that keeps a batch (or an array of it) beyond the call must Retain it and
// Release it when done. The caller releases what it passed after Push returns.
package exec
