// Package exectest is the test harness of exec's operators: a parser of
// schema specs and changelog rows into batches, a renderer of batches back
// into `+I ...` lines, a capturing Stream, expression binding from SQL text
// (TiDB's parser plus scalar.Bind), and a datadriven Harness that runs
// operator goldens (push, watermark, barrier, close) for any operator whose
// builder a test registers. It is imported only by tests.
package exectest
