package exec

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/sqlstream/sqlstream/planner"
)

// CompletionStore is a CheckpointStore that can record that a run
// consumed all its (bounded) input. The runner calls MarkComplete before
// the final checkpoint of such a run; a later Resume then starts fresh
// instead of resuming a run that has nothing left to do, so the same
// pipeline (or another) re-runs over the same file as a batch job would.
// A run stopped early (a signal, a crash) is never marked complete.
type CompletionStore interface {
	CheckpointStore
	// MarkComplete makes the next Commit record the run as complete.
	MarkComplete() error
}

// runtimeSettings are SET options that change how a run behaves but not
// what its operators compute or hold, so a checkpoint taken under one
// value resumes under another.
var runtimeSettings = map[string]bool{
	"checkpoint.interval": true,
	"sink.retry.timeout":  true,
}

// Fingerprint identifies a pipeline's checkpoint layout: a hash of the
// plan's EXPLAIN text (every operator, with its keys, types and the
// connectors' options) and of its SET options, except those that only
// change how the run behaves (checkpoint.interval, sink.retry.timeout).
// A checkpoint resumes only under the same fingerprint, because operator
// ids ("op<n>" in build order), state encodings and source names are only
// meaningful for the same plan.
func Fingerprint(p *planner.Plan) string {
	h := sha256.New()
	h.Write([]byte(planner.Explain(p)))
	if p.Catalog != nil {
		for _, o := range p.Catalog.Settings {
			if !runtimeSettings[strings.ToLower(o.Key)] {
				h.Write([]byte{0})
				h.Write([]byte(strings.ToLower(o.Key) + "=" + o.Value))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
