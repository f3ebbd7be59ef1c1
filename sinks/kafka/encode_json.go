package kafka

import (
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// jsonEncoder is format 'json': one message per +I row, the row as a JSON
// object, keyed by the input's unique key when it has one. Any other op
// is an error: a changelog needs debezium-json or upsert-json.
type jsonEncoder struct {
	rows     *rowJSON
	key, val []byte
}

func (e *jsonEncoder) encode(batches []exec.Batch, emit func(key, value []byte) error) error {
	return eachRow(batches, func(cols []render.Column, i int, op exec.Op) error {
		if op != exec.Insert {
			return fatalf("format 'json' got a %s row: its input is a changelog; use format 'debezium-json' or 'upsert-json'", op)
		}
		e.key = e.rows.keyOf(e.key, cols, i)
		e.val = e.rows.appendRow(e.val[:0], cols, i)
		return emit(e.key, e.val)
	})
}
