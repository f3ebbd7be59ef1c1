package scalar

import "github.com/sqlstream/sqlstream/catalog"

// Scope resolves column references while binding. The planner implements
// it for each operator's input (a table, a join of tables, a view).
type Scope interface {
	// Resolve finds `qualifier.column` (qualifier may be "") and returns
	// its column index in the input row and its type. Errors are for
	// unknown or ambiguous names and should carry a "did you mean"
	// suggestion when a near name exists.
	Resolve(qualifier, column string) (index int, t catalog.Type, err error)
}
