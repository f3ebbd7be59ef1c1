package main

import (
	"fmt"
	"os"

	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
)

// loadPlan reads, parses and plans one pipeline file. Errors name the file,
// line and column.
func loadPlan(path string) (*parser.File, *planner.Plan, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := parser.Parse(path, string(text))
	if err != nil {
		return nil, nil, err
	}
	p, err := planner.PlanFile(f)
	return f, p, err
}
