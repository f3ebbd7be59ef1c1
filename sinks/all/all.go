// Package all registers every sink connector: import it for its side
// effects from the CLI and from end-to-end tests.
package all

import (
	// Sink connectors register themselves with exec.RegisterSink in init.
	_ "github.com/sqlstream/sqlstream/sinks/blackhole"
	_ "github.com/sqlstream/sqlstream/sinks/file"
	_ "github.com/sqlstream/sqlstream/sinks/kafka"
	_ "github.com/sqlstream/sqlstream/sinks/mysql"
	_ "github.com/sqlstream/sqlstream/sinks/postgres"
	_ "github.com/sqlstream/sqlstream/sinks/stdout"
)
