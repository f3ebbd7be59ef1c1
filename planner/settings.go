package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// set records SET 'key' = 'value'. 'state.ttl' is validated here and
// applies to the stateful operators (aggregations, joins) of the
// statements after it, as in Flink; '0' or '0s' turns it off again.
func (p *planner) set(st *parser.Set) error {
	p.cat.Settings = append(p.cat.Settings, catalog.Option{Key: st.Key.Name, Value: st.Value, Pos: st.Key.Pos})
	if strings.EqualFold(st.Key.Name, "state.ttl") {
		d, err := catalog.ParseDuration(st.Value)
		if err != nil {
			return p.errorf(st.Key.Pos, "SET 'state.ttl': %s", err.Error())
		}
		p.stateTTLMs = d.Milliseconds()
	}
	return nil
}
