// Package file owns the 'file' source connector: a file of JSON lines or CSV
// records decoded by sources/format.
//
// Options (WITH clause):
//
//	path          file to read; relative paths resolve against the pipeline
//	              file's directory (required)
//	format        'json' (one object per line) or 'csv' (required)
//	bounded       'true' (default): read to the end, then the source ends;
//	              'false': tail the file, polling for appended lines
//	on_error      'continue' (default): bad records go to errors_<source>
//	              with the file, line and reason; 'fail': the first bad
//	              record stops the run with that error
//	csv.header    'true' (default): the first record names the fields and
//	              columns match by name; 'false': fields match by position
//	csv.delimiter one character (default ','; '\t' or 'tab' for a tab)
//	csv.null      the unquoted field text read as NULL (default: empty)
//
// Lines are split in a 1 MiB buffered reader without copying; blank lines are
// skipped but counted, so reported line numbers are the file's. A quoted CSV
// field may span lines (not while tailing the end of a growing file).
package file
