// Package shell is `sqlstream shell`, the interactive SQL shell for people
// reading a pipeline's results.
//
// It owns the session: reading input (split.go cuts statements at `;`
// outside literals and comments, so statements span lines), the backslash
// commands (meta.go parses them, commands.go and describe.go run them),
// printing results through sinks/render (aligned table with "(N rows)",
// CSV or JSON, and the time with \timing), and Ctrl-C.
//
// Two Backends run the statements: OpenDuckDB holds one read-only
// connection to a DuckDB file for the whole session; ConnectPG speaks the
// PostgreSQL protocol with pgx to `sqlstream run --listen` (or any
// PostgreSQL server), using the simple query protocol so values come back
// as the server's text, and re-opens a connection that was lost.
//
// Lifecycle. Run owns its input until it returns. Interactive, it owns the
// terminal: liner edits lines and keeps the history file (loaded at start,
// rewritten after every entry and at exit); SIGINT is caught for the whole
// session and cancels only the running statement or \watch (interrupt.go);
// at the prompt Ctrl-C clears the input and Ctrl-D quits. Not interactive,
// Run reads a script from its input with no prompts or history, runs an
// unterminated last statement at the end, and returns ErrFailed if any
// statement failed. Errors never end a session: they print as
// "ERROR: ..." on the error writer.
package shell
