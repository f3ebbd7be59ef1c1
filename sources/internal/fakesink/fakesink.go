// Package fakesink is a fake exec.ErrorSink for the source connector tests.
package fakesink

import (
	"fmt"
	"sync"

	"github.com/sqlstream/sqlstream/exec"
)

// Errors is a fake exec.ErrorSink that keeps every bad record.
type Errors struct {
	mu   sync.Mutex
	Recs []exec.BadRecord
}

var _ exec.ErrorSink = (*Errors)(nil)

// BadRecord implements exec.ErrorSink, copying Raw.
func (e *Errors) BadRecord(r exec.BadRecord) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.Raw = append([]byte(nil), r.Raw...)
	e.Recs = append(e.Recs, r)
	return nil
}

// Lines renders the bad records as "file:line: reason".
func (e *Errors) Lines() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, r := range e.Recs {
		out = append(out, fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason))
	}
	return out
}
