package postgres

import (
	"context"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// Connector is the connector's name in WITH (connector = 'postgres').
const Connector = "postgres"

func init() {
	exec.RegisterSink(Connector, Open)
	exec.RegisterSinkChecker(Connector, sqlsink.Checker(Connector))
	exec.RegisterLookup(Connector, OpenLookup)
}

// Open opens a postgres sink (exec.SinkFactory): it checks or creates the
// table and the epoch marker table. The sink is an exec.EpochSink.
func Open(ctx context.Context, def *catalog.Sink, env exec.SinkEnv) (exec.Sink, error) {
	s, err := sqlsink.OpenSink(ctx, Connector, def, env, openTarget)
	if err != nil && transient(err) {
		// A database that is down or restarting: the runner retries.
		return nil, sqlsink.Retry(err)
	}
	return s, err
}
