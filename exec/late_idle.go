package exec

import (
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
)

// IdleTimeoutOption is 'source.idle_timeout': how long (wall clock) a
// source with a WATERMARK may produce no rows before the runner treats it
// as idle and advances its watermark with the other sources' (see
// Runner). It is a SET default and a per-source WITH option that
// overrides it; absent or zero means never idle.
const IdleTimeoutOption = "source.idle_timeout"

// engineSourceOptions are the WITH options of a source that the engine,
// not the connector, interprets; connectors never see them.
var engineSourceOptions = []string{IdleTimeoutOption}

// idleTimeout is the idle timeout of def: its WITH option, else the SET
// default, else 0 (never idle).
func idleTimeout(def *catalog.Source, settings catalog.Options) (time.Duration, error) {
	if opt, ok := def.Options.Lookup(IdleTimeoutOption); ok {
		d, err := catalog.ParseDuration(opt.Value)
		if err != nil {
			return 0, OptionErrorf(opt.Key, "option '%s': %s", opt.Key, err.Error())
		}
		return d, nil
	}
	return settings.Duration(IdleTimeoutOption, 0)
}

// checkEngineOptions validates the engine's own WITH options of def.
func checkEngineOptions(def *catalog.Source) error {
	_, err := idleTimeout(def, nil)
	return err
}

// connectorDef returns def without the engine's WITH options, for the
// connector (which rejects options it does not know). def is not modified.
func connectorDef(def *catalog.Source) *catalog.Source {
	n := 0
	for _, o := range def.Options {
		if isEngineOption(o.Key) {
			n++
		}
	}
	if n == 0 {
		return def
	}
	c := *def
	c.Options = make(catalog.Options, 0, len(def.Options)-n)
	for _, o := range def.Options {
		if !isEngineOption(o.Key) {
			c.Options = append(c.Options, o)
		}
	}
	return &c
}

func isEngineOption(key string) bool {
	for _, k := range engineSourceOptions {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}
