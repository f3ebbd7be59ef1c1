package exec

import (
	"encoding/binary"
	"fmt"
)

// TopN checkpoints (Checkpointer). The state is one entry per partition:
// key = the partition's order-preserving key, value = its top rows in
// order, each as uvarint length + order key, uvarint length + RowCodec
// row. A snapshot writes the partitions changed since the previous one;
// partitions are never deleted (the input is append-only).

// Snapshot implements Checkpointer.
func (t *TopN) Snapshot(w StateWriter) error {
	var buf []byte
	for pk := range t.ck {
		p := t.parts[pk]
		buf = buf[:0]
		for _, e := range p.entries {
			buf = binary.AppendUvarint(buf, uint64(len(e.key)))
			buf = append(buf, e.key...)
			buf = binary.AppendUvarint(buf, uint64(len(e.row)))
			buf = append(buf, e.row...)
		}
		if err := w.Put([]byte(pk), buf); err != nil {
			return fmt.Errorf("top-n snapshot: %w", err)
		}
	}
	clear(t.ck)
	return nil
}

// Restore implements Checkpointer.
func (t *TopN) Restore(r StateReader) error {
	clear(t.parts)
	clear(t.ck)
	t.rows = 0
	return r.Scan(func(key, value []byte) error {
		p := &topnPart{}
		for len(value) > 0 {
			k, rest, err := topnField(value)
			if err != nil {
				return err
			}
			row, rest, err := topnField(rest)
			if err != nil {
				return err
			}
			p.entries = append(p.entries, topnEntry{key: k, row: row})
			value = rest
		}
		if int64(len(p.entries)) > t.cfg.Limit {
			return fmt.Errorf("top-n restore: partition holds %d rows, limit %d", len(p.entries), t.cfg.Limit)
		}
		t.parts[string(key)] = p
		t.rows += int64(len(p.entries))
		return nil
	})
}

// topnField reads one uvarint-length-prefixed field, copied.
func topnField(b []byte) (field, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, fmt.Errorf("top-n restore: truncated state entry")
	}
	return append([]byte(nil), b[k:k+int(n)]...), b[k+int(n):], nil
}
