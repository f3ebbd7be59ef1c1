package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// set records SET 'key' = 'value'. 'state.ttl' is validated here and
// applies to the stateful operators (aggregations, joins) of the
// statements after it, as in Flink; '0' or '0s' turns it off again.
// 'late.policy' ('side-table' or 'drop') and 'source.idle_timeout' (a
// duration) apply to the whole run and are validated here; the runner
// reads them from the catalog's settings.
func (p *planner) set(st *parser.Set) error {
	p.cat.Settings = append(p.cat.Settings, catalog.Option{Key: st.Key.Name, Value: st.Value, Pos: st.Key.Pos})
	switch strings.ToLower(st.Key.Name) {
	case "state.ttl":
		d, err := catalog.ParseDuration(st.Value)
		if err != nil {
			return p.errorf(st.Key.Pos, "SET 'state.ttl': %s", err.Error())
		}
		p.stateTTLMs = d.Milliseconds()
	case "late.policy":
		switch strings.ToLower(strings.TrimSpace(st.Value)) {
		case "side-table", "drop":
		default:
			return p.errorf(st.Key.Pos, "SET 'late.policy' = '%s': want 'side-table' (late rows go to late_<source>) or 'drop' (only counted)", st.Value)
		}
	case "source.idle_timeout":
		if _, err := catalog.ParseDuration(st.Value); err != nil {
			return p.errorf(st.Key.Pos, "SET 'source.idle_timeout': %s", err.Error())
		}
	}
	return nil
}
