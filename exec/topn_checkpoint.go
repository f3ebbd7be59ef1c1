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
	for _, p := range t.dirty {
		buf = buf[:0]
		for _, e := range p.entries {
			key, row := e.buf[:e.klen], e.row()
			buf = binary.AppendUvarint(buf, uint64(len(key)))
			buf = append(buf, key...)
			buf = binary.AppendUvarint(buf, uint64(len(row)))
			buf = append(buf, row...)
		}
		if err := w.Put([]byte(p.key), buf); err != nil {
			return fmt.Errorf("top-n snapshot: %w", err)
		}
		p.dirty = false
	}
	clear(t.dirty)
	t.dirty = t.dirty[:0]
	return nil
}

// Restore implements Checkpointer.
func (t *TopN) Restore(r StateReader) error {
	clear(t.parts)
	clear(t.dirty)
	t.dirty = t.dirty[:0]
	t.rows, t.bytes = 0, 0
	return r.Scan(func(key, value []byte) error {
		p := &topnPart{key: string(key)}
		p.entries = p.one[:0]
		for len(value) > 0 {
			k, rest, err := topnField(value)
			if err != nil {
				return err
			}
			row, rest, err := topnField(rest)
			if err != nil {
				return err
			}
			if len(k) == 0 {
				return fmt.Errorf("top-n restore: empty order key")
			}
			buf := append(append(make([]byte, 0, len(k)+len(row)), k...), row...)
			p.entries = append(p.entries, topnEntry{buf: buf, klen: int32(len(k))})
			t.bytes += int64(len(buf)) + topnEntryBytes
			value = rest
		}
		if int64(len(p.entries)) > t.cfg.Limit {
			return fmt.Errorf("top-n restore: partition holds %d rows, limit %d", len(p.entries), t.cfg.Limit)
		}
		if len(p.entries) == 0 {
			return fmt.Errorf("top-n restore: empty partition")
		}
		t.parts[p.key] = p
		t.rows += int64(len(p.entries))
		t.bytes += int64(len(p.key)) + topnPartBytes
		return nil
	})
}

// topnField reads one uvarint-length-prefixed field; the field is
// borrowed from b.
func topnField(b []byte) (field, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, fmt.Errorf("top-n restore: truncated state entry")
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}
