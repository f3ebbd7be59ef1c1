package postgres

import (
	"context"
	"fmt"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// Connector is the connector's name in WITH (connector = 'postgres').
const Connector = "postgres"

func init() {
	exec.RegisterSink(Connector, Open)
	exec.RegisterLookup(Connector, OpenLookup)
}

// Open opens a postgres sink (exec.SinkFactory): it checks or creates the
// table and the epoch marker table. The sink is an exec.EpochSink.
func Open(ctx context.Context, def *catalog.Sink, env exec.SinkEnv) (exec.Sink, error) {
	o, err := sqlsink.ParseOptions(Connector, def.Name, def.Options)
	if err != nil {
		return nil, err
	}
	key, err := sqlsink.SinkKey(def, env)
	if err != nil {
		return nil, err
	}
	t, err := openTarget(ctx, o, def.Name, def.Schema, key)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", def.Name, err)
	}
	s, err := sqlsink.NewSink(ctx, def.Name, t, columnTypes(def.Schema), key, o.RetryTimeout)
	if err != nil {
		t.Close()
		return nil, err
	}
	return s, nil
}

func columnTypes(s catalog.Schema) []catalog.Type {
	out := make([]catalog.Type, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Type
	}
	return out
}
