// Package sources holds the source connectors, one folder each, registered
// by name with exec.RegisterSource from init:
//
//	file     JSON-lines and CSV files (sources/file)
//	datagen  built-in generators: nexmark, banklog, sequence (sources/datagen)
//
// sources/format owns the record decoders shared by connectors;
// sources/internal/colbuf builds Arrow batches straight into allocator
// buffers; sources/all imports every connector for its registration.
//
// A connector's Next returns batches whose schema is exactly the source's
// declared schema (catalog.Schema.Arrow()), of at most SourceEnv.BatchSize
// rows (4096 when 0), allocated from SourceEnv.Alloc. Records that cannot be
// decoded go to SourceEnv.Errors as exec.BadRecord (file, line, raw bytes,
// reason) and decoding goes on, unless the source sets 'on_error' = 'fail'.
package sources
