package planner

import "github.com/sqlstream/sqlstream/parser"

// windowTVF binds a window table function in FROM: TUMBLE, HOP, CUMULATE
// or SESSION over rel (named qual), adding window_start and window_end.
//
// TODO(issue 4, windows).
func (p *planner) windowTVF(q *parser.Query, w *parser.WindowTVF, rel Logical, qual string, pos int) (*fromItem, error) {
	return nil, p.errorf(w.Pos, "not supported yet: window table functions")
}
