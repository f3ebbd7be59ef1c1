package format

import (
	"fmt"

	"github.com/sqlstream/sqlstream/exec"
)

// upsertOpField is the reserved field of an upsert-json record that marks a
// delete: "__op": "d". It shadows a column of the same name.
const upsertOpField = "__op"

// upsertDecoder decodes plain JSON rows keyed by the source's PRIMARY KEY
// (format 'upsert' or 'upsert-json'). A record is an upsert (+U: insert or
// replace the row of its key) unless it has "__op": "d", which makes it a
// delete (-D) of its key: a delete needs only the key fields, other fields
// may be absent (they are NULL in the -D row, even for NOT NULL columns;
// the planner's normalize step replaces the row with the stored one). Any
// other "__op" value is a bad record; "__op": null is no op. A `null`
// record (a tombstone without a key) is ignored and counted.
type upsertDecoder struct {
	cdcBase
	key    []int
	delete bool
	badOp  bool
}

var _ ChangelogDecoder = (*upsertDecoder)(nil)

func newUpsertDecoder(base cdcBase, key []int) (*upsertDecoder, error) {
	if len(key) == 0 {
		base.j.b.Release()
		return nil, fmt.Errorf("format upsert-json needs the source's PRIMARY KEY (the upsert key)")
	}
	for _, k := range key {
		if k < 0 || k >= len(base.j.b.Cols) {
			base.j.b.Release()
			return nil, fmt.Errorf("format upsert-json: key column %d out of range", k)
		}
	}
	return &upsertDecoder{cdcBase: base, key: key}, nil
}

// Decode implements Decoder.
func (d *upsertDecoder) Decode(rec []byte) error {
	if isNullRecord(rec) {
		d.ignored++
		return nil
	}
	if err := d.room(); err != nil {
		return err
	}
	d.delete, d.badOp = false, false
	err := d.j.topLevel(rec, func(key []byte, v int) (int, error) {
		return d.field(rec, key, v)
	})
	if err == nil && d.badOp {
		err = recErr("field %s must be \"d\" (delete) or absent, got %s", upsertOpField, quote(d.opBuf))
	}
	if err != nil {
		d.j.b.Rollback()
		return err
	}
	if !d.delete {
		if err := commit(d.j.b); err != nil {
			return err
		}
		d.ops = append(d.ops, exec.UpdateAfter)
		return nil
	}
	return d.commitDelete()
}

func (d *upsertDecoder) field(s, key []byte, v int) (int, error) {
	if string(key) != upsertOpField {
		if col := d.j.lookup(key); col >= 0 {
			return d.j.value(d.j.b.Cols[col], s, v)
		}
		return d.j.skipValue(s, v)
	}
	kind, end, err := d.j.capture(s, v)
	if err != nil || kind == jsonNull {
		return end, err
	}
	d.keepOp(s[v:end])
	if kind == jsonString {
		str, err := d.j.stringAt(s, v)
		if err != nil {
			return end, err
		}
		d.keepOp(str)
		d.delete = len(str) == 1 && (str[0] == 'd' || str[0] == 'D')
	}
	d.badOp = !d.delete
	return end, nil
}

// commitDelete commits a -D row that must carry every key column.
func (d *upsertDecoder) commitDelete() error {
	b := d.j.b
	for _, k := range d.key {
		if c := b.Cols[k]; !c.PendingValue() {
			b.Rollback()
			return recErr("delete (%s \"d\") without key column %s", upsertOpField, c.Name)
		}
	}
	b.Commit()
	d.ops = append(d.ops, exec.Delete)
	return nil
}
